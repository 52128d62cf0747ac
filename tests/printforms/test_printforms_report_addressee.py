"""The faxed report is addressed to the referring unit and the clinician who asked, the
anonymised report to whom its data names (the RIS administrator), and both keep to their page
at the fields' limits."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

import printforms as pf

from . import factories as f
from .conftest import STANDARD_FAX, decoded_payloads, pdf_text

CLINICIAN = "Pär Hällström, ST-läkare"
# The referral form's limits: 200 characters of unit and of clinician.
LONG_UNIT = ("Medicinkliniken avdelning 12 hjärtintensiven " * 5)[:200]
LONG_CLINICIAN = ("Dr Karl-Johan Åkerström-Lindqvist, överläkare " * 5)[:200]
LONG_FAX = "0999-123 46 alt 0999-123 47 natt 0999-12"  # 40, the reply fax's limit

RENDERS = [
    pytest.param(pf.render_report, f.report, id="report"),
    pytest.param(pf.render_anonymised_report, f.anonymised_report, id="anonymised"),
]


def _first_page(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""


@pytest.mark.parametrize(("render", "data"), RENDERS)
def test_the_report_is_addressed_to_the_unit_and_the_clinician(render, data) -> None:
    fax = f.fax_header(to_clinician=CLINICIAN)
    text = " ".join(_first_page(render(data(fax=fax))).split())
    assert "Akutmottagningen Demosjukhuset" in text
    assert CLINICIAN in text
    # In the fax block, before the sender.
    assert text.index("Till") < text.index(CLINICIAN) < text.index("Från")


def test_a_report_to_a_unit_without_a_clinician_names_the_unit_alone() -> None:
    text = pdf_text(pf.render_report(f.report()))
    assert "Akutmottagningen Demosjukhuset" in text
    assert CLINICIAN not in text


@pytest.mark.parametrize(("render", "data"), RENDERS)
def test_the_addressee_at_the_fields_limits_keeps_the_report_on_one_page(render, data) -> None:
    # As a unit at its limit alone did: three to the row, the clinician beside the unit.
    fax = f.fax_header(to_unit=LONG_UNIT, to_clinician=LONG_CLINICIAN, to_fax=LONG_FAX)
    pdf = render(data(fax=fax))
    text = " ".join(pdf_text(pdf).split())
    assert "Sida 1 av 1" in text
    assert "överläkare" in text and "hjärtintensiven" in text and "natt" in text
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert len(payloads) == 1 and len(payloads[0]) == 1


def test_the_anonymised_report_names_the_clinician_but_no_patient() -> None:
    pdf = pf.render_anonymised_report(f.anonymised_report(fax=f.fax_header(to_clinician=CLINICIAN)))
    text = pdf_text(pdf)
    assert CLINICIAN in text
    for secret in (f.PATIENT_NAME, f.PATIENT_ID, "19121212"):
        assert secret not in text


def test_the_addressees_contact_is_labelled_as_given() -> None:
    # The RIS administrator has an e-mail address, not a reply fax.
    fax = f.fax_header(to_unit="RIS/PACS-administratörer", to_fax="rispacs@x.invalid")
    data = f.anonymised_report(fax=replace(fax, to_label="E-post"))
    text = " ".join(pdf_text(pf.render_anonymised_report(data)).split())
    assert "E-post rispacs@x.invalid" in text and "Svarsfax" not in text


def test_the_anonymised_report_says_it_is_not_for_the_referrer() -> None:
    text = " ".join(pdf_text(pf.render_anonymised_report(f.anonymised_report())).split())
    assert "Inte till remittenten" in text


def test_the_administrators_e_mail_and_two_phones_at_their_limits_keep_one_page() -> None:
    # A contact's numbers are 40 characters at most; the anonymised report gives every phone.
    phones = " eller ".join([LONG_FAX, LONG_FAX])
    fax = f.fax_header(to_unit=LONG_UNIT, to_fax=f"rispacs.natt@region.exempel.invalid / {phones}")
    data = f.anonymised_report(fax=replace(fax, to_label="E-post / telefon"), text_removed=True)
    pdf = pf.render_anonymised_report(data)
    text = " ".join(pdf_text(pdf).split())
    assert "E-post / telefon" in text and "Sida 1 av 1" in text
    payloads = decoded_payloads(pdf, STANDARD_FAX)
    assert len(payloads) == 1 and len(payloads[0]) == 1
