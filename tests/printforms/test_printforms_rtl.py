"""Hebrew and Arabic on the sheets: drawn right to left, Arabic letters joined, and read back
from the PDF in the order they were typed."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace

import pytest

import printforms as pf
from printforms.rtl import visual

from . import factories as f
from .conftest import drawn_lines, pdf_text

HEBREW = "שרה כהן"
# What the paper shows, left to right: the name's last letter leftmost.
HEBREW_DRAWN = "ןהכ הרש"
ARABIC = "محمد العلي"
# Left to right, each letter in the form that joins it to its neighbours (final yeh leftmost,
# initial meem rightmost): letters drawn apart, as typed, read as no name at all.
ARABIC_DRAWN = "\ufef2\ufee0\ufecc\ufedf\ufe8d \ufeaa\ufee4\ufea4\ufee3"


def _sheets(name: str, text: str) -> dict[str, Callable[[], bytes]]:
    patient = f.patient(name=name)
    return {
        "referral": lambda: pf.render_referral(f.referral(patient=patient, history=text)),
        "exam": lambda: pf.render_exam(f.exam(patient=patient, notes=text)),
        "report": lambda: pf.render_report(f.report(patient=patient, sections=(("Fynd", text),))),
        "cover": lambda: pf.render_cover(f.red_tray(patient=patient, exam=text)),
    }


def _found(lines: list[str], drawn: str) -> bool:
    return any(drawn in line for line in lines)


@pytest.mark.parametrize("kind", list(_sheets("", "")))
@pytest.mark.parametrize(("name", "drawn"), [(HEBREW, HEBREW_DRAWN), (ARABIC, ARABIC_DRAWN)])
def test_a_right_to_left_name_is_drawn_right_to_left_and_read_back_as_typed(
    kind: str, name: str, drawn: str
) -> None:
    pdf = _sheets(name, "Ökad täthet.")[kind]()
    assert _found(drawn_lines(pdf), drawn)
    # A reader copying the name gets it as typed (Arabic's joined forms are its letters).
    assert name in unicodedata.normalize("NFKC", pdf_text(pdf))


@pytest.mark.parametrize("kind", ["referral", "exam", "cover"])
def test_the_running_patient_line_keeps_the_swedish_order_around_a_hebrew_name(
    kind: str,
) -> None:
    # Name first, then the number, as on every sheet; only the name itself runs right to left.
    lines = drawn_lines(_sheets(HEBREW, "Ökad täthet.")[kind]())
    assert _found(lines, f"{HEBREW_DRAWN} · Personnummer 19121212-1212")


@pytest.mark.parametrize("kind", list(_sheets("", "")))
def test_hebrew_free_text_ends_at_its_left_with_brackets_facing_their_words(kind: str) -> None:
    # Typed: "headache (strong) since yesterday." The full stop ends the sentence on the left,
    # the brackets enclose "strong" as written.
    lines = drawn_lines(_sheets(HEBREW, "כאב ראש (חזק) מאז אתמול.")[kind]())
    assert _found(lines, ".לומתא זאמ (קזח) שאר באכ")


def test_a_long_hebrew_paragraph_begins_on_its_first_line_at_the_right() -> None:
    # Reordered before being broken into lines, the paragraph's last words came first.
    text = " ".join(["ראשון", *["מילה"] * 80, "אחרון"])
    lines = drawn_lines(pf.render_referral(f.referral(history=text)))
    first = next(i for i, line in enumerate(lines) if "ןושאר" in line)
    last = next(i for i, line in enumerate(lines) if "ןורחא" in line)
    assert first < last
    assert lines[first].endswith("ןושאר") and lines[last].startswith("ןורחא")


def test_arabic_free_text_is_joined_with_the_lam_alef_ligature() -> None:
    # "Peace be upon you": lam and alef are one glyph in Arabic, never two letters side by side.
    pdf = pf.render_referral(f.referral(history="السلام عليكم"))
    assert _found(drawn_lines(pdf), "\ufee2\ufedc\ufef4\ufee0\ufecb \ufee1\ufefc\ufeb4\ufedf\ufe8d")


def test_a_hebrew_name_in_the_incident_list_is_drawn_right_to_left() -> None:
    rows = (f.incident_row(1, patient=HEBREW),)
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    assert _found(drawn_lines(pdf), HEBREW_DRAWN)


def test_vowel_points_stay_on_their_letters() -> None:
    # שָׁלוֹם: shin with qamats and shin dot, lamed, vav with holam, final mem. A point drawn
    # before its letter sits on the letter beside it.
    typed = "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd"
    assert visual(typed) == "\u05dd\u05d5\u05b9\u05dc\u05e9\u05b8\u05c1"


def test_latin_text_is_drawn_as_it_is() -> None:
    text = "Åsa Öberg (f. 1950) – ökad täthet, höger > vänster."
    assert visual(text) is text


def test_a_word_whose_joined_forms_the_font_lacks_prints_as_typed() -> None:
    # Urdu's yeh barree is not in DejaVu Sans, nor are its joined forms: the word stays as typed
    # (seen unjoined) and the missing letter shows as its own code, not as a form's.
    pdf = pf.render_referral(f.referral(history="سے"))
    assert _found(drawn_lines(pdf), "[U+06D2]\u0633")
