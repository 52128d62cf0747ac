"""The faxed report says when its images were read on the modality's own screen."""

from __future__ import annotations

import printforms as pf

from . import factories as f
from .conftest import pdf_text

NOTE = (
    "Granskat på modalitetens skärm utan tillgång till tidigare undersökningar. "
    "Eftergranskas i PACS."
)


def test_the_report_prints_the_note_on_where_it_was_read() -> None:
    text = " ".join(pdf_text(pf.render_report(f.report(read_on_note=NOTE))).split())
    assert f"Granskning {NOTE}" in text


def test_a_report_without_a_note_prints_no_such_line() -> None:
    text = " ".join(pdf_text(pf.render_report(f.report())).split())
    assert "Granskning" not in text and "modalitetens" not in text
