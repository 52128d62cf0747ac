"""Each incident's list stamp is drawn at random and stored, so another laptop's differs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_incident_payload
from webapp.extensions import db
from webapp.incidents.services import declare_incident
from webapp.models import Incident, User
from webapp.sites import site_config

from .dbsetup import make_test_app
from .factories import DEFAULT_PIN, make_user

# Two laptops whose outage was declared by hand at the same moment.
START = datetime(2026, 12, 2, 9, 14, 0, tzinfo=UTC)


def _declare(app: Flask, *, is_drill: bool = True) -> tuple[int, str, str]:
    """Incident declared by the laptop's radiographer at START; its id, site code and stamp."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "rtg"))
        incident = declare_incident(
            user=user,
            config=site_config(user.site),
            scenario="integration",
            is_drill=is_drill,
            started_at=START,
        )
        return incident.id, incident.site.code, incident.list_stamp


@pytest.fixture
def other_laptop(tmp_path: Path) -> Iterator[Flask]:
    """A second downtime laptop of the same department: its own database, the same site."""
    (tmp_path / "other").mkdir()
    app, teardown = make_test_app(tmp_path / "other", WTF_CSRF_ENABLED=False)
    with app.app_context():
        make_user(username="rtg")
    yield app
    teardown()


@pytest.fixture
def laptop(app: Flask) -> Flask:
    with app.app_context():
        make_user(username="rtg")
        make_user(role="secretary", username="sek")
    return app


def test_incidents_declared_at_one_moment_get_distinct_stamps(laptop: Flask) -> None:
    stamps = [_declare(laptop)[2] for _ in range(30)]
    # 30 draws from 923,521: a repeat or two is possible, many are not.
    assert len(set(stamps)) >= 28


def test_stamp_is_stored_with_the_incident(laptop: Flask) -> None:
    incident_id, _, stamp = _declare(laptop)
    with laptop.app_context():
        incident = db.session.get(Incident, incident_id)
        # Neither the start nor the site it was hashed from before makes the stamp.
        incident.started_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.commit()
    with laptop.app_context():
        assert db.session.get(Incident, incident_id).list_stamp == stamp


def test_list_of_same_numbered_incident_of_another_laptop_started_alike_is_refused(
    laptop: Flask, client: FlaskClient, other_laptop: Flask
) -> None:
    here = _declare(laptop, is_drill=False)
    there = _declare(other_laptop, is_drill=False)
    # Same id, same site code, same start: only the stamp tells them apart (by chance the
    # same about once in a million).
    assert here[:2] == there[:2]
    assert here[2] != there[2]
    client.post("/login", data={"username": "sek", "secret": DEFAULT_PIN})
    foreign = make_incident_payload(there[0], 1, stamp=there[2])
    response = client.get("/scan", query_string={"code": foreign})
    assert response.status_code == 404
    assert f"inte till driftstopp {here[0]} här" in response.get_data(as_text=True)
    own = make_incident_payload(here[0], 1, stamp=here[2])
    response = client.get("/scan", query_string={"code": own})
    assert response.headers["Location"].endswith(f"/catchup/incidents/{here[0]}")
