"""The exam documentation sheet of a patient identified after a reserve number, reprinted: the
extra identity line and the ÄNDRAD and KOPIA marks fit one page, and when the content cannot
fit, the closing sections go on with the dose block, never alone on a near-empty page."""

from __future__ import annotations

import io

from pypdf import PdfReader

import printforms as pf
from printforms.data import ExamData, SheetMeta

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

PRINTED = "2026-01-15 10:30"
LONG_NAME = "Anna-Karin Margareta Öberg-Ängström Lindqvist"
NOTES = "Patienten orolig, fixerad med kudde."


def _reprinted(**overrides: object) -> SheetMeta:
    """A sheet printed again after its content changed: both ÄNDRAD and KOPIA."""
    return f.meta(
        qr_payload="RR1:K7M2QX:DOK:1",
        reprint_at=f"{PRINTED}:00",
        changed_since=PRINTED,
        **overrides,
    )


def _exam(name: str = LONG_NAME, **overrides: object) -> ExamData:
    values: dict[str, object] = dict(
        meta=_reprinted(),
        patient=f.patient(name=name, earlier_reserve="RES-20260115-0007"),
        notes=NOTES,
    )
    values.update(overrides)
    return f.exam(**values)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _assert_every_page_identified(pdf: bytes) -> None:
    """Case code, name and identity number in each page's text, and the case in each QR."""
    for text in _pages(pdf):
        assert "K7M2QX" in text and f.PATIENT_ID in text and LONG_NAME[:20] in text
    for payloads in decoded_payloads(pdf, STANDARD_FAX):
        assert any("K7M2QX" in payload for payload in payloads)


def _at_limits(**overrides: object) -> ExamData:
    """Every short field of the documentation form at its limit, under every mark."""
    values: dict[str, object] = dict(
        meta=_reprinted(is_drill=True, is_cancelled=True),
        name=LONG_NAME + " " + "Å" * 60 + " Lindqvist-Öberg" * 6,
        exam_performed=("DT thorax buk med kontrast, " * 12)[:300],
        radiographers=("Kjell Åberg-Lindqvist, Märta Öst-Ängström, " * 8)[:300],
        modality_temp_id="RES-" + "0" * 60,
        contrast_agent=("Omnipaque 350 mg I/ml, " * 6)[:120],
        contrast_batch="B" * 40,
        infection="Ja: " + ("MRSA, kontaktsmitta, " * 6)[:120],
        mobility="Liggande, behöver lyft",
        warnings=("Kontrastmedelsallergi: Ja", "Njurfunktion: eGFR 28"),
    )
    values.update(overrides)
    name = str(values.pop("name"))
    return _exam(name, **values)


def test_reprinted_exam_sheet_of_an_identified_patient_fits_one_page() -> None:
    pdf = pf.render_exam(_exam())
    pages = _pages(pdf)
    assert len(pages) == 1
    assert "Komplikationer" in pages[0] and NOTES in " ".join(pages[0].split())
    _assert_every_page_identified(pdf)


def test_exam_sheet_that_cannot_fit_moves_its_closing_sections_with_the_dose_block() -> None:
    pdf = pf.render_exam(_at_limits())
    pages = _pages(pdf)
    assert len(pages) > 1
    closing = [text for text in pages if "Anteckningar" in text]
    assert len(closing) == 1
    # Not a page of only the trailing sections: the dose block heading and its boxes go along.
    assert "Komplikationer" in closing[0]
    assert "Stråldos och bilder" in closing[0] and "Bilder till PACS" in closing[0]
    _assert_every_page_identified(pdf)


def test_long_closing_texts_flow_on_with_their_headings() -> None:
    # Complications and notes at the form's limits (4000 and 8000 characters).
    data = _at_limits(
        complications=("Lätt illamående efter kontrast, gick över efter tio minuter. " * 70)[:4000],
        notes=("Patienten orolig, fixerad med kudde, anhörig med under undersökningen. " * 120)[
            :8000
        ],
    )
    pdf = pf.render_exam(data)
    pages = _pages(pdf)
    assert len(pages) > 2
    for title, first_words in (
        ("Komplikationer", "Lätt illamående"),
        ("Anteckningar", "Patienten orolig"),
    ):
        [page] = [text for text in pages if title in text]
        # The heading is never the last line of its page, its text apart on the next.
        assert first_words in page[page.index(title) :]
    _assert_every_page_identified(pdf)


def test_exam_sheet_a_little_too_long_keeps_its_closing_sections_with_the_dose_block() -> None:
    # The reprint of the first test with the referral's warnings and a longer transport note.
    data = _exam(
        warnings=("Kontrastmedelsallergi: Ja", "Njurfunktion: eGFR 28"),
        infection="Ja: MRSA, kontaktsmitta",
        mobility="Liggande, behöver lyft",
        complications="Lätt illamående efter kontrast, gick över efter tio minuter.",
    )
    pdf = pf.render_exam(data)
    pages = _pages(pdf)
    assert len(pages) == 2
    closing = [text for text in pages if "Anteckningar" in text]
    assert len(closing) == 1
    assert "Komplikationer" in closing[0]
    assert "Stråldos och bilder" in closing[0] and "Bilder till PACS" in closing[0]
    _assert_every_page_identified(pdf)
