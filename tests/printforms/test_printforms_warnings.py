"""The referral's risk warnings print as an OBS box that a fax at standard resolution keeps."""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
import pytest
from PIL import Image

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .fax_model import X_DPI, receive, render_grey

WARNINGS = (
    "Pacemaker/ICD – MR bara efter radiologens ställningstagande.",
    "eGFR 29,6 – under 30: kontrastmedel bara efter radiologens ställningstagande.",
)
# A standard fax keeps a line in four of every mm: letters this tall stay letters.
MIN_OBS_GLYPH_MM = 3.5

SHEETS: dict[str, tuple[Callable[..., bytes], Callable[..., object], str]] = {
    "referral": (pf.render_referral, f.referral, "RR1:K7M2QX:REM:1"),
    "exam": (pf.render_exam, f.exam, "RR1:K7M2QX:DOK:1"),
    "anonymised-referral": (
        pf.render_anonymised_referral,
        f.anonymised_referral,
        "RR1:K7M2QX:ARE:1",
    ),
}


def _render(kind: str, warnings: tuple[str, ...]) -> bytes:
    render, build, _ = SHEETS[kind]
    return render(build(warnings=warnings))


def _glyph_heights_mm(pdf: bytes, word: str) -> list[float]:
    """The height (mm) of the smallest glyph of each print of the word on the first page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        text = doc[0].get_textpage()
        search = text.search(word, match_case=True)
        found = []
        while match := search.get_next():
            start, count = match
            boxes = [text.get_charbox(start + i) for i in range(count)]
            found.append(min(top - bottom for _, bottom, _, top in boxes) / 72 * 25.4)
        return found
    finally:
        doc.close()


@pytest.mark.parametrize("kind", list(SHEETS))
def test_the_warnings_are_printed_under_obs(kind: str) -> None:
    text = pdf_text(_render(kind, WARNINGS))
    assert "OBS" in text
    flat = " ".join(text.split())
    for warning in WARNINGS:
        assert warning in flat


@pytest.mark.parametrize("kind", list(SHEETS))
def test_a_sheet_without_warnings_has_no_obs_box(kind: str) -> None:
    assert "OBS" not in pdf_text(_render(kind, ()))


@pytest.mark.parametrize("kind", list(SHEETS))
def test_the_obs_is_large_enough_for_a_fax(kind: str) -> None:
    heights = _glyph_heights_mm(_render(kind, WARNINGS), "OBS")
    assert heights and max(heights) >= MIN_OBS_GLYPH_MM, heights


@pytest.mark.parametrize("kind", list(SHEETS))
def test_the_qr_still_reads_at_fax_resolution_with_the_box(kind: str) -> None:
    _, _, payload = SHEETS[kind]
    pdf = _render(kind, WARNINGS)
    assert decoded_payloads(pdf, STANDARD_FAX)[0] == [payload]


def _word_box_px(pdf: bytes, word: str, dpi: float) -> tuple[int, int, int, int]:
    """The word's first print on the first page as a pixel box of a render at dpi."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        height = page.get_height()
        text = page.get_textpage()
        start, count = text.search(word, match_case=True).get_next()
        boxes = [text.get_charbox(start + i) for i in range(count)]
    finally:
        doc.close()
    scale = dpi / 72
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    return (
        round(left * scale),
        round((height - top) * scale),
        round(right * scale),
        round((height - bottom) * scale),
    )


def _black_share(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    region = image.crop(box).convert("L")
    return sum(region.histogram()[:128]) / (region.width * region.height)


@pytest.mark.parametrize("condition", ["plain", "light", "dark"])
def test_the_obs_keeps_its_ink_through_a_fax(condition: str) -> None:
    # Bold and black, never grey: a light setting thins strokes, and letters must stay letters.
    pdf = _render("referral", WARNINGS)
    grey = render_grey(pdf)[0]
    box = _word_box_px(pdf, "OBS", X_DPI)
    sent = _black_share(grey, box)
    received = _black_share(receive(grey, condition, 1), box)
    assert sent >= 0.2
    assert received >= sent * 0.6, (sent, received)
