"""A patient box taller than a page is cut, with a mark, and the case's paper still prints."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader

import printforms as pf
from printforms.data import Patient

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads

# Each of these made a row a little taller than a page: too tall to move to the next page
# whole, and its last piece too short to be split off, so no sheet of the case printed.
HUGE_VALUES = {
    "one-long-word": "Ö" * 900,
    "emoji-words": " ".join(["\N{GRINNING FACE}"] * 400),
    "many-lines": "Rad\n" * 45,
}

SHEETS: dict[str, tuple[Callable[[Patient], bytes], str]] = {
    "referral": (lambda p: pf.render_referral(f.referral(patient=p)), "RR1:K7M2QX:REM:1"),
    "exam": (lambda p: pf.render_exam(f.exam(patient=p)), "RR1:K7M2QX:DOK:1"),
    "report": (lambda p: pf.render_report(f.report(patient=p)), "RR1:K7M2QX:UTL:3"),
    "cover": (lambda p: pf.render_cover(f.red_tray(patient=p)), "RR1:K7M2QX:BAK:1"),
}


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("value", HUGE_VALUES.values(), ids=HUGE_VALUES.keys())
@pytest.mark.parametrize("field", ["name", "earlier_reserve"])
@pytest.mark.parametrize("sheet", SHEETS.keys())
def test_a_patient_box_taller_than_a_page_is_cut_with_a_mark(sheet, field, value) -> None:
    render, payload = SHEETS[sheet]
    pdf = render(f.patient(**{field: value}))
    pages = _page_texts(pdf)
    assert "…" in pages[0]
    assert all("K7M2QX" in text and f.PATIENT_ID in text for text in pages)
    assert all(found == [payload] for found in decoded_payloads(pdf, STANDARD_FAX))


def test_a_patient_box_that_fits_is_printed_whole() -> None:
    name = "Anna-Karin Öberg-Ängström"
    text = "".join(_page_texts(pf.render_referral(f.referral(patient=f.patient(name=name)))))
    assert name in text
    assert "…" not in text


# As long as a name may be (the form and the column take 200 characters): in words, and in
# capitals of the widest letter, which take the most lines of the name's box.
LONGEST_NAMES = {
    "words": " ".join(["Karl-Gustav Maximilian Åkerlund-Östergren"] * 5)[:200],
    "widest-capitals": " ".join(["WWWWWWWWWWWWWWWWWWWW"] * 10)[:200],
}
SHEETS_WITH_PATIENT_BOX = {
    **{name: render for name, (render, _payload) in SHEETS.items()},
    "cancel-notice": lambda p: pf.render_cancel_notice(f.cancel_notice(patient=p)),
}


@pytest.mark.parametrize("name", LONGEST_NAMES.values(), ids=LONGEST_NAMES.keys())
@pytest.mark.parametrize("sheet", SHEETS_WITH_PATIENT_BOX.keys())
def test_a_name_as_long_as_a_name_may_be_is_printed_whole(sheet, name) -> None:
    # The header of each page cuts a long name: the first page's box is where it is whole.
    first = _page_texts(SHEETS_WITH_PATIENT_BOX[sheet](f.patient(name=name)))[0]
    assert "…" not in first.split("Patient", 1)[1]
    assert "".join(name.split()) in "".join(first.split())
