"""A sheet whose document was printed before in another version says ÄNDRAD, and since when."""

from __future__ import annotations

import io

from pypdf import PdfReader

import printforms as pf

from . import factories as f


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_changed_sheet_says_since_when_on_every_page() -> None:
    data = f.with_meta(
        f.report(sections=(("Fynd", f.LONG_HISTORY * 2),)),
        reprint_at="2025-03-02 16:40:00",
        changed_since="2025-03-02 15:10",
    )
    pages = _page_texts(pf.render_report(data))
    assert len(pages) >= 2
    for text in pages:
        assert "ÄNDRAD" in text and "sedan utskriften 2025-03-02 15:10" in text and "KOPIA" in text


def test_a_sheet_printed_for_the_first_time_does_not_say_changed() -> None:
    text = "".join(_page_texts(pf.render_exam(f.exam())))
    assert "ÄNDRAD" not in text
