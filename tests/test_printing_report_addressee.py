"""The report faxed to the referrer names the clinician who asked as well as the unit; the
anonymised report is for the RIS administrator, never addressed to the referrer."""

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


def test_the_faxed_report_is_addressed_to_the_unit_and_the_clinician(
    client: FlaskClient, signed: int
) -> None:
    pdf = _print(client, signed, "report")
    text = " ".join(pdf_text(pdf).split())
    assert text.index("Till") < text.index("Akutmottagningen") < text.index(CLINICIAN)
    assert text.index(CLINICIAN) < text.index("Från")
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


def test_the_anonymised_report_is_addressed_to_the_ris_administrator_not_the_referrer(
    client: FlaskClient, signed: int
) -> None:
    # The routine hands faxed reports to the RIS administrator; the referrer gets the report
    # with the patient's name and number, never the anonymised one.
    text = " ".join(pdf_text(_print(client, signed, "report-anon")).split())
    assert text.index("Till") < text.index("RIS/PACS-administratörer") < text.index("Från")
    assert "rispacs@exempel.invalid" in text
    assert "Inte till remittenten" in text
    for referrer in ("Akutmottagningen", CLINICIAN, "0999-123 46", "Svarsfax"):
        assert referrer not in text
    for secret in ("Örjan", "Älvström", "19121212"):
        assert secret not in text


def test_a_report_printed_again_after_the_clinician_was_corrected_says_changed(
    client: FlaskClient, signed: int
) -> None:
    _print(client, signed, "report")
    _edit_referral(client, signed, referrer_clinician="Elin Bäckman, överläkare")
    again = pdf_text(_print(client, signed, "report"))
    assert "Elin Bäckman, överläkare" in again
    assert "KOPIA" not in again and CHANGED in again


def test_the_anonymised_report_printed_again_after_the_clinician_was_corrected_is_a_copy(
    client: FlaskClient, signed: int
) -> None:
    # It names neither the clinician nor the unit: the sheet is the one printed before.
    _print(client, signed, "report-anon")
    _edit_referral(client, signed, referrer_clinician="Elin Bäckman, överläkare")
    again = pdf_text(_print(client, signed, "report-anon"))
    assert "KOPIA" in again and CHANGED not in again
