"""No text in a sheet's header is smaller than the sheets' smallest fax text (INFO_PT), even
for the longest name beside the widest number: a patient line shrunk below it was the one part
of the header a fax blurred, and it is what matches a page that came apart to its patient."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from printforms.header import INFO_PT, layout_sheet

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, sized_lines
from .test_printforms_header_patient_fit import (
    LONG_NAME,
    ONE_WORD_NAME,
    SHEETS,
    WIDEST_ID,
    WIDEST_NAME,
    _single_pages,
)

# The widest number of each kind a sheet may carry: a transfer's typed ID (40 characters), a
# reserve number (20, of A–Z, 0–9 and "-"; W is the widest) and a samordningsnummer with the
# century (the longest kind's name and number).
IDENTITIES = {
    "typed-id": ("Reservnummer", WIDEST_ID),
    "reserve": ("Reservnummer", "W" * 20),
    "personnummer": ("Samordningsnummer", "19121272-1212"),
}
NAMES = {"widest": WIDEST_NAME, "long": LONG_NAME, "one-word": ONE_WORD_NAME}


@pytest.mark.parametrize("name", list(NAMES))
@pytest.mark.parametrize("identity", list(IDENTITIES))
@pytest.mark.parametrize("kind", list(SHEETS))
def test_no_header_text_is_below_the_smallest_fax_size(kind: str, identity: str, name: str) -> None:
    render, build, make = SHEETS[kind]
    label, number = IDENTITIES[identity]
    data = make(f.patient(name=NAMES[name], id_label=label, id_number=number))
    pdf = render(data)
    layout = layout_sheet(build(data))
    assert layout["patient"].size >= INFO_PT
    for page in _single_pages(pdf):
        header = [p for p in sized_lines(page) if p[3] > layout["rule_y"] * mm]
        # The number is there whole on every page, at no less than the smallest size.
        assert any(number in text for text, *_ in header)
        small = [(text, round(size, 2)) for text, *_, size in header if size < INFO_PT - 0.01]
        assert not small
    meta = data.report.meta if kind == "release-report" else data.meta
    for payloads in decoded_payloads(pdf, STANDARD_FAX):
        assert payloads == [meta.qr_payload]
