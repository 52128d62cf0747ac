"""Every ruled line on a sheet survives a fax at standard resolution (98 scan lines per inch)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image

import printforms as pf

from . import factories as f
from .conftest import FINE_FAX, STANDARD_FAX, fax_pages

# Across the content, inside the boxes' side lines: only lines that run the whole width count.
LEFT_MM, RIGHT_MM = 22.0, 188.0


def _full_width_lines(page: Image.Image, x_dpi: int) -> int:
    """Horizontal lines across the content on a faxed page, each counted once."""
    pixels = page.convert("L").load()
    xs = range(round(LEFT_MM / 25.4 * x_dpi), round(RIGHT_MM / 25.4 * x_dpi), 3)
    count, before = 0, False
    for y in range(page.height):
        black = sum(1 for x in xs if pixels[x, y] < 128) >= 0.97 * len(xs)
        count += black and not before
        before = black
    return count


SHEETS: dict[str, Callable[[], bytes]] = {
    # The row lines keep one case's patient apart from the next case's exam and status.
    "incident-list": lambda: pf.render_incident_list(f.incident_list(cases=40)),
    # The writing lines of the free-text boxes, faxed as a blank to be filled in by hand.
    "referral-blank": lambda: pf.render_blank_stack([f.blank("referral")]),
    "report-blank": lambda: pf.render_blank_stack([f.blank("report")]),
    "report": lambda: pf.render_report(f.report(sections=(("Fynd", f.LONG_HISTORY * 2),))),
}


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_standard_fax_keeps_every_line_a_fine_fax_shows(sheet: str) -> None:
    pdf = SHEETS[sheet]()
    fine = [_full_width_lines(page, FINE_FAX[0]) for page in fax_pages(pdf, FINE_FAX)]
    standard = [_full_width_lines(page, STANDARD_FAX[0]) for page in fax_pages(pdf, STANDARD_FAX)]
    assert all(fine)
    assert standard == fine
