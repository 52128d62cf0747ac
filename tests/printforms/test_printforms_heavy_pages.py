"""Sheets with much on them, as busy cases print them, on as few pages as they can be read on:
each page of a faxed sheet is one more to lose from the referrer's tray or the red tray."""

from __future__ import annotations

import io

from pypdf import PdfReader

import printforms as pf
from printforms.data import UrgentCall

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads
from .test_printforms_cancel_notice import LONG_DEPARTMENT, TYPICAL_MESSAGE
from .test_printforms_exam_fit import LONG_NAME, _at_limits
from .test_printforms_reply_hours import AT_LIMITS, LONG_CLINICIAN, LONG_NUMBER, LONG_UNIT
from .test_printforms_report_calls import PLAIN, TYPICAL_CALLS, TYPICAL_FINDINGS

URGENT_SECTIONS = (("Fynd", TYPICAL_FINDINGS), ("Bedömning", "Akut subduralhematom."))
THIRD_CALL = UrgentCall(
    "2025-03-02 15:25",
    "Dr Björn Sjöö",
    "Dr Émile Ström, Akutmottagningen",
    "Informerad om subduralhematomet, patienten flyttas till neurokirurgen.",
)


def _pages(pdf: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def _assert_pages(pdf: bytes, count: int, payload: str) -> None:
    """count pages, each with the case code, the patient's name and number, and its QR."""
    pages = _pages(pdf)
    assert len(pages) == count
    for text in pages:
        assert "K7M2QX" in text and f.PATIENT_NAME in text and f.PATIENT_ID in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [[payload]] * count


def test_an_urgent_report_with_findings_an_addendum_and_two_calls_is_one_page() -> None:
    data = f.report(
        sections=URGENT_SECTIONS, addenda=(PLAIN,), urgent_calls=TYPICAL_CALLS, is_urgent=True
    )
    _assert_pages(pf.render_report(data), 1, "RR1:K7M2QX:UTL:3")


def test_an_urgent_report_with_three_calls_is_one_page() -> None:
    data = f.report(urgent_calls=(*TYPICAL_CALLS, THIRD_CALL), is_urgent=True)
    _assert_pages(pf.render_report(data), 1, "RR1:K7M2QX:UTL:3")


def test_an_exam_sheet_with_every_short_field_at_its_limit_under_every_mark_is_two_pages() -> None:
    # What the exam, radiographers and contrast agent take at their limits (300, 300 and 120
    # characters) in boxes of their width; the closing sections go on with the dose block.
    pdf = pf.render_exam(_at_limits())
    pages = _pages(pdf)
    assert len(pages) == 2
    assert "Stråldos och bilder" in pages[1] and "Anteckningar" in pages[1]
    for text in pages:
        assert "K7M2QX" in text and f.PATIENT_ID in text and LONG_NAME[:20] in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:DOK:1"]] * 2


def test_a_cancel_notice_with_every_field_at_its_limit_under_every_mark_is_two_pages() -> None:
    # The site's name, the addressee and the sender's numbers and hours at their limits, the
    # patient's name (200), the exam (300), whoever cancelled (120) and the reason (1,000).
    meta = f.meta(
        qr_payload="RR1:K7M2QX:MAK:2",
        department=LONG_DEPARTMENT,
        reprint_at="2025-03-02 16:40:00",
        changed_since="2025-03-02 15:00",
        is_drill=True,
    )
    fax = f.fax_header(
        **AT_LIMITS, to_unit=LONG_UNIT, to_fax=LONG_NUMBER, from_department=LONG_DEPARTMENT
    )
    data = f.cancel_notice(
        meta=meta,
        patient=f.patient(name=((LONG_NAME + " ") * 5)[:200]),
        fax=fax,
        referrer_clinician=LONG_CLINICIAN,
        requested_exam=("DT thorax buk med kontrast, " * 12)[:300],
        message=((TYPICAL_MESSAGE + " ") * 6)[:995] + " SLUT",
        cancelled_by=("Görel Nyström-Åkerlund " * 6)[:120],
    )
    pdf = pf.render_cancel_notice(data)
    pages = _pages(pdf)
    assert len(pages) == 2
    assert "SLUT Frågor eller ny remiss: ring" in pages[1]
    for text in pages:
        assert "K7M2QX" in text and f.PATIENT_ID in text and LONG_NAME[:20] in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:MAK:2"]] * 2
