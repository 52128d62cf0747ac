"""Each reviewer answer entered in RIS on the wrong case and then undone is its own task to
take out of RIS: two such answers on one case are two tasks, each showing which answer (its
number, reviewer and time received), and recording one removal leaves the other standing and
the close held until it too is recorded."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerExchange, ReviewerLogEntry, User, utcnow

from .catchup_support import close_incident, incident_ended, waive
from .factories import audit_events, incident_of
from .printforms.conftest import pdf_text
from .routines_support import receive_reviewer_report
from .test_routines_reviewer_undo_after_ris import (
    HELD,
    QUEUE,
    _entered_in_ris,
    _received_on_a,
    _removal_form,
    _section,
    _undo,
)

ACTION = re.compile(r'action="(/routines/reviewer/queue/\d+/removed-from-ris/\d+)"')


def _tasks(client: FlaskClient) -> tuple[str, list[str]]:
    """The queue's removal section and each task's form action, in the order shown."""
    section = _section(html.unescape(client.get(QUEUE).get_data(as_text=True)), "ris-removal")
    return section, ACTION.findall(section)


def _task_items(section: str) -> list[str]:
    return re.findall(r'<li class="queue-item"[^>]*>.*?</li>', section, re.S)


def _two_answers_entered_and_undone_one_by_one(
    app: Flask, client: FlaskClient, auth
) -> tuple[int, str]:
    """Case A gets an answer, the admin enters it in RIS, it is undone; a second answer the
    same: two answers of one case sit in RIS. The admin logged in."""
    case_id, code = _received_on_a(app, client, auth)
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    receive_reviewer_report(
        client, auth, code, forwarded=False, received_at="2026-01-15T11:50", reviewer_name="Dr B"
    )
    auth.logout()
    _entered_in_ris(app, client, auth)
    _undo(client, auth, case_id)
    auth.login("admin")
    return case_id, code


def test_two_answers_entered_and_undone_are_two_tasks_each_named(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = _two_answers_entered_and_undone_one_by_one(app, client, auth)
    section, actions = _tasks(client)
    assert len(actions) == 2 and len(set(actions)) == 2
    first, second = _task_items(section)
    assert code in first and code in second
    assert "svar 1" in first and "Dr Granskare" in first and "11:40" in first
    assert "svar 2" in second and "Dr B" in second and "11:50" in second


def test_recording_one_removal_leaves_the_other_answer_to_remove(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _two_answers_entered_and_undone_one_by_one(app, client, auth)
    _section_before, (first, second) = _tasks(client)
    page = client.get(QUEUE).get_data(as_text=True)
    data = _removal_form(page, first) | {"note": "Svar 1 borttaget ur RIS"}
    assert client.post(first, data=data).status_code == 302

    section, actions = _tasks(client)
    assert actions == [second]
    [left] = _task_items(section)
    assert "svar 2" in left and "Dr B" in left
    [event] = audit_events(app, "reviewer_ris_removed")
    # The audit says which answer was taken out of RIS.
    assert "svar 1" in event.detail and "Dr Granskare" in event.detail

    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    refused = html.unescape(close_incident(client, auth, incident_id))
    assert not incident_ended(app, incident_id)
    assert HELD in refused and code in refused

    page = client.get(QUEUE).get_data(as_text=True)
    data = _removal_form(page, second) | {"note": "Svar 2 borttaget ur RIS"}
    assert client.post(second, data=data).status_code == 302
    _section_after, actions = _tasks(client)
    assert actions == []
    assert len(audit_events(app, "reviewer_ris_removed")) == 2
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_two_answers_entered_then_undone_together_are_two_tasks(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _received_on_a(app, client, auth)
    receive_reviewer_report(client, auth, code, forwarded=False, received_at="2026-01-15T11:50")
    auth.logout()
    _entered_in_ris(app, client, auth)  # both answers entered in RIS
    _undo(client, auth, case_id)
    auth.login("admin")
    _section_shown, actions = _tasks(client)
    assert len(actions) == 2


def test_a_removal_sent_again_for_its_answer_records_nothing_more(
    app: Flask, client: FlaskClient, auth
) -> None:
    _two_answers_entered_and_undone_one_by_one(app, client, auth)
    _section_before, (first, second) = _tasks(client)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), first)
    assert client.post(first, data=data).status_code == 302
    client.get(QUEUE)  # takes the first answer's flash
    again = client.post(first, data=data, follow_redirects=True)
    assert again.status_code == 200 and "flash-error" not in again.get_data(as_text=True)
    assert len(audit_events(app, "reviewer_ris_removed")) == 1
    _section_after, actions = _tasks(client)
    assert actions == [second]


def test_the_follow_up_lists_each_answer_apart(app: Flask, client: FlaskClient, auth) -> None:
    case_id, code = _two_answers_entered_and_undone_one_by_one(app, client, auth)
    _section_before, (first, _second) = _tasks(client)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), first)
    assert client.post(first, data=data).status_code == 302
    url = f"/incidents/{incident_of(app, case_id)}/followup"
    page = html.unescape(client.get(url).get_data(as_text=True))
    rows = re.findall(r"<li>.*?</li>", _section(page, "ris-removal"), re.S)
    assert len(rows) == 2 and all(code in r for r in rows)
    assert "svar 1" in rows[0] and "Borttaget ur RIS" in rows[0]
    assert "svar 2" in rows[1] and "Inte borttaget" in rows[1]
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    assert "Svar 1, mottaget" in text and "Svar 2, mottaget" in text


def _close_refusal(page: str) -> tuple[str, list[str]]:
    """The refused close's message and the lines it links, one per case or task named."""
    found = re.search(r'<div class="error" id="close-error".*?</div>', page, re.S)
    assert found is not None, "the close was not refused"
    block = found.group(0)
    message = re.search(r"<p>(.*?)</p>", block, re.S)
    named = re.findall(r'<ul class="outstanding close-named">(.*?)</ul>', block, re.S)
    links = re.findall(r"<li>(.*?)</li>", named[0], re.S) if named else []
    return (message.group(1) if message else ""), links


def test_the_refused_close_names_each_answer_still_in_ris_apart(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _two_answers_entered_and_undone_one_by_one(app, client, auth)
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    incident_id = incident_of(app, case_id)
    message, links = _close_refusal(html.unescape(close_incident(client, auth, incident_id)))
    assert not incident_ended(app, incident_id)
    first = message.index("svar 1 från Dr Granskare, mottaget 2026-01-15 11:40")
    second = message.index("svar 2 från Dr B, mottaget 2026-01-15 11:50")
    assert first < second and message.count(HELD) == 2
    assert len(links) == 2 and links[0] != links[1]
    assert all(code in line for line in links)
    assert "svar 1" in links[0] and "svar 2" in links[1]
    # The batch's list of what is left names them apart too.
    page = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    tasks = re.findall(r"<li>(.*?)</li>", _section_of(page, "open-tasks"), re.S)
    removals = [t for t in tasks if HELD in t]
    assert len(removals) == 2 and "svar 1" in removals[0] and "svar 2" in removals[1]


def _section_of(page: str, element_id: str) -> str:
    found = re.search(rf'<ul[^>]*id="{element_id}".*?</ul>', page, re.S)
    return found.group(0) if found else ""


def test_each_task_is_linked_to_its_answer_by_a_column_of_its_own(
    app: Flask, client: FlaskClient, auth
) -> None:
    _two_answers_entered_and_undone_one_by_one(app, client, auth)
    _section_before, (first, _second) = _tasks(client)
    data = _removal_form(client.get(QUEUE).get_data(as_text=True), first)
    assert client.post(first, data=data).status_code == 302
    with app.app_context():
        lines = db.session.scalars(select(ReviewerLogEntry).order_by(ReviewerLogEntry.id)).all()
        answers = [e.id for e in lines if e.kind == "received_undone"]
        due = [e for e in lines if e.kind == "ris_removal_due"]
        [removed] = [e for e in lines if e.kind == "ris_removed"]
        assert [e.refers_to_id for e in due] == answers
        assert removed.refers_to_id == due[0].id
        # The number column keeps to fax numbers: the links are not in it.
        assert {e.number for e in [*due, removed]} == {""}


def test_a_removal_logged_without_a_link_clears_the_due_lines_before_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Lines from before the link: due lines naming no answer, a removal naming no task.
    _two_answers_entered_and_undone_one_by_one(app, client, auth)
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        for line in exchange.entries:
            if line.kind == "ris_removal_due":
                line.refers_to_id = None
        db.session.commit()
        tasks = exchange.removal_tasks
        assert [t.answer_number for t in tasks] == [0, 0]
        assert exchange.awaits_ris_removal
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        db.session.add(
            ReviewerLogEntry(
                exchange_id=exchange.id, kind="ris_removed", at=utcnow(), user_id=admin.id
            )
        )
        db.session.commit()
        db.session.expire_all()
        exchange = db.session.scalar(select(ReviewerExchange))
        assert all(t.removed is not None for t in exchange.removal_tasks)
        assert not exchange.awaits_ris_removal
