"""A reply contact's two phones at their limit (" eller ", over 80 characters) wrap inside their
boxes on the sheets faxed to the referrer: never over a box line, never cut, a number kept whole
on one line wherever it fits one."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import printforms as pf
from printforms.base import CONTENT_LEFT_MM, CONTENT_WIDTH_MM

from . import factories as f
from .conftest import _times, pdf_text, placed_lines

# Two phones of 40 characters, as a site's configuration allows them (digits, spaces, dashes,
# brackets); the second without a space to break at.
PHONE_1 = "+46 (0)999-123 45 67 00 (0)999-123 45 67"
PHONE_2 = "0999123456789012345678901234567890123456"
PHONES = f"{PHONE_1} eller {PHONE_2}"
MM = 72 / 25.4
LEFT, RIGHT = CONTENT_LEFT_MM * MM, (CONTENT_LEFT_MM + CONTENT_WIDTH_MM) * MM

SHEETS: dict[str, Callable[..., bytes]] = {
    "report": lambda fax: pf.render_report(f.report(fax=fax)),
    "anonymised-report": lambda fax: pf.render_anonymised_report(f.anonymised_report(fax=fax)),
    "cancel-notice": lambda fax: pf.render_cancel_notice(f.cancel_notice(fax=fax)),
}


def _vertical_rules(pdf: bytes) -> list[tuple[float, float, float]]:
    """Every vertical line drawn on the first page: (x, bottom, top) in points."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    ctm: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[tuple[float, ...]] = []
    start: tuple[float, ...] = ()
    rules = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop()
        elif operator == b"cm":
            ctm = _times(tuple(map(float, operands)), ctm)
        elif operator in (b"m", b"l"):
            point = _times((1.0, 0.0, 0.0, 1.0, *map(float, operands)), ctm)[4:]
            if operator == b"l" and start and abs(point[0] - start[0]) < 0.01:
                rules.append((point[0], min(point[1], start[1]), max(point[1], start[1])))
            start = point
    return rules


def _lines(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """The drawn lines, a no-break space read as the space it is."""
    return [(text.replace("\xa0", " "), *place) for text, *place in placed_lines(pdf)]


@pytest.mark.parametrize("sheet", list(SHEETS))
@pytest.mark.parametrize("hours", ["", "mån–fre 07:30–15:30"])
def test_two_phones_at_their_limit_wrap_inside_their_boxes(sheet: str, hours: str) -> None:
    fax = f.fax_header(
        from_phone=PHONES,
        from_hours=hours,
        then_fax="0999-100 01" if hours else "",
        then_phone=PHONES if hours else "",
    )
    pdf = SHEETS[sheet](fax)
    text = " ".join(pdf_text(pdf).replace("\xa0", " ").split())
    assert "Sida 1 av 1" in text
    lines = _lines(pdf)
    rules = _vertical_rules(pdf)
    assert len(rules) > 6
    for line, left, right, baseline in lines:
        assert left >= LEFT - 0.01 and right <= RIGHT + 0.01, line
        for x, bottom, top in rules:
            assert not (bottom < baseline < top and left + 0.5 < x < right - 0.5), line
    # Each number whole on a line of its own wherever a line is wide enough for it, the
    # "eller" ending the line before: a number run on from another reads as one number. The
    # report's half-width box holds no 40 characters in 12 pt bold: there the number breaks
    # at its own spaces, and a number without a space between two digits.
    drawn = [line for line, *_ in lines]
    assert not any(line.startswith(("eller", "/")) for line in drawn)
    assert PHONE_1 in " ".join(drawn) and PHONE_2 in "".join(drawn)
    if sheet == "cancel-notice" or hours:
        assert any(PHONE_1 in line for line in drawn)
