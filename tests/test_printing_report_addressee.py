"""The report faxed to the referrer names the clinician who asked as well as the unit."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_printing_changed import CHANGED, _edit_referral, _print, _sign

CLINICIAN = "Pär Hällström, ST-läkare"


@pytest.fixture
def signed(client: FlaskClient, auth) -> int:
    """A case referred by a named clinician, examined and definitively reported."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(referrer_clinician=CLINICIAN)
    location = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    _sign(client, auth, case_id)
    return case_id


@pytest.mark.parametrize("kind", ["report", "report-anon"])
def test_the_faxed_report_is_addressed_to_the_unit_and_the_clinician(
    client: FlaskClient, signed: int, kind: str
) -> None:
    pdf = _print(client, signed, kind)
    text = " ".join(pdf_text(pdf).split())
    assert text.index("Till") < text.index("Akutmottagningen") < text.index(CLINICIAN)
    assert text.index(CLINICIAN) < text.index("Från")
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


def test_the_anonymised_report_naming_the_clinician_still_names_no_patient(
    client: FlaskClient, signed: int
) -> None:
    text = pdf_text(_print(client, signed, "report-anon"))
    assert CLINICIAN in text
    for secret in ("Örjan", "Älvström", "19121212"):
        assert secret not in text


@pytest.mark.parametrize("kind", ["report", "report-anon"])
def test_a_report_printed_again_after_the_clinician_was_corrected_says_changed(
    client: FlaskClient, signed: int, kind: str
) -> None:
    _print(client, signed, kind)
    _edit_referral(client, signed, referrer_clinician="Elin Bäckman, överläkare")
    again = pdf_text(_print(client, signed, kind))
    assert "Elin Bäckman, överläkare" in again
    assert "KOPIA" not in again and CHANGED in again
