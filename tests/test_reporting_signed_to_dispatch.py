"""A signature lands the radiologist on the fax to the referrer, the step after it; an urgent
finding's call, or a draft, keeps the top of the screen."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .factories import report_data


@pytest.mark.parametrize("action", ["preliminary", "definitive"])
def test_a_signature_lands_on_the_fax_to_the_referrer(
    client: FlaskClient, auth, case_id: int, action: str
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_data(action))
    assert response.headers["Location"] == f"/reporting/{case_id}#dispatch"
    assert 'id="dispatch"' in client.get(f"/reporting/{case_id}").get_data(as_text=True)


def test_a_saved_draft_stays_at_the_top(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_data("save"))
    assert response.headers["Location"] == f"/reporting/{case_id}"


def test_an_urgent_finding_keeps_its_call_reminder_in_view(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_data(is_urgent="y"))
    assert response.headers["Location"] == f"/reporting/{case_id}"
    assert "Akut fynd: ring remittenten" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
