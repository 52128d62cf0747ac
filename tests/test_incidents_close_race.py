"""A referral and the close of its incident at the same moment (real concurrent requests).

Either the close counts the new case and refuses, or the referral finds the incident ended and
is refused: never a case left in an incident that has ended. On SQLite the writes queue on
one lock; on PostgreSQL the incident row's lock orders them.
"""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.catchup_support import with_page_lists
from tests.factories import DEFAULT_PIN, referral_data
from webapp.extensions import db
from webapp.models import Case, Incident

ROUNDS = 8


def _logged_in(app: Flask, user_factory, role: str) -> FlaskClient:
    user_factory(role=role, username=f"race-{role}")
    client = app.test_client()
    client.post("/login", data={"username": f"race-{role}", "secret": DEFAULT_PIN})
    return client


def _at_once(*calls: tuple[FlaskClient, str, dict[str, str]]) -> None:
    """POST each (client, url, data) from its own thread, released together."""
    start = threading.Barrier(len(calls))

    def post(client: FlaskClient, url: str, data: dict[str, str]) -> None:
        start.wait()
        client.post(url, data=data)

    threads = [threading.Thread(target=post, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_a_referral_racing_the_close_never_lands_in_an_ended_incident(
    app: Flask, user_factory
) -> None:
    radiographer = _logged_in(app, user_factory, "radiographer")
    admin = _logged_in(app, user_factory, "admin")
    for n in range(ROUNDS):
        location = radiographer.post("/incidents/new", data={"scenario": "integration"})
        incident_id = int(location.headers["Location"].rsplit("/", 1)[-1])
        sent = with_page_lists(admin, incident_id, {"confirm_unnotified": "y"})
        _at_once(
            (radiographer, "/cases/new", referral_data(key_suffix=f"race{n}")),
            (admin, f"/catchup/incidents/{incident_id}/close", sent),
        )
        with app.app_context():
            ended = db.session.scalar(select(Incident.ended_at).where(Incident.id == incident_id))
            cases = db.session.scalar(
                select(func.count(Case.id)).where(Case.incident_id == incident_id)
            )
            db.session.remove()
        assert not (ended is not None and cases), f"round {n}: a case in an ended incident"
        assert ended is not None or cases == 1, f"round {n}: neither the close nor the referral"
        if ended is None:
            # The case went first: finish the round by cancelling it so the next incident is new.
            with app.app_context():
                case_id = db.session.scalar(select(Case.id).where(Case.incident_id == incident_id))
                db.session.remove()
            radiographer.post(f"/cases/{case_id}/cancel", data={"reason": "Test"})
            admin.post(f"/catchup/incidents/{incident_id}/close", data=sent)
