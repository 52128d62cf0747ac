"""A sheet printed before the patient's identity was corrected, scanned after: the scan station
says the paper shows an earlier identity, so it is not keyed into RIS under the name it shows."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .test_printing_versions import EARLIER, _correct_identity, _payload, _print, _scan
from .test_printing_versions import signed_case as signed_case  # the fixture


@pytest.mark.parametrize("kind", ["referral", "exam", "report", "cover"])
def test_a_sheet_printed_before_the_identity_correction_says_it_shows_an_earlier_identity(
    client: FlaskClient, auth, signed_case: int, kind: str
) -> None:
    old = _payload(_print(client, signed_case, kind))
    _correct_identity(client, signed_case)
    page = _scan(client, auth, old)
    assert f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut" in page
    assert "Åsa Öberg" in page  # the case still opens, under its corrected patient


def test_a_sheet_outdated_by_another_change_names_no_earlier_identity(
    client: FlaskClient, signed_case: int, auth
) -> None:
    # Corrected before the print: the paper shows the patient the case has.
    _correct_identity(client, signed_case)
    old = _payload(_print(client, signed_case, "referral"))
    change = {"priority": "rutin", "reason": "Stabil patient"}
    assert client.post(f"/reporting/{signed_case}/priority", data=change).status_code == 302
    page = _scan(client, auth, old)
    assert "Papperet är inaktuellt" in page and EARLIER not in page
