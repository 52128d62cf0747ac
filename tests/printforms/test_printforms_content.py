"""What is printed: the entered values, marks, anonymisation, and fax-proof geometry."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

import printforms as pf
from printforms.base import (
    CONTENT_LEFT_MM,
    EDGE_MM,
    FONT,
    FOOTER_RULE_MM,
    PAGE_W_MM,
    register_fonts,
)
from printforms.qr import QR_QUIET_MODULES, qr_spec

from . import factories as f
from .conftest import drawing_streams, pdf_text, raw_streams


def test_referral_holds_the_entered_values() -> None:
    text = pdf_text(pf.render_referral(f.referral()))
    for value in (
        f.PATIENT_NAME,
        f.PATIENT_ID,
        "Akutmottagningen Demosjukhuset",
        "010-000 00 02",
        "Dr Émile Ström",
        "Blödning? Infarkt?",
        "Görel Nyström",
        "eGFR 72",
    ):
        assert value in text


def test_long_history_is_not_cut_off() -> None:
    history = f.LONG_HISTORY + " SLUTORD-ÅÄÖ"
    pdf = pf.render_referral(f.referral(history=history))
    assert "SLUTORD-ÅÄÖ" in pdf_text(pdf)
    assert "Sida 2 av" in pdf_text(pdf)


def test_exam_sheet_holds_dose_and_modality_id() -> None:
    text = pdf_text(pf.render_exam(f.exam()))
    for value in ("RES-0042", "812 mGy·cm", "48,2 mGy", "Kjell Åberg, Märta Öst", "Omnipaque 350"):
        assert value in text


def test_report_has_fax_header_sections_addendum_and_page_count() -> None:
    text = pdf_text(pf.render_report(f.report(urgent_calls=(f.urgent_call(),))))
    for value in (
        "Till",
        "Akutmottagningen Demosjukhuset",
        "010-000 00 02",
        "010-000 00 09",
        "Ingen akut intrakraniell patologi.",
        "Tillägg 2025-03-02 15:30",
        "Jämfört med tidigare: oförändrat.",
        "Sida 1 av 1",
        "Informerad om fynd",
    ):
        assert value in text


def test_cover_sheet_lists_documents_and_steps() -> None:
    text = pdf_text(pf.render_cover(f.red_tray()))
    for value in ("K7M2QX", "Utlåtande v3", "Bilder matchade i PACS", "RIS accessionsnummer"):
        assert value in text


def test_cover_sheet_says_the_paper_stays_in_the_red_tray_until_the_radiologist_is_done() -> None:
    # The routine: referral, report and documentation kept together in the red tray until the
    # radiologist has completed the exam; the last catch-up tick is not that moment.
    text = " ".join(pdf_text(pf.render_cover(f.red_tray())).split())
    assert "tills radiologen har avslutat undersökningen i RIS" in text


def test_incident_list_has_one_line_per_case() -> None:
    data = f.incident_list(cases=60)
    text = pdf_text(pf.render_incident_list(data))
    for row in data.cases:
        assert row.case_code in text
    assert text.count("Undersökning") >= 2  # the header repeats on the next page


@pytest.mark.parametrize(
    ("render", "anon"),
    [
        (pf.render_anonymised_referral, f.anonymised_referral),
        (pf.render_anonymised_report, f.anonymised_report),
    ],
)
def test_anonymised_documents_hold_no_identity(render, anon) -> None:
    pdf = render(anon())
    text = pdf_text(pdf)
    raw = raw_streams(pdf)
    assert "ANONYMISERA" in text and "K7M2QX" in text
    for secret in (f.PATIENT_NAME, f.PATIENT_ID, "19121212", "Öberg", "Ängström"):
        assert secret not in text
        assert secret.encode("utf-8") not in raw
        assert secret.encode("utf-16-be") not in raw


def test_anonymised_data_has_no_identity_fields() -> None:
    fields = set(f.anonymised_referral().__dataclass_fields__) | set(
        f.anonymised_report().__dataclass_fields__
    )
    assert not fields & {"patient", "name", "id_number", "personnummer", "address"}


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_long_history_starts_on_the_first_page() -> None:
    pages = _page_texts(pf.render_referral(f.referral(history=f.LONG_HISTORY)))
    assert "Anamnes" in pages[0] and "Mening 0:" in pages[0]


def test_every_page_says_which_page_of_how_many() -> None:
    pages = _page_texts(pf.render_referral(f.referral(history=f.LONG_HISTORY * 2)))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text
        assert "K7M2QX" in text


def test_drill_mark_on_every_page() -> None:
    pdf = pf.render_referral(f.with_meta(f.referral(history=f.LONG_HISTORY * 2), is_drill=True))
    pages = _page_texts(pdf)
    assert len(pages) >= 2
    assert all("ÖVNING" in text for text in pages)


def test_bundle_numbers_pages_per_document() -> None:
    long_referral = f.referral(history=f.LONG_HISTORY * 2)
    pages = _page_texts(pf.render_bundle([long_referral, f.exam()]))
    assert "Sida 1 av" in pages[0] and "Sida 1 av 1" in pages[-1]
    assert "DOKUMENTATION" in pages[-1]


def test_anonymised_header_says_anonymised() -> None:
    for pdf in (
        pf.render_anonymised_referral(f.anonymised_referral()),
        pf.render_anonymised_report(f.anonymised_report()),
    ):
        assert "ANONYMISERAD" in pdf_text(pdf)


def test_preliminary_report_is_marked() -> None:
    text = pdf_text(
        pf.render_report(f.report(is_preliminary=True, signature_state="Preliminärt signerat"))
    )
    assert "PRELIMINÄRT" in text
    assert "PRELIMINÄRT" not in pdf_text(pf.render_report(f.report()))


def test_reprint_says_copy_with_print_time() -> None:
    long_exam = f.exam(notes=f.LONG_HISTORY * 2)
    pages = _page_texts(pf.render_exam(f.with_meta(long_exam, reprint_at="2025-03-02 16:40")))
    assert len(pages) >= 2
    assert all("KOPIA" in text and "2025-03-02 16:40" in text for text in pages)
    assert "KOPIA" not in pdf_text(pf.render_exam(f.exam()))
    assert "ÖVNING" not in pdf_text(pf.render_exam(f.exam()))


@pytest.mark.parametrize("kind", ["exam", "report"])
def test_documentation_and_report_blanks_ask_for_the_referrals_code(kind: str) -> None:
    # The scan station finds the case such a blank belongs to by this code.
    assert "Remissens ärendekod" in pdf_text(pf.render_blank_stack([f.blank(kind)]))


@pytest.mark.parametrize(
    ("render", "data"),
    [
        (pf.render_referral, f.referral(history=f.LONG_HISTORY * 2)),
        (pf.render_exam, f.exam(notes=f.LONG_HISTORY * 2)),
        (pf.render_report, f.report(sections=(("Fynd", f.LONG_HISTORY * 2),))),
        (pf.render_cover, f.red_tray()),
        (pf.render_anonymised_referral, f.anonymised_referral()),
        (pf.render_anonymised_report, f.anonymised_report()),
    ],
    ids=["referral", "exam", "report", "cover", "anonymised-referral", "anonymised-report"],
)
def test_cancelled_case_is_marked_on_every_page(render, data) -> None:
    # A reprint of a cancelled case must not pass for a live referral in the red tray.
    pages = _page_texts(render(f.with_meta(data, is_cancelled=True, reprint_at="2025-03-02 16:40")))
    assert all(text.count("MAKULERAD") >= 2 for text in pages)  # header box and footer
    assert "MAKULERAD" not in pdf_text(render(data))


@pytest.mark.parametrize("kind", ["referral", "exam", "report"])
def test_reprinted_blank_is_marked_copy_and_stays_one_sheet(kind: str) -> None:
    # A blank's fields for the patient are on its first page only: it must not spill over.
    blank = f.blank(kind, reprint_at="2025-03-02 16:40:00", priorities=MANY_PRIORITIES)
    pages = _page_texts(pf.render_blank_stack([blank]))
    assert len(pages) == 1
    assert "KOPIA" in pages[0] and "2025-03-02 16:40:00" in pages[0]
    assert "KOPIA" not in pdf_text(pf.render_blank_stack([f.blank(kind)]))


LONG_TEXT = f.LONG_HISTORY * 2
LONG_NAME = "Karl-Gustav Maximilian Åkerlund-Östergren von Hohenzollern-Sigmaringen"


def _identified(patient: Any) -> dict[str, bytes]:
    """Each identified sheet long enough to need continuation pages, for this patient."""
    return {
        "referral": pf.render_referral(f.referral(patient=patient, history=LONG_TEXT)),
        "exam": pf.render_exam(f.exam(patient=patient, notes=LONG_TEXT)),
        "report": pf.render_report(f.report(patient=patient, sections=(("Fynd", LONG_TEXT),))),
    }


@pytest.mark.parametrize("kind", ["referral", "exam", "report"])
def test_every_page_of_an_identified_sheet_names_the_patient(kind: str) -> None:
    pages = _page_texts(_identified(f.patient())[kind])
    assert len(pages) >= 2
    for text in pages:
        assert f.PATIENT_NAME in text and f.PATIENT_ID in text and "K7M2QX" in text


def test_every_page_of_a_bundle_names_the_patient() -> None:
    bundle = [f.red_tray(), f.referral(history=LONG_TEXT), f.exam(), f.report()]
    pages = _page_texts(pf.render_bundle(bundle))
    assert len(pages) >= 5
    assert all(f.PATIENT_NAME in text and f.PATIENT_ID in text for text in pages)


@pytest.mark.parametrize("kind", ["referral", "exam", "report"])
def test_unnamed_reserve_patient_is_named_unknown_on_every_page(kind: str) -> None:
    patient = f.patient(name="Namn okänt", id_label="Reservnummer", id_number="R-2025-0007")
    pages = _page_texts(_identified(patient)[kind])
    assert len(pages) >= 2
    assert all("Namn okänt · Reservnummer R-2025-0007" in text for text in pages)


def test_long_name_is_shortened_in_the_header_but_the_number_is_whole() -> None:
    patient = f.patient(name=LONG_NAME, id_label="Samordningsnummer", id_number="19121272-1219")
    pages = _page_texts(_identified(patient)["report"])
    assert len(pages) >= 2
    assert all("Karl-Gustav" in text and "19121272-1219" in text for text in pages)


@pytest.mark.parametrize(
    "pdf",
    [
        lambda: pf.render_anonymised_referral(f.anonymised_referral(history=LONG_TEXT)),
        lambda: pf.render_anonymised_report(f.anonymised_report(sections=(("Fynd", LONG_TEXT),))),
    ],
    ids=["referral", "report"],
)
def test_anonymised_continuation_pages_hold_no_identity(pdf) -> None:
    rendered = pdf()
    pages = _page_texts(rendered)
    assert len(pages) >= 2
    raw = raw_streams(rendered)
    for secret in (f.PATIENT_NAME, f.PATIENT_ID, "Personnummer", "Namn okänt"):
        assert all(secret not in text for text in pages)
        assert secret.encode("utf-16-be") not in raw


def _rendered(pdf: bytes, dpi: int = 100):
    doc = pdfium.PdfDocument(pdf)
    for index in range(len(doc)):
        yield doc[index].render(scale=dpi / 72).to_pil().convert("L")
    doc.close()


LONG_DEPARTMENT = (
    "Verksamhetsområde Bild- och funktionsmedicin, Sahlgrenska Universitetssjukhuset/Östra "
    "sjukhuset, Akutröntgen"
)

MANY_PRIORITIES = (
    "Akut (inom 1 timme)",
    "Inom 4 timmar",
    "Samma dag",
    "Inom 3 dagar",
    "Inom 2 veckor",
    "Rutin",
)

ALL = [
    lambda: pf.render_blank_stack([f.blank("referral", priorities=MANY_PRIORITIES)]),
    lambda: pf.render_referral(f.with_meta(f.referral(), department=LONG_DEPARTMENT)),
    lambda: pf.render_incident_list(f.incident_list(cases=3, department=LONG_DEPARTMENT)),
    lambda: pf.render_referral(f.with_meta(f.referral(), is_drill=True, reprint_at="2025-03-02")),
    lambda: pf.render_exam(f.exam()),
    lambda: pf.render_report(f.report(is_preliminary=True)),
    lambda: pf.render_cover(f.red_tray()),
    lambda: pf.render_incident_list(f.incident_list(cases=40)),
    lambda: pf.render_followup(f.followup(rows=80, provisional_as_of="2025-03-02 15:00")),
    lambda: pf.render_anonymised_referral(f.anonymised_referral()),
    lambda: pf.render_anonymised_report(f.with_meta(f.anonymised_report(), is_drill=True)),
    lambda: pf.render_bundle([f.red_tray(), f.referral(), f.exam(), f.report()]),
    lambda: pf.render_blank_stack([f.blank("referral"), f.blank("exam", 2), f.blank("report", 3)]),
    lambda: pf.render_routines(
        f.routine_binder(
            f.routine_scenario(steps=tuple(f"Steg {i}" for i in range(30))),
            f.routine_scenario(),
            site=LONG_DEPARTMENT,
            printed_by="Maria-Eleonora Johansson Åkerlund " * 3,
            address="https://255.255.255.255:65535/",
        )
    ),
    lambda: pf.render_report(
        f.with_meta(
            f.report(patient=f.patient(name=LONG_NAME), sections=(("Fynd", LONG_TEXT),)),
            is_drill=True,
            reprint_at="2025-03-02 16:40:00",
        )
    ),
]


@pytest.mark.parametrize("render", ALL)
def test_nothing_within_15_mm_of_the_edge(render) -> None:
    band = round(15 / 25.4 * 100)
    for image in _rendered(render()):
        w, h = image.size
        for box in ((0, 0, w, band), (0, h - band, w, h), (0, 0, band, h), (w - band, 0, w, h)):
            assert image.crop(box).getextrema()[0] >= 250, box


@pytest.mark.parametrize(
    ("render", "payload"),
    [
        (
            lambda: pf.render_referral(f.with_meta(f.referral(), department=LONG_DEPARTMENT)),
            "RR1:K7M2QX:REM:1",
        ),
        (
            lambda: pf.render_incident_list(f.incident_list(cases=3, department=LONG_DEPARTMENT)),
            # A list's QR is sized for its widest page number.
            "RR1:I12-K7Q3:LST:9999",
        ),
    ],
    ids=["referral", "incident-list"],
)
def test_long_department_name_keeps_out_of_the_qr_quiet_zone(render, payload: str) -> None:
    dpi = 100
    spec = qr_spec(payload)
    quiet = QR_QUIET_MODULES * spec.module_mm
    x0, x1 = PAGE_W_MM - EDGE_MM - 1.0 - spec.size_mm, PAGE_W_MM - EDGE_MM - 1.0
    # The modules start at the header's top; the quiet zone above them lies in the edge band.
    y0 = EDGE_MM + 1.0 - quiet

    def px(value_mm: float) -> int:
        return round(value_mm / 25.4 * dpi)

    pdf = render()
    image = next(_rendered(pdf, dpi))
    # The quiet zone above the modules and left of them, a pixel inside: all white.
    above = (px(x0) + 1, px(y0) + 1, px(x1) - 1, px(y0 + quiet) - 1)
    left = (px(x0) + 1, px(y0) + 1, px(x0 + quiet) - 1, px(y0 + spec.size_mm) - 1)
    for box in (above, left):
        assert image.crop(box).getextrema()[0] >= 250, box
    assert "Verksamhetsområde Bild- och funktionsmedicin" in pdf_text(pdf)


def test_footer_marks_keep_clear_of_the_case_code() -> None:
    # The most marks a sheet can carry: an anonymised preliminary report reprinted in a drill.
    report = f.with_meta(f.anonymised_report(is_preliminary=True), is_drill=True)
    pdf = pf.render_anonymised_report(f.with_meta(report, reprint_at="2025-03-02 16:40:00"))
    dpi = 200
    image = next(_rendered(pdf, dpi))

    def px(value_mm: float) -> int:
        return round(value_mm / 25.4 * dpi)

    register_fonts()
    left_end = CONTENT_LEFT_MM + stringWidth("K7M2QX · Reservrutin", FONT, 10) / 72 * 25.4
    base = image.height - px(FOOTER_RULE_MM - 4.5)
    gap = (px(left_end) + 2, base - px(3.5), px(left_end + 2.0), base + px(1.0))
    assert image.crop(gap).getextrema()[0] >= 250, gap


COLOUR_OPS = re.compile(rb"(?<![\w.])((?:[\d.]+\s+){1,4})(rg|RG|g|G|k|K)\b")


@pytest.mark.parametrize("render", ALL)
def test_black_on_white_without_grey_fills(render) -> None:
    # Every colour the content streams set must be pure black or pure white.
    found = [m for stream in drawing_streams(render()) for m in COLOUR_OPS.findall(stream)]
    assert found
    for values, _op in found:
        assert {float(v) for v in values.split()} <= {0.0, 1.0}, values


def test_swedish_characters_are_embedded_in_a_font() -> None:
    pdf = pf.render_referral(f.referral())
    assert b"DejaVuSans" in pdf
    assert "å" in pdf_text(pdf) or "Å" in pdf_text(pdf)


def test_referral_prints_the_radiologists_instruction_with_who_and_when() -> None:
    text = pdf_text(
        pf.render_referral(
            f.referral(
                protocol="Gör DT buk portovenös fas. Ring mig när patienten är på plats.",
                protocol_written="Rita Radiolog 2025-03-02 14:30",
            )
        )
    )
    assert "Radiologens instruktion" in text
    assert "Ring mig när patienten är på plats." in text
    assert "Rita Radiolog 2025-03-02 14:30" in text


def test_referral_without_an_instruction_has_no_such_heading() -> None:
    assert "Radiologens instruktion" not in pdf_text(pf.render_referral(f.referral()))
