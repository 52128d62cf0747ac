"""The sender's numbers on the report blank and on the sheets the app fills in: labelled by what
they are, and where the site configured none, a box marked to be filled in by hand, never an
empty printed value that reads as something the app left out."""

from __future__ import annotations

import pytest

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, pdf_text

TO_WRITE = "Fax / telefon (fyll i)"


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _one_page_that_scans(pdf: bytes) -> str:
    text = _text(pdf)
    assert "Sida 1 av 1" in text
    assert [len(page) for page in decoded_payloads(pdf, STANDARD_FAX)] == [1]
    return text


@pytest.mark.parametrize(
    ("fax", "phone", "said"),
    [
        ("0999-100 01", "0999-100 00", "Fax / telefon 0999-100 01 / 0999-100 00"),
        ("0999-100 01", "", "Fax 0999-100 01"),
        ("", "0999-100 00", "Telefon 0999-100 00"),
    ],
)
def test_the_report_blank_labels_the_numbers_configured(fax: str, phone: str, said: str) -> None:
    blank = f.blank("report", department_fax=fax, department_phone=phone)
    text = _one_page_that_scans(pf.render_blank_stack([blank]))
    assert f"Från Röntgenkliniken, Demosjukhuset {said}" in text
    assert TO_WRITE not in text


def test_the_report_blank_without_numbers_has_a_box_to_write_them_in() -> None:
    blank = f.blank("report", department_fax="", department_phone="")
    text = _one_page_that_scans(pf.render_blank_stack([blank]))
    assert f"Från Röntgenkliniken, Demosjukhuset {TO_WRITE}" in text


@pytest.mark.parametrize(
    ("fax", "phone", "said"),
    [
        ("010-000 00 09", "010-000 00 08", "Fax / telefon 010-000 00 09 / 010-000 00 08 Skickat"),
        ("010-000 00 09", "", "Fax 010-000 00 09 Skickat"),
        ("", "010-000 00 08", "Telefon 010-000 00 08 Skickat"),
        ("", "", f"{TO_WRITE} Skickat"),
    ],
)
def test_the_reports_fax_block_labels_the_senders_numbers(fax: str, phone: str, said: str) -> None:
    header = f.fax_header(from_fax=fax, from_phone=phone)
    for pdf in (
        pf.render_report(f.report(fax=header)),
        pf.render_anonymised_report(f.anonymised_report(fax=header)),
    ):
        assert said in _one_page_that_scans(pdf)


def test_a_cancel_notice_without_numbers_names_the_department_to_ring_and_no_bare_label() -> None:
    header = f.fax_header(from_fax="", from_phone="")
    text = _text(pf.render_cancel_notice(f.cancel_notice(fax=header)))
    assert TO_WRITE in text
    assert "ring Röntgenkliniken Demosjukhuset" in text
    assert "Demosjukhuset, fax" not in text and "Demosjukhuset, telefon" not in text
