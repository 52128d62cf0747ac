"""A patient identified after being examined under a reserve number: every page of a sheet
that runs onto more than one names that number, as the first page's patient box does. RIS and
PACS may hold the booking and images under it, and a fax page that came apart from the first
is keyed on its own."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import printforms as pf
from printforms.data import CaseDocument

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

EARLIER = "RES-20260115-0007"
LONG = f.LONG_HISTORY * 3


def _documents() -> dict[str, CaseDocument]:
    patient = f.patient(earlier_reserve=EARLIER)
    report = f.report(patient=patient, sections=(("Fynd", LONG), ("Bedömning", LONG)))
    return {
        "referral": f.referral(patient=patient, history=LONG),
        "exam": f.exam(patient=patient, notes=LONG),
        "report": report,
        "release": f.release_report(report=report),
    }


def _pages(pdf: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


@pytest.mark.parametrize("kind", ["referral", "exam", "report", "release"])
def test_every_page_names_the_earlier_reserve_number(kind: str) -> None:
    pdf = pf.render_bundle([_documents()[kind]])
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert EARLIER in text, f"page {number} of {len(pages)} lacks the earlier reserve number"
        assert f.PATIENT_ID in text
        assert f"Sida {number} av {len(pages)}" in text


def test_the_continued_pages_still_scan_at_fax_resolution() -> None:
    document = _documents()["report"]
    pdf = pf.render_bundle([document])
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert len(payloads) >= 3
    assert all(found == [document.meta.qr_payload] for found in payloads)


def test_a_patient_never_corrected_has_no_earlier_line_on_later_pages() -> None:
    pdf = pf.render_bundle([f.referral(history=LONG)])
    assert all("Tidigare reservnummer" not in text for text in _pages(pdf))


def test_a_bundle_keeps_each_sheets_pages_and_the_anonymised_sheet_without_the_number() -> None:
    documents = _documents()
    anonymised = f.anonymised_referral(history=LONG)
    pdf = pf.render_bundle([documents["referral"], documents["exam"], anonymised])
    pages = _pages(pdf)
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    named = [p for p, found in zip(pages, payloads, strict=True) if found != ["RR1:K7M2QX:ARE:1"]]
    unnamed = [p for p, found in zip(pages, payloads, strict=True) if found == ["RR1:K7M2QX:ARE:1"]]
    assert len(named) >= 4 and len(unnamed) >= 2
    assert all(EARLIER in text for text in named)
    # The reviewer's sheet names no patient: nor the number they were examined under.
    assert all(EARLIER not in text and "Tidigare reservnummer" not in text for text in unnamed)
    assert f"Sida 1 av {len(unnamed)}" in unnamed[0]
