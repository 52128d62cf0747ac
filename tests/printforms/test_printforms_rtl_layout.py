"""Hebrew and Arabic laid out as their reader expects: a paragraph runs in its own direction on
every line, stands at the right of its box, and its brackets and signs face the right way."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

import pytest
from reportlab.lib.units import mm

import printforms as pf
from printforms.base import CONTENT_LEFT_MM, CONTENT_WIDTH_MM
from printforms.blocks import BOX_PADDING_PT
from printforms.data import UrgentCall
from printforms.incident_list import COLUMNS
from printforms.paged_table import PAD_PT
from printforms.referral import PATIENT_ROW_MM
from printforms.rtl import visual

from . import factories as f
from .conftest import drawn_lines, pdf_text, placed_lines

HEBREW_NAME = "שרה כהן"
HEBREW_NAME_DRAWN = "ןהכ הרש"
_HEBREW = re.compile("[\u0590-\u05ff]")
_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
CONTENT_RIGHT = (CONTENT_LEFT_MM + CONTENT_WIDTH_MM) * mm


def _words(count: int) -> list[str]:
    # Each word its own, so a run of them is found in the typed text in one place only.
    return [f"{_LETTERS[i % 22]}{_LETTERS[i // 22 % 22]}ר" for i in range(count)]


# Hebrew words with a Latin word or a number after each: many lines begin with one of them.
MIXED = " ".join(f"{word} {('CT', '12', 'MR')[i % 3]}" for i, word in enumerate(_words(70)))


def _as_typed(drawn: str) -> str:
    """A drawn line of Hebrew words and single Latin words or numbers, read right to left."""
    return " ".join(w[::-1] if _HEBREW.search(w) else w for w in reversed(drawn.split(" ")))


def _free_text_sheets(text: str, name: str = f.PATIENT_NAME) -> dict[str, Callable[[], bytes]]:
    patient = f.patient(name=name)
    return {
        "referral": lambda: pf.render_referral(f.referral(patient=patient, history=text)),
        "exam": lambda: pf.render_exam(f.exam(patient=patient, notes=text)),
        "report": lambda: pf.render_report(f.report(patient=patient, sections=(("Fynd", text),))),
    }


def _hebrew_lines(pdf: bytes) -> list[tuple[str, float, float, float]]:
    return [line for line in placed_lines(pdf) if _HEBREW.search(line[0])]


@pytest.mark.parametrize("kind", list(_free_text_sheets("")))
def test_every_line_of_a_hebrew_paragraph_runs_right_to_left(kind: str) -> None:
    # A line that began with "MR" ran left to right: its words read in a broken order.
    lines = drawn_lines(_free_text_sheets(MIXED)[kind]())
    typed = [_as_typed(line) for line in lines if _HEBREW.search(line)]
    assert any(line.startswith("MR") for line in typed)
    assert all(line in MIXED for line in typed)


@pytest.mark.parametrize("kind", list(_free_text_sheets("")))
def test_every_line_of_a_hebrew_paragraph_ends_at_the_right_edge(kind: str) -> None:
    lines = _hebrew_lines(_free_text_sheets(MIXED)[kind]())
    assert len(lines) > 3
    assert all(right == pytest.approx(CONTENT_RIGHT, abs=0.01) for _, _, right, _ in lines)
    assert min(left for _, left, _, _ in lines[-1:]) > CONTENT_LEFT_MM * mm + 10


def test_a_hebrew_paragraph_broken_at_a_page_goes_on_right_to_left_at_the_right() -> None:
    # The part on the next page is a paragraph of its own to reportlab: it kept the direction
    # of its own first letter, or of none.
    text = " ".join(f"{word} {('CT', '12', 'MR')[i % 3]}" for i, word in enumerate(_words(400)))
    pdf = pf.render_report(f.report(sections=(("Fynd", text),)))
    lines = _hebrew_lines(pdf)
    baselines = [y for *_, y in lines]
    # A line above the one before it is on the next page.
    assert any(after > before for before, after in pairwise(baselines))
    assert all(_as_typed(line) in text for line, _, _, _ in lines)
    assert all(right == pytest.approx(CONTENT_RIGHT, abs=0.01) for _, _, right, _ in lines)


@pytest.mark.parametrize("kind", list(_free_text_sheets("")))
def test_swedish_free_text_still_starts_at_the_left_edge(kind: str) -> None:
    lines = placed_lines(_free_text_sheets(f.LONG_HISTORY)[kind]())
    body = [line for line in lines if line[0].startswith("Mening")]
    assert body and all(left == pytest.approx(CONTENT_LEFT_MM * mm) for _, left, _, _ in body)


def _named_sheets(name: str) -> dict[str, Callable[[], bytes]]:
    patient = f.patient(name=name)
    return {
        **_free_text_sheets("Ökad täthet.", name),
        "cover": lambda: pf.render_cover(f.red_tray(patient=patient)),
    }


@pytest.mark.parametrize("kind", list(_named_sheets("")))
def test_a_hebrew_name_stands_at_the_right_of_its_box(kind: str) -> None:
    box_right = (CONTENT_LEFT_MM + PATIENT_ROW_MM[0]) * mm
    placed = [line for line in placed_lines(_named_sheets(HEBREW_NAME)[kind]())]
    right = next(right for text, _, right, _ in placed if text == HEBREW_NAME_DRAWN)
    assert right == pytest.approx(box_right - BOX_PADDING_PT, abs=0.01)


@pytest.mark.parametrize("kind", list(_named_sheets("")))
def test_a_swedish_name_stays_at_the_left_of_its_box(kind: str) -> None:
    placed = placed_lines(_named_sheets(f.PATIENT_NAME)[kind]())
    left = next(left for text, left, _, _ in placed if text == f.PATIENT_NAME)
    assert left == pytest.approx(CONTENT_LEFT_MM * mm + BOX_PADDING_PT)


def _column_edges(index: int) -> tuple[float, float]:
    scale = CONTENT_WIDTH_MM / sum(w for _, w in COLUMNS)
    start = CONTENT_LEFT_MM + sum(w for _, w in COLUMNS[:index]) * scale
    return start * mm, (start + COLUMNS[index][1] * scale) * mm


def test_a_hebrew_name_in_the_incident_list_stands_at_the_right_of_its_column() -> None:
    rows = (f.incident_row(1, patient=HEBREW_NAME), f.incident_row(2))
    placed = placed_lines(pf.render_incident_list(replace(f.incident_list(), cases=rows)))
    left, right = _column_edges(1)
    hebrew = next(line for line in placed if line[0] == HEBREW_NAME_DRAWN)
    swedish = next(line for line in placed if line[0].startswith("Öberg, Å2"))
    assert hebrew[2] == pytest.approx(right - PAD_PT, abs=0.01)
    assert swedish[1] == pytest.approx(left + PAD_PT)


def test_every_line_of_a_hebrew_exam_in_the_incident_list_runs_right_to_left() -> None:
    exam = " ".join(f"{word} CT" for word in _words(12))
    rows = (f.incident_row(1, exam=exam),)
    lines = drawn_lines(pf.render_incident_list(replace(f.incident_list(), cases=rows)))
    typed = [_as_typed(line) for line in lines if _HEBREW.search(line)]
    assert len(typed) > 2 and any(line.startswith("CT") for line in typed)
    assert all(line in exam for line in typed)


@pytest.mark.parametrize(
    ("typed", "drawn"),
    [
        # Alef is less than bet: drawn from the right, the sign opens towards bet.
        ("א < ב", "ב > א"),
        ("א ≤ ב", "ב ≥ א"),
        ("«שלום»", "«םולש»"),
        ("‹שלום›", "‹םולש›"),
        ("א ⟨ב⟩", "⟨ב⟩ א"),
        # A bracket without its pair (a numbered point) faces the way of its run too.
        ("א)", "(א"),
        # In a Latin run the signs are drawn as typed.
        ("שלום a<b", "a<b םולש"),
    ],
)
def test_every_mirrored_character_faces_its_words_in_a_right_to_left_run(
    typed: str, drawn: str
) -> None:
    assert visual(typed) == drawn


@pytest.mark.parametrize("kind", list(_free_text_sheets("")))
def test_angle_signs_and_quotes_in_hebrew_free_text_face_their_words(kind: str) -> None:
    lines = drawn_lines(_free_text_sheets("א < ב «ג» ‹ד›")[kind]())
    assert "‹ד› «ג» ב > א" in lines


def test_a_hebrew_call_note_runs_right_to_left_at_the_right() -> None:
    # "Samtalet:" begins a Latin note's first line; before a Hebrew note its Latin letters
    # turned the note's first paragraph left to right, at the left of its box.
    call = UrgentCall("2025-03-02 14:55", "Dr Björn Sjöö", "Dr Émile Ström", MIXED)
    pdf = pf.render_report(f.report(urgent_calls=(call,)))
    lines = _hebrew_lines(pdf)
    assert len(lines) > 3
    assert all(right == pytest.approx(CONTENT_RIGHT, abs=0.01) for _, _, right, _ in lines)
    assert "Samtalet" in pdf_text(pdf)
