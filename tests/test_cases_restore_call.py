"""A case cancelled, its referrer faxed that the exam will not be done, and then restored: the
referrer is called, and until that call is logged the case says so on its page, on the board,
on the worklist and in the catch-up, and the incident cannot end over it."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended, new_case, waive
from .factories import audit_events, case_code, hidden_value, incident_of, local_minute
from .test_cases_cancel_notice import _notice_form

FLAG = "Ring om ångrad makulering"


def _restored_after_notice(client: FlaskClient, auth) -> int:
    """A case cancelled, its notice faxed, the cancel undone; the radiographer logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Fel patient", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    return case_id


def _call_form(client: FlaskClient, case_id: int, **fields: str) -> dict[str, str]:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    match = re.search(r'<form[^>]*action="[^"]*/restore-call"[^>]*>(.*?)</form>', page, re.S)
    assert match is not None, "no call form on the page"
    key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', match.group(1))
    assert key is not None
    data = {
        "form_key": key.group(1),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": local_minute(),
        "note": "Undersökningen görs i eftermiddag",
    }
    return data | fields


def _log_call(client: FlaskClient, case_id: int, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(f"/cases/{case_id}/restore-call", data=_call_form(client, case_id, **fields))


def test_the_call_about_the_restore_is_logged_and_shown_on_the_case_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    assert _log_call(client, case_id).status_code == 302
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Remittenten är ringd om att undersökningen görs ändå" in page
    assert "Dr Åberg" in page and "0999-123 45" in page and "eftermiddag" in page
    assert "Ring remittenten och berätta" not in page
    events = audit_events(app, "restore_call")
    assert len(events) == 1 and "Dr Åberg" in events[0].detail


def test_the_call_logged_twice_from_one_form_is_stored_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    data = _call_form(client, case_id)
    assert client.post(f"/cases/{case_id}/restore-call", data=data).status_code == 302
    assert client.post(f"/cases/{case_id}/restore-call", data=data).status_code == 302
    assert len(audit_events(app, "restore_call")) == 1


def test_a_call_without_whom_is_refused_beside_the_field_keeping_what_was_typed(
    client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    response = _log_call(client, case_id, called_person="", note="Ringt avdelningen")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="called_person-error"' in page and "Ringt avdelningen" in page


def test_a_call_for_a_case_with_no_notice_faxed_is_refused(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    auth.login("radiographer")
    data = {"called_person": "Dr Åberg", "phone_number": "1", "called_at": local_minute()}
    response = client.post(f"/cases/{case_id}/restore-call", data=data, follow_redirects=True)
    assert "Det finns inget samtal att logga" in html.unescape(response.get_data(as_text=True))


def test_the_board_and_the_worklist_flag_the_call_until_it_is_logged(
    client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    assert FLAG in html.unescape(client.get("/board/").get_data(as_text=True))
    auth.login("radiologist")
    assert FLAG in html.unescape(client.get("/reporting/").get_data(as_text=True))
    assert _log_call(client, case_id).status_code == 302
    assert FLAG not in html.unescape(client.get("/reporting/").get_data(as_text=True))
    auth.login("radiographer")
    assert FLAG not in html.unescape(client.get("/board/").get_data(as_text=True))


def test_the_catchup_lists_the_call_with_a_link_to_the_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    auth.login("secretary")
    page = html.unescape(
        client.get(f"/catchup/incidents/{incident_of(app, case_id)}").get_data(as_text=True)
    )
    assert f'href="/cases/{case_id}#notice"' in page
    assert "Remittenten fick besked om makuleringen men är inte ringd om att den ångrats" in page


def test_the_incident_cannot_end_until_the_call_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    incident_id = incident_of(app, case_id)
    waive(client, auth, case_id)
    page = html.unescape(close_incident(client, auth, incident_id))
    assert not incident_ended(app, incident_id)
    assert case_code(app, case_id) in page
    error = page.split('id="close-error"', 1)[1].split("</div>", 1)[0]
    assert f'href="/cases/{case_id}#notice"' in error and case_code(app, case_id) in error
    auth.login("radiographer")
    assert _log_call(client, case_id).status_code == 302
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_the_call_can_be_logged_after_the_incident_has_ended(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    with app.app_context():
        from webapp.extensions import db
        from webapp.models import Incident, utcnow

        incident = db.session.get(Incident, incident_of(app, case_id))
        incident.ended_at = utcnow()
        db.session.commit()
    assert _log_call(client, case_id).status_code == 302
    assert len(audit_events(app, "restore_call")) == 1


def test_the_call_is_shown_first_on_the_board_and_worklist_however_many_rows_they_show(
    client: FlaskClient, auth, monkeypatch
) -> None:
    # A call to make comes first, like an urgent finding's: a routine case restored behind
    # more urgent ones was past the shown rows, its referrer believing the exam was not done.
    from webapp.board import views as board_views
    from webapp.reporting import views as reporting_views

    monkeypatch.setattr(board_views, "BOARD_ROWS", 1)
    monkeypatch.setattr(reporting_views, "WORKLIST_ROWS", 1)
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    urgent = new_case(
        client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=local_minute()
    )
    case_id = new_case(client, auth, key_suffix="r", priority="rutin", arrived_at=local_minute())
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Fel patient", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    assert client.post(url + "/cancel-notice", data=_notice_form(client, url)).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = {"reason": "Fel ärende makulerat", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/restore", data=restore).status_code == 302
    board = html.unescape(client.get("/board/").get_data(as_text=True))
    assert FLAG in board and f'/cases/{case_id}"' in board
    # The call sorts before the more urgent patient, who waits behind "Visa alla".
    assert f'/cases/{urgent}"' not in board and "Visa alla" in board
    auth.login("radiologist")
    worklist = html.unescape(client.get("/reporting/").get_data(as_text=True))
    assert FLAG in worklist
