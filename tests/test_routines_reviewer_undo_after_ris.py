"""A reviewer's answer recorded on the wrong case, entered in RIS by the RIS administrator, then
undone: the wrong report sits on the case in RIS. The admin's queue no longer shows it as done
but as a task to take it out of RIS, named by patient and code, and the incident cannot end
until the admin records it removed (who and when, audited). Undone before the admin entered it,
nothing is left in RIS and nothing is asked."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerExchange, ReviewerLogEntry

from .catchup_support import close_incident, incident_ended, waive
from .factories import audit_events, case_code, incident_of
from .printforms.conftest import pdf_text
from .routines_support import make_case, receive_reviewer_report

QUEUE = "/routines/reviewer/queue"
UNDO = {"undo-reason": "Fel ärendekod, svaret gällde en annan patient."}
REMOVE = "Ta bort granskarens svar från ärendet i RIS"
HELD = "RIS-administratören har inte registrerat att det felaktigt inlagda svaret är borttaget"


def _exchange_id(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(ReviewerExchange.id)))


def _task_id(app: Flask) -> int:
    """The (only) removal task: its ris_removal_due line."""
    with app.app_context():
        return int(
            db.session.scalar(
                select(ReviewerLogEntry.id).where(ReviewerLogEntry.kind == "ris_removal_due")
            )
        )


def _removal_action(app: Flask) -> str:
    return f"{QUEUE}/{_exchange_id(app)}/removed-from-ris/{_task_id(app)}"


def _received_on_a(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    """An answer received on case A (the wrong case); its id and code, nobody logged in."""
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    receive_reviewer_report(client, auth, code, forwarded=False)
    auth.logout()
    return case_id, code


def _entered_in_ris(app: Flask, client: FlaskClient, auth) -> None:
    """The admin marks the queued answer as entered in RIS; logged out after."""
    auth.login("admin")
    exchange_id = _exchange_id(app)
    page = client.get(QUEUE).get_data(as_text=True)
    seen = re.search(r'name="seen_answer" value="(\d+)"', page)
    assert seen is not None
    data = {"note": "Svar inlagt i RIS", "seen_answer": seen.group(1)}
    assert client.post(f"{QUEUE}/{exchange_id}/done", data=data).status_code == 302
    auth.logout()


def _undo(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    response = client.post(f"/routines/reviewer/cases/{case_id}/undo-receipt", data=UNDO)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()


def _section(page: str, element_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{element_id}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _removal_form(page: str, action: str) -> dict[str, str]:
    found = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert found is not None, "no removal form on the queue"
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', found.group(1)))


def test_an_answer_entered_in_ris_then_undone_holds_the_close_until_removed_from_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)

    auth.login("admin")
    page = html.unescape(client.get(QUEUE).get_data(as_text=True))
    removal = _section(page, "ris-removal")
    assert REMOVE in removal and code in removal
    assert "Örjan Älvström" in removal and "19121212-1212" in removal
    # The earlier "done" is no longer the item's state.
    assert code not in _section(page, "queue-done")
    action = _removal_action(app)

    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    refused = html.unescape(close_incident(client, auth, incident_id))
    assert not incident_ended(app, incident_id)
    assert HELD in refused and code in refused

    page = client.get(QUEUE).get_data(as_text=True)
    data = _removal_form(page, action) | {"note": "Svaret borttaget från ärendet i RIS"}
    assert client.post(action, data=data).status_code == 302
    page = html.unescape(client.get(QUEUE).get_data(as_text=True))
    removal = _section(page, "ris-removal")
    assert "Borttaget ur RIS" in removal and "Testa Admin" in removal
    assert f'action="{action}"' not in removal
    events = audit_events(app, "reviewer_ris_removed")
    assert len(events) == 1 and events[0].case_id == case_id
    assert "borttaget från ärendet" in events[0].detail

    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_an_answer_undone_before_it_was_entered_in_ris_asks_for_no_removal(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _undo(client, auth, case_id)
    auth.login("admin")
    page = client.get(QUEUE).get_data(as_text=True)
    assert _section(page, "ris-removal") == "" and "Kön är tom." in page
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_only_the_admin_records_the_removal(app: Flask, client: FlaskClient, auth) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    action = _removal_action(app)
    for role in ("secretary", "radiographer", "radiologist"):
        auth.login(role)
        assert client.post(action, data={"form_key": "k" * 20}).status_code == 403
        auth.logout()
    assert audit_events(app, "reviewer_ris_removed") == []


def test_removal_sent_twice_is_recorded_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    auth.login("admin")
    action = _removal_action(app)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), action)
    assert client.post(action, data=data).status_code == 302
    client.get(QUEUE)  # takes the first answer's flash
    again = client.post(action, data=data, follow_redirects=True)
    assert again.status_code == 200 and "flash-error" not in again.get_data(as_text=True)
    assert len(audit_events(app, "reviewer_ris_removed")) == 1


def test_the_case_page_says_the_answer_is_to_be_removed_from_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    auth.login("radiographer")
    url = f"/routines/reviewer/cases/{case_id}"
    # The undo's box warns first that it leaves a task for the RIS administrator.
    assert "RIS-administratören har redan lagt in svaret i RIS" in client.get(url).get_data(
        as_text=True
    )
    auth.logout()
    _undo(client, auth, case_id)
    auth.login("radiographer")
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "ska tas bort ur RIS" in page


def test_the_follow_up_lists_it_by_code_until_removed(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    url = f"/incidents/{incident_of(app, case_id)}/followup"
    auth.login("secretary")
    page = html.unescape(client.get(url).get_data(as_text=True))
    section = _section(page, "ris-removal")
    assert code in section and "Inte borttaget" in section
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    assert "Granskarsvar att ta bort ur RIS" in text and "Inte borttaget" in text
    auth.logout()
    auth.login("admin")
    action = _removal_action(app)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), action)
    assert client.post(action, data=data | {"note": "Borttaget"}).status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Borttaget ur RIS" in _section(page, "ris-removal")
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    assert "Testa Admin Åström" in text and "Inte borttaget" not in text
    for shown in (text, page):
        for patient in ("Örjan Älvström", "19121212-1212", "191212121212"):
            assert patient not in shown, patient


def test_the_right_answer_received_later_leaves_the_removal_task_standing(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    # The case's own answer comes after: queued for the admin, the wrong one still in RIS.
    receive_reviewer_report(client, auth, code, forwarded=False)
    auth.logout()
    auth.login("admin")
    page = html.unescape(client.get(QUEUE).get_data(as_text=True))
    assert REMOVE in _section(page, "ris-removal")
    assert 'name="seen_answer"' in page
    with app.app_context():
        assert db.session.scalar(select(ReviewerExchange)).awaits_ris_removal


def test_a_too_long_removal_note_is_shown_again_with_the_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    auth.login("admin")
    action, task_id = _removal_action(app), _task_id(app)
    note = "Borttaget. " + "x" * 2000
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), action) | {"note": note}
    response = client.post(action, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="ris-removal-note-{task_id}-error"' in page and f'value="{note}"' in page
    assert audit_events(app, "reviewer_ris_removed") == []


def test_an_answer_entered_in_ris_before_a_second_one_came_is_still_to_remove(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The first answer entered in RIS; a second one on the same case re-queues it (not done),
    # then both are undone: the first still sits in RIS.
    case_id, code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    receive_reviewer_report(client, auth, code, forwarded=False, received_at="2026-01-15T11:50")
    auth.logout()
    _undo(client, auth, case_id)
    auth.login("admin")
    page = html.unescape(client.get(QUEUE).get_data(as_text=True))
    assert REMOVE in _section(page, "ris-removal")
    # Only the first was in RIS: one task, for it.
    assert _section(page, "ris-removal").count("removed-from-ris/") == 1
    assert "svar 1 från" in _section(page, "ris-removal")
