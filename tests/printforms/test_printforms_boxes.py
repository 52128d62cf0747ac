"""A boxed value flows onto the next page only when it is taller than a page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

import printforms as pf
from printforms.base import Sheet, render_sheets
from printforms.blocks import field_rows

from . import factories as f


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    "render",
    [
        # The address is typed in a text area for each print; many short lines are pasted.
        lambda end: pf.render_release_report(
            f.release_report(recipient_address="Rad\n" * 199 + end)
        ),
        lambda end: pf.render_referral(f.referral(requested_exam="ord " * 3000 + end)),
    ],
    ids=["release-address", "referral-exam"],
)
def test_a_box_taller_than_a_page_flows_onto_the_next(render) -> None:
    # It failed the whole print: no paper at all for the case.
    pages = _page_texts(render("SLUTORD"))
    assert len(pages) >= 2
    assert "SLUTORD" in "".join(pages)
    assert all(f.PATIENT_ID in text for text in pages)


def test_a_box_of_a_few_lines_is_never_split_between_pages() -> None:
    # A label on one page and its value on the next could be read as another box's value.
    value = "\n".join(f"RAD{i}" for i in range(1, 9))
    for filler in range(140, 212, 3):
        story = [Spacer(1, filler * mm), *field_rows([[("Anamnes", value), ("Annat", "x")]])]
        sheet = Sheet("REMISS", "K7M2QX", "RR1:K7M2QX:REM:1", story)
        pages = _page_texts(render_sheets([sheet]))
        assert [n for n, text in enumerate(pages) if "RAD1" in text] == [
            n for n, text in enumerate(pages) if "RAD8" in text
        ]


@pytest.mark.parametrize("lines", range(36, 56, 2))
@pytest.mark.parametrize(
    "render",
    [
        lambda text: pf.render_release_report(f.release_report(recipient_address=text)),
        lambda text: pf.render_exam(f.exam(radiographers=text)),
        lambda text: pf.render_report(f.report(radiologist=text)),
    ],
    ids=["release-address", "exam-radiographers", "report-radiologist"],
)
def test_a_box_a_little_taller_than_a_page_still_prints(render, lines) -> None:
    # Its last piece, shorter than the least a box is split into, used to stop the split,
    # and so the whole print: a 41-line address (164 characters) left the case with no paper.
    text = "".join(f"Rad {i}\n" for i in range(1, lines)) + "SLUTORD"
    pages = _page_texts(render(text))
    assert "SLUTORD" in "".join(pages)
    assert all(f.PATIENT_ID in page for page in pages)
