"""The anonymised referral says when identifying text was taken out of its free text."""

from __future__ import annotations

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, pdf_text

NOTE = "Identifierande uppgifter borttagna ur fritexten"


def test_the_sheet_says_identifying_text_was_removed() -> None:
    data = f.anonymised_referral(history="[borttaget], akut buksmärta.", text_removed=True)
    pdf = pf.render_anonymised_referral(data)
    text = " ".join(pdf_text(pdf).split())
    assert NOTE in text
    # Before the free text it explains, so the reviewer reads the gaps as gaps.
    assert text.index(NOTE) < text.index("[borttaget], akut buksmärta.")
    assert "Sida 1 av 1" in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [["RR1:K7M2QX:ARE:1"]]


def test_a_sheet_with_nothing_removed_says_nothing_of_it() -> None:
    assert NOTE not in pdf_text(pf.render_anonymised_referral(f.anonymised_referral()))
