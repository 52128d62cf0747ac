"""A second outage declared while cases wait for the external reviewer: the reviewer routine's
page, which tablets then open in the newer outage, still lists the waiting cases."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import audit_events, case_code, declare_incident, exam_data, referral_data
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case


def _faxed_then_another_outage(app: Flask, client: FlaskClient, auth) -> str:
    """A case faxed to the reviewer; then RIS goes down too; a new shift logs in. Its code."""
    case_id = make_case(client, auth)
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    auth.logout()
    auth.login("radiographer", username="second-outage")
    declare_incident(client, "om_ris")
    auth.logout()
    auth.login("radiographer", username="next-shift")
    return case_code(app, case_id)


def test_the_reviewer_page_of_a_newer_outage_lists_the_cases_waiting_for_the_reviewer(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _faxed_then_another_outage(app, client, auth)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    cases = page[page.index('id="cases"') :]
    assert code in cases and "Örjan Älvström" in cases
    assert "väntar" in cases[cases.index(code) :]


def test_the_waiting_cases_of_the_other_outage_are_named_in_the_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _faxed_then_another_outage(app, client, auth)
    client.get("/routines/reviewer")
    assert code in audit_events(app, "reviewer_list_view")[-1].detail


def test_the_message_to_the_admins_names_only_the_outage_shown(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _faxed_then_another_outage(app, client, auth)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    body = page[page.index('id="val-body"') :]
    assert code not in body[: body.index("</span>")]


def test_a_drills_cases_are_not_listed_beside_a_real_outage(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer", username="trainer")
    declare_incident(client, "external_reviewer", drill=True)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    client.post(location + "/exam", data=exam_data())
    assert _fax_to_the_reviewer(client, auth, case_id).status_code == 302
    auth.logout()
    auth.login("radiographer", username="real-outage")
    declare_incident(client, "external_reviewer")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    assert case_code(app, case_id) not in page
    assert "Från ett annat pågående driftstopp" not in page
