"""The report printed for a release's recipient: addressed to them, the report's own sheet."""

from __future__ import annotations

import io

from pypdf import PdfReader

import printforms as pf

from . import factories as f
from .conftest import pdf_text


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_release_report_is_addressed_to_the_recipient_with_the_report_text() -> None:
    text = pdf_text(pf.render_release_report(f.release_report()))
    for value in (
        "Svarsmottagare",
        "Röntgen Länssjukhuset Ryhov",
        "Sjukhusgatan 1",
        "551 85 Jönköping",
        "Bilder på CD, med post",
        "Ingen akut intrakraniell patologi.",
        "Jämfört med tidigare: oförändrat.",
        "Definitivt signerat",
    ):
        assert value in text


def test_release_report_has_no_fax_header_to_the_referrer() -> None:
    text = pdf_text(pf.render_release_report(f.release_report()))
    assert "Svarsfax" not in text
    assert "Akutmottagningen Demosjukhuset" not in text


def test_every_page_of_a_long_release_report_carries_both_identifiers_and_the_code() -> None:
    data = f.release_report(report=f.report(sections=(("Fynd", f.LONG_HISTORY * 2),)))
    pages = _page_texts(pf.render_release_report(data))
    assert len(pages) >= 2
    for text in pages:
        assert f.PATIENT_NAME[:10] in text and f.PATIENT_ID in text
        assert "K7M2QX" in text


def test_preliminary_release_report_says_preliminary() -> None:
    data = f.release_report(
        report=f.report(is_preliminary=True, signature_state="Preliminärt signerat")
    )
    text = pdf_text(pf.render_release_report(data))
    assert "PRELIMINÄRT" in text and "Preliminärt signerat" in text
