"""The catch-up page names the incident's other live case of the same patient, as the case
page does: the secretary keying it is the last to see one referral registered twice (booked
twice in RIS) or two patients given one reserve number (their images meeting under it)."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

NOTICE = "Samma patient har ett annat ärende i driftstoppet"
SAME_RESERVE = "Samma reservnummer finns på ett annat ärende i driftstoppet"


def _register(client: FlaskClient, data: dict[str, object]) -> int:
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _catchup_page(client: FlaskClient, auth, case_id: int) -> str:
    auth.logout()
    auth.login("secretary")
    response = client.get(f"/catchup/cases/{case_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_catchup_page_names_the_same_patients_other_case(
    client: FlaskClient, auth, incident: int
) -> None:
    first = _register(client, referral_data(key_suffix="a"))
    second = _register(client, referral_data(key_suffix="b"))
    page = _catchup_page(client, auth, second)
    assert NOTICE in page and "samma undersökning" in page
    # Linked to the other case's catch-up page, where it is keyed.
    assert f'/catchup/cases/{first}"' in page.split(NOTICE, 1)[1].split("</section>", 1)[0]


def test_the_catchup_page_names_another_case_on_the_same_reserve_number(
    client: FlaskClient, auth, incident: int
) -> None:
    _register(client, unidentified_referral_data(key_suffix="a"))
    second = _register(client, unidentified_referral_data(key_suffix="b", sex="F"))
    page = _catchup_page(client, auth, second)
    assert SAME_RESERVE in page and "RES-0007" in page.split(SAME_RESERVE, 1)[1]


def test_the_catchup_page_of_a_patient_with_one_case_has_no_notice(
    client: FlaskClient, auth, incident: int
) -> None:
    only = _register(client, referral_data())
    page = _catchup_page(client, auth, only)
    assert NOTICE not in page and SAME_RESERVE not in page
