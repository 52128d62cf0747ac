"""A ward referral form's QR names the form and its site, never a case: it is copied and used
many times, so the scan station reads it as the site's form, as a scanner types it."""

from __future__ import annotations

import pytest

from webapp.codes import MAX_PAYLOAD_LENGTH, CodeError, canonical_scan, parse_scan
from webapp.ward_codes import make_ward_referral_payload, site_form_stamp

# The longest site code the configuration takes ([site] code, 32 characters).
LONGEST_CODE = "SU-SAHLGRENSKA-OSTRA-AKUTRONTGEN"


def test_payload_names_the_site_by_its_stamp_and_stays_within_the_qr_limit() -> None:
    payload = make_ward_referral_payload(LONGEST_CODE)
    assert len(LONGEST_CODE) == 32
    assert len(payload) <= MAX_PAYLOAD_LENGTH
    assert payload == f"RR1:W{site_form_stamp(LONGEST_CODE)}:AVR:1"


def test_stamp_is_the_same_for_a_site_code_however_written_and_differs_between_sites() -> None:
    assert site_form_stamp("EXS") == site_form_stamp("exs ")
    assert site_form_stamp("EXS") != site_form_stamp("LBY")


@pytest.mark.parametrize("spelling", ["plain", "swedish-layout", "semicolons", "lower"])
def test_scan_reads_the_ward_referral_form_however_the_scanner_types_it(spelling: str) -> None:
    payload = make_ward_referral_payload("EXS")
    typed = {
        "plain": payload,
        "swedish-layout": payload.replace(":", "Ö"),
        "semicolons": payload.replace(":", ";"),
        "lower": payload.lower(),
    }[spelling]
    result = parse_scan(typed)
    assert result.kind == "ward_referral"
    assert result.site_stamp == site_form_stamp("EXS")
    assert result.case_code is None
    assert canonical_scan(result) == payload


@pytest.mark.parametrize(
    "payload", ["RR1:W7K3QM:AVR:0", "RR1:W7K3:AVR:1", "RR1:X7K3QM:AVR:1", "RR1:W7K3Q0:AVR:1"]
)
def test_a_damaged_ward_referral_payload_is_refused(payload: str) -> None:
    with pytest.raises(CodeError):
        parse_scan(payload)
