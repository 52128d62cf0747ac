"""A stack of blank binder sheets prints the same paper however fast it is drawn.

Pinned from the stack as drawn before it was made faster (bench/bench_blanks.py): its pages,
the QR payload read from each page at fax resolution, and the text a PDF reader extracts.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

import printforms as pf
from printforms.data import BlankSheetData

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

PINNED = Path(__file__).parent / "pinned"
KIND_CODES = {"referral": "BLR", "exam": "BLD", "report": "BLU"}
REPRINT_AT = "2026-01-15 10:40"


def _stack(kind: str) -> list[BlankSheetData]:
    """Five sheets of one kind: the second and fourth are copies (KOPIA), as a binder's
    reprint of some codes printed before is; the fifth has a larger QR (a longer payload)."""
    sheets = []
    for n in range(1, 6):
        code = f"B{n:05d}" if n < 5 else f"B{n:05d}XXXXXXXX"
        sheets.append(
            f.blank(
                kind,
                n,
                case_code=code,
                qr_payload=f"RR1:{code}:{KIND_CODES[kind]}:1",
                department_hours="mån–fre 07:30–15:30",
                then_fax="0999-200 01",
                then_phone="0999-200 00",
                reprint_at=REPRINT_AT if n % 2 == 0 else None,
            )
        )
    return sheets


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("kind", list(KIND_CODES))
def test_a_stack_of_blanks_is_one_page_per_code_with_its_own_qr(kind: str) -> None:
    sheets = _stack(kind)
    pages = decoded_payloads(pf.render_blank_stack(sheets), STANDARD_FAX)
    assert pages == [[s.qr_payload] for s in sheets]


@pytest.mark.parametrize("kind", list(KIND_CODES))
def test_a_stack_of_blanks_has_the_pinned_text(kind: str) -> None:
    pages = _pages(pf.render_blank_stack(_stack(kind)))
    pinned = (PINNED / f"blank_stack_{kind}.txt").read_text(encoding="utf-8")
    assert "\n\f\n".join(pages) == pinned
