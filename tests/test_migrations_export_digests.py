"""An export made before the app kept what each case held: the next 'changed only' one after
the upgrade cannot tell what changed since, so it sends every case rather than none."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, select

from webapp.extensions import db
from webapp.models import ExportBatch
from webapp.startup import prepare

from .export_support import export_now
from .factories import incident_of
from .routines_support import case_code, make_case
from .test_migrations import FORWARDED_SIGNATURE


def test_the_first_changes_after_an_export_of_the_earlier_version_are_every_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    incident_id = incident_of(app, case_id)
    export_now(app, incident_id, "csv")
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=FORWARDED_SIGNATURE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("export_batch")}
        db.engine.dispose()
    assert "case_digests" not in columns
    prepare(app)
    with app.app_context():
        assert db.session.scalars(select(ExportBatch.case_digests)).all() == [None]
        db.session.remove()
    changes = export_now(app, incident_id, "csv", changed_only=True)
    assert changes.previous is not None and changes.case_count == 1
    assert case_code(app, case_id) in changes.content.decode("utf-8-sig")
