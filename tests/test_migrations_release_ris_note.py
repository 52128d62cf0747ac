"""A release made in an outage still open when the app is upgraded waits for its referral note
to be recorded in RIS, as one made after; one of an ended outage does not. The downgrade takes
the flag and the log away again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.extensions import db
from webapp.startup import prepare

from .routines_support import make_case, release_data
from .test_migrations import CLEAN_UP, HEAD, version_and_tables


def _to_clean_up(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=CLEAN_UP)
        columns = {c["name"] for c in inspect(db.engine).get_columns("image_release")}
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert "ris_note_due" not in columns and "release_ris_note" not in tables


def _released(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 302


def _due(app: Flask) -> list[bool]:
    with app.app_context():
        rows = db.session.execute(text("SELECT ris_note_due FROM image_release")).scalars()
        due = [bool(r) for r in rows]
        db.session.remove()
    return due


def test_a_release_of_an_open_outage_waits_for_ris_after_the_upgrade(
    app: Flask, client: FlaskClient, auth
) -> None:
    _released(client, auth)
    _to_clean_up(app)
    prepare(app)
    assert version_and_tables(app)[0] == HEAD
    assert _due(app) == [True]


def test_a_release_of_an_ended_outage_is_left_as_it_was(
    app: Flask, client: FlaskClient, auth
) -> None:
    _released(client, auth)
    _to_clean_up(app)
    with app.app_context():
        db.session.execute(text("UPDATE incident SET ended_at = '2026-01-15 12:00:00.000000'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    prepare(app)
    assert _due(app) == [False]


def test_an_empty_database_goes_down_and_up_again(app: Flask) -> None:
    _to_clean_up(app)
    prepare(app)
    version, tables = version_and_tables(app)
    assert version == HEAD and "release_ris_note" in tables
