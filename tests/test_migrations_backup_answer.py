"""A backup asked for before the upgrade is named on its answer page after it, as a new one is."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, select, text

from webapp.extensions import db
from webapp.models import Submission, User
from webapp.startup import prepare

from .test_migrations import IDENTITY_REVISION

KEY = "c" * 24
NAME = "reservrutin-20261201-101500-000001.db"


def test_a_backup_asked_for_before_the_upgrade_is_named_from_the_stored_result(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.role == "admin"))
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=IDENTITY_REVISION)
        columns = {c["name"] for c in inspect(db.engine).get_columns("submission")}
        # As the earlier version stored it: the file's name as the anchor of the address.
        db.session.execute(
            text(
                "INSERT INTO submission (key, kind, payload_hash, result_url, user_id, created_at)"
                " VALUES (:key, 'backup', 'h', :url, :user, CURRENT_TIMESTAMP)"
            ),
            {"key": KEY, "url": f"/admin/#{NAME}", "user": admin_id},
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert "result_name" not in columns
    prepare(app)
    with app.app_context():
        stored = db.session.execute(
            select(Submission.result_url, Submission.result_name).where(Submission.key == KEY)
        ).one()
        db.session.remove()
    assert tuple(stored) == (f"/admin/?backup={KEY}", NAME)
    assert NAME in client.get(stored.result_url).get_data(as_text=True)
