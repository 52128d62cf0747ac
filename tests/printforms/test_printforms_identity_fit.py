"""The cover and referral of a patient identified after a reserve number, reprinted: the extra
identity line and the ÄNDRAD and KOPIA marks fit one page, and content that cannot fit goes on
as whole blocks, never a near-empty page of one box that gets lost in the red tray."""

from __future__ import annotations

import io

from pypdf import PdfReader

import printforms as pf
from printforms.data import LabeledValue, Patient, RedTrayData, ReferralData, SheetMeta

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

PRINTED = "2026-01-15 10:30"
LONG_NAME = "Anna-Karin Margareta Öberg-Ängström Lindqvist"
LONG_UNIT = "Medicinkliniken, avdelning 12 (hjärtintensivvårdsavdelningen)"
LONG_EXAM = "DT hjärna utan kontrast samt DT angiografi av halskärl och intrakraniella kärl"
STEPS = (
    "Bokad i RIS",
    "Undersökningen klarmarkerad i RIS",
    "Bilderna matchade i PACS",
    "Utlåtandet inlagt i RIS",
    "Lagd på radiologens korr-lista",
    "Kontrollerad mot papperet",
)
SAFETY = tuple(
    LabeledValue(label, "Nej")
    for label in (
        "Kontrastmedelsallergi",
        "Njurfunktion",
        "Metformin",
        "Graviditet",
        "Pacemaker/ICD",
        "Implantat",
        "Smitta/isolering",
        "Förflyttning",
    )
)


def _reprinted(**overrides: object) -> SheetMeta:
    """A sheet printed again after its content changed: both ÄNDRAD and KOPIA."""
    return f.meta(reprint_at=f"{PRINTED}:00", changed_since=PRINTED, **overrides)


def _identified(name: str = LONG_NAME) -> Patient:
    return f.patient(name=name, earlier_reserve="RES-20260115-0007")


def _cover(**overrides: object) -> RedTrayData:
    values: dict[str, object] = dict(
        meta=_reprinted(),
        patient=_identified(),
        exam=LONG_EXAM,
        documents=("Remiss v2", "Dokumentation v2", "Utlåtande v1"),
        catch_up_steps=STEPS,
    )
    values.update(overrides)
    return RedTrayData(**values)  # type: ignore[arg-type]


def _referral(**overrides: object) -> ReferralData:
    values: dict[str, object] = dict(
        meta=_reprinted(),
        patient=_identified(),
        referrer=f.referrer(unit=LONG_UNIT, clinician="Dr Karl-Johan Åkerström-Lindqvist"),
        requested_exam=LONG_EXAM,
        safety=SAFETY,
    )
    values.update(overrides)
    return f.referral(**values)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _assert_every_page_identified(pdf: bytes) -> None:
    """Case code, name and identity number in each page's text, and the case in each QR."""
    for text in _pages(pdf):
        assert "K7M2QX" in text and f.PATIENT_ID in text and LONG_NAME[:20] in text
    for payloads in decoded_payloads(pdf, STANDARD_FAX):
        assert any("K7M2QX" in payload for payload in payloads)


def test_reprinted_cover_of_an_identified_patient_fits_one_page() -> None:
    pdf = pf.render_cover(_cover())
    assert len(_pages(pdf)) == 1
    _assert_every_page_identified(pdf)


def test_reprinted_referral_of_an_identified_patient_fits_one_page() -> None:
    pdf = pf.render_referral(_referral())
    assert len(_pages(pdf)) == 1
    _assert_every_page_identified(pdf)


def test_cover_that_cannot_fit_moves_the_catch_up_block_whole() -> None:
    # The most a cover holds: a name and an exam at their form limits under every mark.
    data = _cover(
        meta=_reprinted(is_drill=True, is_cancelled=True),
        patient=_identified(LONG_NAME + " " + "Å" * 60 + " Lindqvist-Öberg" * 6),
        exam=("DT thorax buk med kontrast, " * 12)[:300],
    )
    pdf = pf.render_cover(data)
    pages = _pages(pdf)
    ris = [text for text in pages if "RIS accessionsnummer" in text]
    assert len(ris) == 1
    assert "Efterregistrering i RIS" in ris[0] and all(step in ris[0] for step in STEPS)
    _assert_every_page_identified(pdf)


def test_referral_with_long_texts_keeps_its_closing_blocks_together() -> None:
    # Question and history at the form's limits (4000 and 8000 characters).
    data = _referral(
        meta=_reprinted(is_drill=True),
        clinical_question=("Blödning? Infarkt? Vänstersidig svaghet sedan 08:40. " * 80)[:4000],
        history=("Förmaksflimmer, står på Eliquis, yrsel och huvudvärk sedan i morse. " * 120)[
            :8000
        ],
    )
    pdf = pf.render_referral(data)
    pages = _pages(pdf)
    assert len(pages) > 1
    last = [text for text in pages if "Förflyttning" in text]
    assert len(last) == 1
    assert "Säkerhet" in last[0] and "Kontrastmedelsallergi" in last[0]
    _assert_every_page_identified(pdf)


def test_reprinted_sheets_of_an_identified_patient_stay_one_page_each_in_a_bundle() -> None:
    sheets = [pf.build_sheet(_cover()), pf.build_sheet(_referral())]
    pages = _pages(pf.render_sheets(sheets))
    assert len(pages) == 2
    assert all("Sida 1 av 1" in text for text in pages)
