"""An optional field left empty prints "–" in its box, as the exam sheet's do: an empty box
on a printed sheet reads as a value the print lost, or as one to write in by hand."""

from __future__ import annotations

import printforms as pf

from . import factories as f
from .conftest import pdf_text

NOT_GIVEN = "–"


def _value_under(pdf: bytes, label: str) -> str:
    """The line drawn under the label's last line (the box's value; the referral's heading
    Remittent comes before its box), as a reader extracts it."""
    lines = [line.strip() for line in pdf_text(pdf).split("\n")]
    return lines[len(lines) - lines[::-1].index(label)]


def test_a_referral_without_clinician_or_phone_prints_a_dash_in_each_box() -> None:
    pdf = pf.render_referral(f.referral(referrer=f.referrer(clinician="", phone="")))
    assert _value_under(pdf, "Remittent") == NOT_GIVEN
    assert _value_under(pdf, "Telefon") == NOT_GIVEN


def test_a_referral_without_history_prints_a_dash_under_its_heading() -> None:
    pdf = pf.render_referral(f.referral(history=""))
    assert _value_under(pdf, "Anamnes") == NOT_GIVEN


def test_an_anonymised_referral_without_clinician_or_phone_prints_a_dash_in_each_box() -> None:
    data = f.anonymised_referral(referrer_clinician="", referrer_phone="")
    pdf = pf.render_anonymised_referral(data)
    assert _value_under(pdf, "Remittent") == NOT_GIVEN
    assert _value_under(pdf, "Remittentens telefon") == NOT_GIVEN


def test_a_referral_with_every_field_given_prints_them_as_typed() -> None:
    pdf = pf.render_referral(f.referral())
    assert _value_under(pdf, "Remittent") == "Dr Émile Ström"
    assert _value_under(pdf, "Telefon") == "010-000 00 01"
    assert _value_under(pdf, "Anamnes").startswith("Tidigare frisk.")
