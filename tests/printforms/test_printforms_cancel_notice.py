"""The notice that tells the referrer their exam will not be done (a cancelled case)."""

from __future__ import annotations

import printforms as pf

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, pdf_text


def test_cancel_notice_names_referrer_patient_exam_reason_and_whom_to_call() -> None:
    # A value may wrap in its box: the unit beside the clinician does.
    text = " ".join(pdf_text(pf.render_cancel_notice(f.cancel_notice())).split())
    for value in (
        "UNDERSÖKNINGEN UTFÖRS INTE",
        "Akutmottagningen Demosjukhuset",
        "Dr Émile Ström",
        "010-000 00 02",  # the reply fax it goes to
        f.PATIENT_NAME,
        f.PATIENT_ID,
        "DT hjärna utan kontrast",
        "Fax 2025-03-02 13:40",
        "Patienten har flyttats till Lillby och undersöks där.",
        "2025-03-02 14:10",
        "Görel Nyström",
        "010-000 00 08",  # the department's phone, as on the report's fax block
    ):
        assert value in text, value


def test_cancel_notice_is_not_marked_cancelled_itself() -> None:
    # MAKULERAD on a sheet means "this paper is void": the notice itself is valid.
    meta = f.meta(qr_payload="RR1:K7M2QX:MAK:2", is_cancelled=True)
    text = pdf_text(pf.render_cancel_notice(f.cancel_notice(meta=meta)))
    assert "MAKULERAD" not in text


def test_cancel_notice_qr_reads_back_at_both_fax_resolutions() -> None:
    pdf = pf.render_cancel_notice(f.cancel_notice())
    for resolution in (STANDARD_FAX, FINE_FAX):
        assert decoded_payloads(pdf, resolution) == [["RR1:K7M2QX:MAK:2"]]


def test_cancel_notice_with_a_long_message_repeats_code_and_qr_on_every_page() -> None:
    pdf = pf.render_cancel_notice(f.cancel_notice(message=f.LONG_HISTORY * 3 + " SLUT-ÅÄÖ"))
    assert "SLUT-ÅÄÖ" in pdf_text(pdf)
    pages = decoded_payloads(pdf, STANDARD_FAX)
    assert len(pages) >= 2
    assert pages == [["RR1:K7M2QX:MAK:2"]] * len(pages)


# A real department's name (the site's setting has no limit) and a reason as staff write it.
LONG_DEPARTMENT = (
    "Verksamhetsområde Bild- och funktionsmedicin, Sahlgrenska Universitetssjukhuset/Östra "
    "sjukhuset, Akutröntgen"
)
TYPICAL_MESSAGE = (
    "Patienten har skrivits ut från akuten innan undersökningen kunde göras. Kontakta oss om "
    "undersökningen fortfarande behövs, så bokar vi en ny tid när systemen fungerar igen."
)


def test_a_typical_notice_reprinted_after_a_change_from_a_long_named_site_is_one_page() -> None:
    # Both marks, a reply contact's hours and a reason of two sentences: not the limits, which
    # take two pages, but what a busy site prints.
    meta = f.meta(
        qr_payload="RR1:K7M2QX:MAK:2",
        department=LONG_DEPARTMENT,
        reprint_at="2025-03-02 16:40:00",
        changed_since="2025-03-02 15:00",
    )
    fax = f.fax_header(
        from_department=LONG_DEPARTMENT,
        from_hours="mån–fre 07:30–15:30, lör 08:00–12:00",
        then_fax="0999-100 01",
        then_phone="0999-100 00",
    )
    pdf = pf.render_cancel_notice(f.cancel_notice(meta=meta, fax=fax, message=TYPICAL_MESSAGE))
    text = " ".join(pdf_text(pdf).split())
    assert "Sida 1 av 1" in text and "Frågor eller ny remiss: ring telefon 010-000 00 08" in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:MAK:2"]]
