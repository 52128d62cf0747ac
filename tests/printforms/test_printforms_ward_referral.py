"""The ward referral form: one page wherever the configuration takes it, its QR read at fax
resolution, and where to fax it (numbers and hours) printed on it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from printforms import render_ward_referral
from printforms.data_ward import WardFax, WardReferralData

from .conftest import FINE_FAX, STANDARD_FAX, decoded_payloads, pdf_text

PAYLOAD = "RR1:W7K3QM:AVR:1"


def _fax(number: int, **overrides: Any) -> WardFax:
    values: dict[str, Any] = dict(
        name=f"Röntgen {number} (fax)",
        fax=f"0999-{number}00 01",
        phone=f"0999-{number}00 00",
    )
    values.update(overrides)
    return WardFax(**values)


def _form(**overrides: Any) -> WardReferralData:
    values: dict[str, Any] = dict(
        site_name="Röntgen Exempelstad",
        site_code="EXS",
        qr_payload=PAYLOAD,
        form_mark="W7K3QM",
        faxes=(
            _fax(1),
            _fax(
                5,
                name="Röntgen Lillby (fax)",
                hours="mån–fre 07:30–15:30",
                then_name="Röntgen 1 (fax)",
                then_fax="0999-100 01",
            ),
        ),
        priorities=("Akut", "Inom timmar", "Rutin"),
        printed="Utskriven 2026-01-15 10:40 från Reservrutin (konfiguration version 3)",
    )
    values.update(overrides)
    return WardReferralData(**values)


# The configuration's limits: site code 32, name 200, three faxes whose names
# (and their fallbacks') are 60 characters, numbers 40, two lines of hours; ten priorities.
LONGEST = dict(
    site_name="Röntgen " * 25,
    site_code="S" * 32,
    faxes=tuple(
        _fax(
            n,
            name=f"{n} Röntgen med ett mycket långt namn på avdelningen och sjukhus"[:60],
            fax="0999-100 01 00 00 00 00 00 00 00 00 000"[:40],
            phone="0999-100 00 00 00 00 00 00 00 00 00 000"[:40],
            hours="mån–fre 07:30–15:30, lör 08:00–12:00",
            then_name="Röntgen därefter med ett mycket långt namn på avdelningen och"[:60],
            then_fax="0999-100 01 00 00 00 00 00 00 00 00 000"[:40],
        )
        for n in range(1, 4)
    ),
    priorities=tuple(f"Prioritet {i} (inom {i} dygn)" for i in range(1, 11)),
)


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("form", ["plain", "longest"])
def test_form_is_one_page_and_its_qr_reads_at_fax_resolution(form: str) -> None:
    pdf = render_ward_referral(_form() if form == "plain" else _form(**LONGEST))
    assert _pages(pdf) == 1
    assert decoded_payloads(pdf, STANDARD_FAX) == [[PAYLOAD]]
    assert decoded_payloads(pdf, FINE_FAX) == [[PAYLOAD]]


def test_form_names_every_fax_with_its_hours_and_the_fax_after_them() -> None:
    text = " ".join(pdf_text(render_ward_referral(_form())).split())
    assert "Röntgen 1 (fax): fax 0999-100 01" in text
    assert "Röntgen Lillby (fax): fax 0999-500 01" in text
    assert "mån–fre 07:30–15:30; därefter Röntgen 1 (fax), fax 0999-100 01" in text


def test_form_says_what_it_is_for_people_as_for_the_scan_station() -> None:
    text = " ".join(pdf_text(render_ward_referral(_form())).split())
    assert "RÖNTGENREMISS VID DRIFTSTOPP" in text
    assert "Röntgen Exempelstad" in text
    assert "Enhet EXS" in text
    assert PAYLOAD in text
    assert "Ärende" not in text


def test_form_asks_what_a_referral_needs() -> None:
    text = " ".join(pdf_text(render_ward_referral(_form())).split())
    for asked in (
        "Patientens namn",
        "Personnummer/reservnummer",
        "Remitterande enhet",
        "Remitterande läkare",
        "Svarsfax (obligatoriskt)",
        "Telefon",
        "Önskad undersökning",
        "Frågeställning",
        "Anamnes",
        "Akut",
        "Inom timmar",
        "Kontrastmedelsallergi",
        "eGFR / kreatinin, datum",
        "Graviditet",
        "Pacemaker/ICD",
        "Smitta/isolering",
        "Förflyttning",
        "Datum och tid",
        "Underskrift",
    ):
        assert asked in text, asked
