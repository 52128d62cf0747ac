"""A cancelled case whose referrer was never told is listed as work left (incident page and
catch-up), logged as a read, and does not hold the incident's end."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended
from .factories import audit_events, case_code, hidden_value, incident_of, referral_data
from .test_cases_cancel_notice import _notice_form

HEADING = "Makulerade ärenden: remittenten har inte fått besked"


def _cancelled_case(client: FlaskClient, auth) -> tuple[str, int]:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Fel patient", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    return url, int(url.rsplit("/", 1)[-1])


def test_the_incident_page_lists_a_cancelled_case_whose_referrer_was_not_told(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, case_id = _cancelled_case(client, auth)
    incident = f"/incidents/{incident_of(app, case_id)}"
    page = html.unescape(client.get(incident).get_data(as_text=True))
    assert HEADING in page
    assert case_code(app, case_id) in page and "Örjan Älvström" in page
    assert any(case_code(app, case_id) in e.detail for e in audit_events(app, "notice_list_view"))
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
    assert HEADING not in html.unescape(client.get(incident).get_data(as_text=True))


def test_the_catchup_lists_a_cancelled_case_whose_referrer_was_not_told(
    app: Flask, client: FlaskClient, auth
) -> None:
    _, case_id = _cancelled_case(client, auth)
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{incident_of(app, case_id)}")
    text = html.unescape(page.get_data(as_text=True))
    assert HEADING in text and case_code(app, case_id) in text


def test_a_referrer_not_told_does_not_hold_the_incidents_end(
    app: Flask, client: FlaskClient, auth
) -> None:
    _, case_id = _cancelled_case(client, auth)
    incident_id = incident_of(app, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
