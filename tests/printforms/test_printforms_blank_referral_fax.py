"""The referral blank names where it is faxed as the ward referral form does ([site]
referral_fax), not the department's reply fax."""

from __future__ import annotations

import printforms as pf

from . import factories as f
from .conftest import pdf_text
from .test_printforms_ward_referral import _fax


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_referral_blank_names_its_referral_faxes_not_the_department_fax() -> None:
    faxes = (
        _fax(3),
        _fax(
            5,
            name="Röntgen Lillby (fax)",
            hours="mån–fre 07:30–15:30",
            then_name="Röntgen 3 (fax)",
            then_fax="0999-300 01",
        ),
    )
    text = _text(pf.render_blank_stack([f.blank("referral", referral_faxes=faxes)]))
    assert (
        "Ifylld remiss faxas till Röntgen 3 (fax): fax 0999-300 01, telefon 0999-300 00 · "
        "Röntgen Lillby (fax): fax 0999-500 01, telefon 0999-500 00 (mån–fre 07:30–15:30; "
        "därefter Röntgen 3 (fax), fax 0999-300 01)"
    ) in text
    # The department's fax (the reply fax) is not where the referral goes.
    assert "0999-100 01" not in text
