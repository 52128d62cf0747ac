"""Two tablets declaring the same outage at the same moment (real concurrent requests).

One outage is one incident: exactly one of the two declarations opens it, the other is told
it already runs. On SQLite the writes queue on one lock; on PostgreSQL the site row's lock
orders them.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Incident

from .test_incidents_close_race import _at_once, _logged_in

ROUNDS = 8


def test_the_same_outage_declared_on_two_tablets_at_once_opens_one_incident(
    app: Flask, user_factory
) -> None:
    first = _logged_in(app, user_factory, "radiographer")
    second = _logged_in(app, user_factory, "secretary")
    admin = _logged_in(app, user_factory, "admin")
    for n in range(ROUNDS):
        _at_once(
            (first, "/incidents/new", {"scenario": "total"}),
            (second, "/incidents/new", {"scenario": "total"}),
        )
        with app.app_context():
            opened = db.session.scalars(
                select(Incident.id).where(Incident.scenario == "total", Incident.ended_at.is_(None))
            ).all()
            db.session.remove()
        assert len(opened) == 1, f"round {n}: {len(opened)} incidents for one outage"
        # No cases: the incident closes at once, and the next round declares it anew.
        admin.post(f"/catchup/incidents/{opened[0]}/close")
