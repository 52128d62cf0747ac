"""A reconciled case reopened at the moment its incident is closed (real concurrent requests).

Either the close waits for the change and finds the case outstanding again, or the change finds
the incident ended: never an outstanding case left in an ended incident. On SQLite the writes
queue on one lock; on PostgreSQL the change is held mid-transaction (after it has read that
the incident is open) while the close runs.
"""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from webapp.extensions import db
from webapp.models import Case, Incident

from .catchup_support import reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import DEFAULT_PIN

# Long enough for a close that does not wait to have ended the incident.
CLOSE_GRACE_SECONDS = 2.0


def _tablet(app: Flask, user_factory, role: str) -> FlaskClient:
    user_factory(role=role, username=f"race-{role}")
    client = app.test_client()
    assert client.post("/login", data={"username": f"race-{role}", "secret": DEFAULT_PIN})
    return client


def _waiting_on_a_lock(app: Flask) -> bool:
    with app.app_context():
        waiting = db.session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        )
        db.session.remove()
    return bool(waiting)


# Each change that reopens a reconciled case: who makes it, where, and the table it writes
# after reading that the incident is open.
CHANGES = {
    "step undone": (
        "secretary",
        "/catchup/cases/{id}/steps",
        {"step": "booked", "is_done": "0", "confirm_uncheck": "1"},
        "catchup_tick",
    ),
    "addendum signed": (
        "radiologist",
        "/reporting/{id}/addendum",
        {"text": "Tillägg: ny bedömning.", "form_key": "addendum-race-" + "a" * 10},
        "addendum",
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_reopening_a_case_while_its_incident_closes_never_leaves_it_in_an_ended_one(
    app: Flask, client: FlaskClient, auth, user_factory, world, change: str
) -> None:
    role, url, data, table = CHANGES[change]
    reconcile_world(client, auth, world)
    first = world["ids"][0]
    incident_id = world["incident_id"]
    changer = _tablet(app, user_factory, role)
    admin = _tablet(app, user_factory, "admin")
    answers: dict[str, int] = {}

    def send(name: str, tablet: FlaskClient, path: str, form: dict[str, str]) -> None:
        answers[name] = tablet.post(path, data=form).status_code

    untick = threading.Thread(target=send, args=("change", changer, url.format(id=first), data))
    close = threading.Thread(
        target=send,
        # The routine's notifications, never ticked here, confirmed as the close asks.
        args=(
            "close",
            admin,
            f"/catchup/incidents/{incident_id}/close",
            {"confirm_unnotified": "y"},
        ),
    )
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        holder = db.engine.connect()
    try:
        if postgres:
            # The change reads that the incident is open, then waits here to write.
            holder.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
        untick.start()
        if postgres:
            deadline = time.monotonic() + 10
            while not _waiting_on_a_lock(app) and time.monotonic() < deadline:
                time.sleep(0.05)
        close.start()
        close.join(CLOSE_GRACE_SECONDS)
    finally:
        holder.rollback()
        holder.close()
    untick.join()
    close.join()
    with app.app_context():
        ended = db.session.scalar(select(Incident.ended_at).where(Incident.id == incident_id))
        outstanding = db.session.scalar(
            select(func.count(Case.id)).where(
                Case.incident_id == incident_id, Case.status.not_in(("closed", "cancelled"))
            )
        )
        db.session.remove()
    assert not (ended is not None and outstanding), "an outstanding case in an ended incident"
    assert ended is not None or outstanding == 1, "neither the close nor the change"
    # Each is answered (done, or refused with a reason), none aborted by the database: a
    # deadlock between the two would pass the checks above with one of them undone.
    assert set(answers) == {"change", "close"}
    assert all(code < 500 for code in answers.values()), answers
