"""A sheet whose document was printed before in another version says ÄNDRAD, and since when."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads


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


def _named(text: str) -> list[str]:
    """The changes the ÄNDRAD mark names, from its time to the last without a comma."""
    after = text.split("sedan utskriften 2025-03-02 15:10:", 1)[1]
    found = re.match(r"\s*((?:[^,\n]+,\s*)*[^,\n]+)", after)
    assert found is not None
    return [part.strip() for part in found.group(1).split(",")]


@pytest.mark.parametrize(
    ("render", "data"),
    [
        (pf.render_referral, f.referral()),
        (pf.render_exam, f.exam()),
        (pf.render_report, f.report(sections=(("Fynd", f.LONG_HISTORY * 2),))),
        (pf.render_cover, f.red_tray()),
        (pf.render_anonymised_referral, f.anonymised_referral()),
        (pf.render_anonymised_report, f.anonymised_report()),
        (pf.render_cancel_notice, f.cancel_notice()),
    ],
)
def test_every_change_at_once_is_named_whole_on_every_page_and_the_qr_still_reads(
    render: Callable[[Any], bytes], data: Any
) -> None:
    pdf = render(
        f.with_meta(
            data,
            is_drill=True,
            is_cancelled=True,
            reprint_at="2025-03-02 16:40:00",
            changed_since="2025-03-02 15:10",
            changed_parts=f.EVERY_CHANGE,
        )
    )
    for text in _page_texts(pdf):
        assert _named(text) == list(f.EVERY_CHANGE)
        assert "KOPIA" in text
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert payloads and all(page for page in payloads)
