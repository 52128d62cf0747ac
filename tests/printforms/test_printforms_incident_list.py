"""The incident list (reconciliation checklist): one table paged as reportlab would page it."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.platypus import Table

import printforms as pf
from printforms import incident_list
from printforms.base import (
    render_sheets,
)
from printforms.data import IncidentCaseRow, IncidentListData
from printforms.incident_list import PagedTable

from . import factories as f
from .conftest import pdf_text


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
            waiting_minutes=str(n),
        )
        for n in range(150)
    )
    data = IncidentListData(
        title="Totalstopp",
        incident_label="Driftstopp 1",
        qr_payload="RR1:I1:LST:1",
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
