"""The follow-up sheet: its parts, its marks and its text size, as a fax will show them."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, drawing_streams, pdf_text


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_each_part_is_printed_under_its_heading_and_an_empty_one_says_so() -> None:
    text = _flat(pf.render_followup(f.followup()))
    assert "UPPFÖLJNING AV DRIFTSTOPPET" in text and "Driftstopp 12" in text
    assert "Förlopp Tid Händelse Av" in text and "Händelse 4 Anna Andersson" in text
    assert "Ärenden per prioritet Prioritet Antal Akut 3 Rutin 2" in text
    assert "Exporter Inga." in text


def test_a_running_outage_is_marked_on_every_page() -> None:
    pdf = pf.render_followup(f.followup(rows=120, provisional_as_of="2025-03-02 15:00"))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) > 1 and all("PÅGÅR" in page for page in pages)
    assert "preliminär, per 2025-03-02 15:00" in _flat(pdf)


def test_an_ended_outage_is_not_marked_and_a_drill_is() -> None:
    assert "PÅGÅR" not in pdf_text(pf.render_followup(f.followup()))
    assert "ÖVNING" in pdf_text(pf.render_followup(f.followup(is_drill=True)))


def test_each_page_carries_its_numbered_incident_payload_at_fax_resolution() -> None:
    pages = decoded_payloads(pf.render_followup(f.followup(rows=120)), STANDARD_FAX)
    assert len(pages) > 1
    assert pages == [[f"RR1:I12-K7Q3:LST:{n}"] for n in range(1, len(pages) + 1)]


def test_no_text_smaller_than_10_pt() -> None:
    sizes = [
        float(size)
        for stream in drawing_streams(pf.render_followup(f.followup(rows=120)))
        for size in re.findall(rb"/F\d+ ([\d.]+) Tf", stream)
    ]
    assert sizes and min(sizes) >= 10
