"""The incident list (reconciliation checklist): one table paged as reportlab would page it."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace
from itertools import accumulate

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table

import printforms as pf
from printforms import incident_list
from printforms.base import (
    CONTENT_LEFT_MM,
    CONTENT_WIDTH_MM,
    FONT,
    FONT_BOLD,
    FOOTER_RULE_MM,
    render_sheets,
)
from printforms.data import IncidentCaseRow, IncidentListData, SafetyAnswer
from printforms.incident_list import PagedTable

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, pdf_text


def _codes_per_page(pdf: bytes) -> list[list[str]]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [re.findall(r"K\d{5}", page.extract_text() or "") for page in pages]


def test_long_incident_list_pages_like_one_table_split_by_reportlab() -> None:
    # Rows of one to four lines, so the rows that fit differ from page to page.
    long_exam = "DT thorax-buk med kontrast, jämförelse med tidigare undersökning " * 2
    rows = tuple(
        f.incident_row(i, exam=long_exam[: 20 + (i * 37) % len(long_exam)]) for i in range(180)
    )
    data = replace(f.incident_list(), cases=rows)
    sheet = pf.build_incident_list_sheet(data)
    paged = sheet.story[-1]
    assert isinstance(paged, PagedTable)
    pages = _codes_per_page(render_sheets([sheet]))

    reference = Table(
        paged.rows, colWidths=paged.col_widths, rowHeights=paged.row_heights, repeatRows=1
    )
    reference.setStyle(paged.table_style)
    expected = _codes_per_page(
        render_sheets([replace(sheet, story=[*sheet.story[:-1], reference])])
    )

    assert len(pages) >= 4
    assert pages == expected
    assert [code for page in pages for code in page] == [row.case_code for row in rows]
    text_pages = PdfReader(io.BytesIO(render_sheets([sheet]))).pages
    assert all("Undersökning" in (p.extract_text() or "") for p in text_pages)


def test_short_incident_list_is_one_page_with_its_header() -> None:
    data = f.incident_list(cases=3)
    pdf = pf.render_incident_list(data)
    assert _codes_per_page(pdf) == [[row.case_code for row in data.cases]]
    assert "Undersökning" in pdf_text(pdf)


@pytest.mark.parametrize("code", ["WWW-WWW", "W67-ZQW", "MMM-MMM"])
def test_a_case_code_of_the_widest_letters_stays_on_one_line(code: str) -> None:
    rows = (f.incident_row(1, case_code=code),)
    sheet = pf.build_incident_list_sheet(replace(f.incident_list(), cases=rows))
    paged = sheet.story[-1]
    assert isinstance(paged, PagedTable)
    assert paged.rows[1][0] == code
    assert code in pdf_text(render_sheets([sheet])).splitlines()


@pytest.mark.parametrize("waited", ["23 h 59 min", "12 d 23 h", "99 d 23 h"])
def test_the_longest_waits_stay_on_one_line(waited: str) -> None:
    # A wait broken as "12 d 23" over "h" reads as 12 days and 23 minutes.
    rows = (f.incident_row(1, waited=waited),)
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    assert waited in pdf_text(pdf).splitlines()
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:I12-K7Q3:LST:1"]]


def test_checklist_row_heights_are_what_reportlab_would_measure() -> None:
    rnd = random.Random(7)
    words = ["Åsa", "Öberg-Ärlig", "DT thorax-buk med kontrast och angiografi", "x" * 70, ""]

    def text(most: int) -> str:
        return " ".join(rnd.choice(words) for _ in range(rnd.randint(0, most)))

    rows = tuple(
        IncidentCaseRow(
            case_code=f"AB{n:04d}",
            patient=text(4) + ", 19121212-1212",
            exam=text(5),
            priority=rnd.choice(["Akut", "Inom timmar", "Rutin"]),
            status=text(2),
            waited=f"{n} min",
        )
        for n in range(150)
    )
    data = IncidentListData(
        title="Totalstopp",
        incident_label="Driftstopp 1",
        qr_payload="RR1:I1-K7Q3:LST:{page}",
        scenario="total",
        started_at="2025-03-01 22:00",
        cases=rows,
    )
    # The checklist counts the rows that fit a page from these heights, so they must be what
    # reportlab measures when it is given none.
    paged = incident_list.build_incident_list_sheet(data).story[-1]
    measured = Table(paged.rows, colWidths=paged.col_widths, repeatRows=1)
    measured.setStyle(paged.table_style)
    measured.wrap(sum(paged.col_widths), 1e6)
    assert len(paged.row_heights) == len(rows) + 1
    assert measured._rowHeights == pytest.approx(paged.row_heights)


def _table_lines(pdf: bytes) -> list[tuple[float, str, str]]:
    """(x in mm, text, font) of every line of the first page's table cells (10 pt, indented by
    the cell padding, from the table's header row down to the footer)."""
    lines: list[tuple[float, float, str, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict, size: float) -> None:
        x = (tm[4] * cm[0] + cm[4]) / mm
        y = (tm[5] * cm[3] + cm[5]) / mm
        in_cell = x > CONTENT_LEFT_MM + 0.5 and y > FOOTER_RULE_MM
        if text.strip() and size == incident_list.BODY_PT and in_cell:
            bold = "Bold" in str(font.get("/BaseFont", ""))
            lines.append((x, y, text.strip(), FONT_BOLD if bold else FONT))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    # The fields above the table (10 pt too) are laid out on their own grid, not the columns.
    top = next(y for _, y, text, _ in lines if text == "Ärende")
    return [(x, text, font) for x, y, text, font in lines if y <= top + 0.5]


def test_a_long_word_wraps_inside_its_column_instead_of_printing_over_the_next() -> None:
    # A double-barrelled surname or an exam written without spaces is one word wider than its
    # column: printed whole it would cover the exam or status beside it on the checklist.
    row = f.incident_row(
        1,
        patient="Karlsson-Wennergren-Åkerlund, Ann-Sofie, 19121212-1212",
        exam="Datortomografi-angiografi/hjärna+hals+thorax",
    )
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=(row,)))
    scale = CONTENT_WIDTH_MM / sum(w for _, w in incident_list.COLUMNS)
    edges = list(accumulate([CONTENT_LEFT_MM] + [w * scale for _, w in incident_list.COLUMNS]))
    lines = _table_lines(pdf)
    assert len(lines) > 10
    for x, text, font in lines:
        right = next(edge for edge in edges if edge > x)
        width = stringWidth(text, font, incident_list.BODY_PT) / mm
        assert x + width <= right, f"{text!r} runs past its column"
    cells = " ".join(text for _, text, _ in lines)
    for part in ("Karlsson", "Wennergren", "Åkerlund", "19121212-1212", "angiografi", "thorax"):
        assert part in cells


ALLERGY = SafetyAnswer("Kontrastmedelsallergi", "Ja", is_alert=True)
ANSWERS = (
    SafetyAnswer("Kontrast planerad"),
    ALLERGY,
    SafetyAnswer("eGFR", "29,6"),
    SafetyAnswer("Provtagningsdatum", "2026-01-14"),
    SafetyAnswer("Metformin", "Nej"),
)


def test_safety_answers_print_under_their_case_the_alerts_in_bold_after_obs() -> None:
    rows = (f.incident_row(1, safety=ANSWERS), f.incident_row(2))
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    lines = [(text, font) for _, text, font in _table_lines(pdf)]
    texts = [text for text, _ in lines]
    alert = texts.index("OBS! Kontrastmedelsallergi: Ja")
    assert lines[alert][1] == FONT_BOLD
    rest = "Kontrast planerad; eGFR: 29,6; Provtagningsdatum: 2026-01-14; Metformin: Nej"
    assert (rest, FONT) in lines
    # Under case K00001's row and above K00002's, which has no answers and no line of them.
    assert texts.index("K00001") < alert < texts.index("K00002")
    assert texts[-1] != rest and sum("Metformin" in t for t in texts) == 1


def test_a_case_with_only_alerts_or_none_prints_only_those_lines() -> None:
    rows = (f.incident_row(1, safety=(ALLERGY,)), f.incident_row(2, safety=ANSWERS[2:3]))
    sheet = pf.build_incident_list_sheet(replace(f.incident_list(), cases=rows))
    paged = sheet.story[-1]
    assert isinstance(paged, PagedTable)
    assert [row[0] for row in paged.rows[1:]] == ["K00001", "", "K00002", ""]
    assert [paged.rows[2][1], paged.rows[4][1]] == ["OBS! Kontrastmedelsallergi: Ja", "eGFR: 29,6"]
    assert paged.joined == {2, 4} and paged.bold == {2}


def test_a_cases_safety_answers_are_never_on_a_page_apart_from_its_row() -> None:
    # Answers of one to four lines under most rows, so page breaks fall everywhere.
    note = "Höftprotes vänster, pacemakerelektrod kvar efter explantation, " * 3
    rows = tuple(
        f.incident_row(
            i,
            safety=()
            if i % 4 == 0
            else (ALLERGY, SafetyAnswer("Implantat", f"Ja (P{i:05d} {note[: (i * 29) % 180]})")),
        )
        for i in range(160)
    )
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 4
    for page in pages:
        text = page.extract_text() or ""
        codes = {int(n) for n in re.findall(r"K(\d{5})", text)}
        answered = {int(n) for n in re.findall(r"P(\d{5})", text)}
        assert answered == {n for n in codes if n % 4}


def test_checklist_row_heights_with_safety_answers_are_what_reportlab_would_measure() -> None:
    long_note = SafetyAnswer("Implantat", "Ja (" + "Höftprotes-vänster " * 16 + ")", True)
    rows = tuple(
        f.incident_row(i, safety=(ANSWERS, (long_note, *ANSWERS), (), ANSWERS[:1])[i % 4])
        for i in range(40)
    )
    paged = pf.build_incident_list_sheet(replace(f.incident_list(), cases=rows)).story[-1]
    assert isinstance(paged, PagedTable)
    measured = Table(paged.rows, colWidths=paged.col_widths, repeatRows=1)
    measured.setStyle(paged.table_style)
    measured.setStyle(paged.page_style(1, len(paged.rows)))
    measured.wrap(sum(paged.col_widths), 1e6)
    assert measured._rowHeights == pytest.approx(paged.row_heights)


def test_long_safety_answers_wrap_inside_the_table() -> None:
    note = "Cochleaimplantat-höger+vänster/insulinpump-Medtronic " * 6
    row = f.incident_row(1, safety=(SafetyAnswer("Implantat", f"Ja ({note})", True), *ANSWERS))
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=(row,)))
    right = CONTENT_LEFT_MM + CONTENT_WIDTH_MM
    lines = _table_lines(pdf)
    for x, text, font in lines:
        assert x + stringWidth(text, font, incident_list.BODY_PT) / mm <= right, text
    cells = "".join(text for _, text, _ in lines)
    assert cells.count("Medtronic") == 6


def _taller_than_a_page() -> IncidentCaseRow:
    """A case whose answers are some 80 lines: more than a page holds under the header."""
    note = " ".join(f"A{n:03d} elektrod-kvar" for n in range(420))
    implant = SafetyAnswer("Implantat", f"Ja ({note})", is_alert=True)
    return f.incident_row(1, safety=(implant, *ANSWERS))


def test_a_case_taller_than_a_page_is_cut_across_pages_not_left_unprinted() -> None:
    rows = (f.incident_row(0), _taller_than_a_page(), f.incident_row(2))
    sheet = pf.build_incident_list_sheet(replace(f.incident_list(), cases=rows))
    paged = sheet.story[-1]
    assert isinstance(paged, PagedTable)
    assert sum(paged.row_heights[1:4]) > 80 * incident_list.LEADING_PT
    pdf = render_sheets([sheet])
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    text = "\n".join(pages)
    for code in ("K00000", "K00001", "K00002"):
        assert code in text
    # Every word of the answers, once and in order: a cut loses or repeats no line.
    assert re.findall(r"A(\d{3})", text) == [f"{n:03d}" for n in range(420)]
    assert text.count("Metformin: Nej") == 1


def test_each_page_of_a_cut_case_names_the_case_and_the_patient() -> None:
    rows = (_taller_than_a_page(),)
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert "Undersökning" in text  # the header row
        assert "K00001" in text and "Öberg, Å1\n(19121212-****)" in text, number
        assert ("(forts.)" in text) == (number > 1), number


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX], ids=["standard", "fine"])
def test_every_page_of_a_cut_case_decodes_to_its_payload(resolution: tuple[int, int]) -> None:
    rows = (f.incident_row(0), _taller_than_a_page())
    pdf = pf.render_incident_list(replace(f.incident_list(), cases=rows))
    pages = decoded_payloads(pdf, resolution)
    assert len(pages) >= 2
    assert pages == [[f"RR1:I12-K7Q3:LST:{n}"] for n in range(1, len(pages) + 1)]
