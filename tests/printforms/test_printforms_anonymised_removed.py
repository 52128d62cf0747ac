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


def test_the_anonymised_report_says_so_before_the_report_text_and_keeps_its_page() -> None:
    # With the addressee at the fields' limits, as test_printforms_report_addressee has it.
    fax = f.fax_header(
        to_unit=("Medicinkliniken avdelning 12 hjärtintensiven " * 5)[:200],
        to_clinician=("Dr Karl-Johan Åkerström-Lindqvist, överläkare " * 5)[:200],
        to_fax="0999-123 46 alt 0999-123 47 natt 0999-12",
    )
    sections = (("Fynd", "[borttaget] har en fraktur."), ("Bedömning", "Fraktur."))
    data = f.anonymised_report(fax=fax, sections=sections, text_removed=True)
    pdf = pf.render_anonymised_report(data)
    text = " ".join(pdf_text(pdf).split())
    assert text.index(NOTE) < text.index("[borttaget] har en fraktur.")
    assert "Sida 1 av 1" in text
    assert len(decoded_payloads(pdf, STANDARD_FAX)) == 1


def test_an_anonymised_report_with_nothing_removed_says_nothing_of_it() -> None:
    assert NOTE not in pdf_text(pf.render_anonymised_report(f.anonymised_report()))
