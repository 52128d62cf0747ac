"""Every character typed reaches the paper as itself, or as its code: never as an empty box."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

import printforms as pf

from . import factories as f
from .conftest import pdf_text

# Names as Swedish hospitals meet them: Sámi, Polish, Turkish, Vietnamese, Greek, Cyrillic.
NAMES = (
    "Máhtte Ŋuolja-Đuoddaš Ŧŧšž",
    "Łukasz Żółć-Śliwiński",
    "İlkay Doğan Işıkçı Şahin",
    "Nguyễn Thị Ngọc Ánh Phạm Đức Hưởng",
    "Αλέξανδρος Παπαδόπουλος",
    "Ёлкина Анна Сергеевна",
)
# DejaVu Sans has no glyph for these: an emoji pasted from a phone, a name in Chinese, Amharic.
MISSING = "👍 王芳 ትግርኛ"
SHOWN = "[U+1F44D] [U+738B][U+82B3] [U+1275][U+130D][U+122D][U+129B]"


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Characters handed to a font that has no glyph for them: each is drawn as an empty box."""
    found: list[str] = []
    split = TTFont.splitString

    def checked(self: TTFont, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        found.extend(c for c in str(text) if ord(c) not in self.face.charToGlyph)
        return split(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", checked)
    yield found


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _identified(name: str, text: str) -> dict[str, Callable[[], bytes]]:
    patient = f.patient(name=name)
    long_text = f"{text} {f.LONG_HISTORY * 2} {text}"
    report = f.report(
        patient=patient, sections=(("Fynd", long_text),), addenda=(f.report().addenda[0],)
    )
    return {
        "referral": lambda: pf.render_referral(
            f.referral(patient=patient, history=long_text, requested_exam=text)
        ),
        "exam": lambda: pf.render_exam(
            f.exam(patient=patient, notes=long_text, radiographers=text)
        ),
        "report": lambda: pf.render_report(report),
        "release-report": lambda: pf.render_release_report(
            f.release_report(report=report, recipient_address=text)
        ),
        "cover": lambda: pf.render_cover(f.red_tray(patient=patient, exam=text)),
    }


def _unidentified(text: str) -> dict[str, Callable[[], bytes]]:
    return {
        "anonymised-referral": lambda: pf.render_anonymised_referral(
            f.anonymised_referral(history=text, referring_unit=text)
        ),
        "anonymised-report": lambda: pf.render_anonymised_report(
            f.anonymised_report(sections=(("Fynd", text),), radiologist=text)
        ),
        "incident-list": lambda: pf.render_incident_list(
            replace(f.incident_list(scenario=text), cases=(f.incident_row(1, patient=text),))
        ),
        "blank": lambda: pf.render_blank_stack([f.blank(department=text, priorities=(text,))]),
    }


@pytest.mark.parametrize("kind", list(_identified("", "")))
@pytest.mark.parametrize("name", NAMES)
def test_names_of_many_languages_print_exactly_on_every_page(
    boxes: list[str], kind: str, name: str
) -> None:
    pages = _pages(_identified(name, "Ökad täthet.")[kind]())
    assert all(name in text for text in pages)
    assert boxes == []


@pytest.mark.parametrize("kind", list(_identified("", "")))
def test_a_character_without_a_glyph_prints_as_its_code_on_every_page(
    boxes: list[str], kind: str
) -> None:
    # An empty box says neither which character it was nor tells two such names apart.
    pages = _pages(_identified(f"Wang {MISSING}", MISSING)[kind]())
    assert len(pages) >= 2 or kind == "cover"
    assert all("Wang [U+1F44D]" in text for text in pages)
    assert SHOWN in "".join(pages)
    assert boxes == []


@pytest.mark.parametrize("kind", list(_unidentified("")))
def test_a_character_without_a_glyph_prints_as_its_code_on_the_other_sheets(
    boxes: list[str], kind: str
) -> None:
    # The list's narrow columns break the codes over lines.
    assert SHOWN.replace(" ", "") in "".join(pdf_text(_unidentified(MISSING)[kind]()).split())
    assert boxes == []


@pytest.mark.parametrize("kind", [*_identified("", ""), *_unidentified("")])
def test_tabs_and_line_separators_print_as_spaces_and_line_breaks(
    boxes: list[str], kind: str
) -> None:
    # Pasted from a spreadsheet (tab) or an old system (a lone CR): the font has no glyph for
    # either, and the header's name and the list's cells are drawn as they come. A line
    # separator's glyph is empty: in the header's name the two words ran together.
    sheets = {
        **_identified("Öberg\tÅsa\u2028Lind", "Öberg\tÅsa\rrad två\r\nrad tre"),
        **_unidentified("Öberg\tÅsa\rrad två\r\nrad tre"),
    }
    text = pdf_text(sheets[kind]())
    assert "Öberg Åsa" in text and "\u2028" not in text
    assert boxes == []


# Outside the Basic Multilingual Plane, yet in the fonts: drawn as themselves on the paper.
ASTRAL = "😀 𝔸𝕟𝕟𝕒"


@pytest.mark.parametrize("kind", [*_identified("", ""), *_unidentified("")])
def test_a_character_beyond_the_basic_plane_is_in_the_pdfs_text_as_typed(
    boxes: list[str], kind: str
) -> None:
    # A PDF maps each drawn glyph back to its text in UTF-16; written as a bare code point
    # ("<1F600>", odd and invalid) the character was drawn but gone from the text a reader
    # copies, searches and reads aloud.
    sheets = {**_identified(f"Anna {ASTRAL}", ASTRAL), **_unidentified(ASTRAL)}
    text = "".join(pdf_text(sheets[kind]()).split())
    assert ASTRAL.replace(" ", "") in text
    assert boxes == []
