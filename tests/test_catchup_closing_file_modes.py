"""The closing's final batch holds every patient of the outage: its files are the app's own
account's alone (0600), in a folder of its own (0700) when the app makes it, as the database
and the site's files are."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.closing import close_incident as close_service
from webapp.config import PRIVATE_FILE, PRIVATE_FOLDER
from webapp.extensions import db
from webapp.incidents.close_checks import CloseConfirmations
from webapp.models import Incident, User
from webapp.sites import site_config

from .catchup_support import listed_now, reconcile_world
from .catchup_world_support import world as world  # the fixture


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_final_batch_files_and_their_folder_are_private(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    admin = auth.login("admin")
    export_dir = Path(app.config["DATA_DIR"]) / "exports"
    assert not export_dir.exists()
    # A permissive umask shows the rights are the app's choice, not the account's default.
    old = os.umask(0o022)
    try:
        with app.test_request_context():
            incident = db.session.get(Incident, world["incident_id"])
            closed = close_service(
                incident_id=incident.id,
                user=db.session.get(User, admin.id),
                config=site_config(incident.site),
                export_dir=export_dir,
                pdf_renderer=None,
                confirmed=CloseConfirmations(
                    unfaxed=True,
                    unnotified=True,
                    shown=listed_now(incident.id, site_config(incident.site)),
                ),
            )
    finally:
        os.umask(old)
    assert closed.export_problem == ""
    assert closed.files
    assert {_mode(p) for p in closed.files} == {PRIVATE_FILE}
    assert _mode(export_dir) == PRIVATE_FOLDER
    # No temporary file left beside them.
    assert sorted(export_dir.iterdir()) == sorted(closed.files)


def test_an_exports_folder_an_older_version_left_readable_is_tightened(
    app: Flask, client: FlaskClient, auth, world, caplog
) -> None:
    reconcile_world(client, auth, world)
    admin = auth.login("admin")
    export_dir = Path(app.config["DATA_DIR"]) / "exports"
    export_dir.mkdir(mode=0o755)
    export_dir.chmod(0o755)
    with app.test_request_context():
        incident = db.session.get(Incident, world["incident_id"])
        closed = close_service(
            incident_id=incident.id,
            user=db.session.get(User, admin.id),
            config=site_config(incident.site),
            export_dir=export_dir,
            pdf_renderer=None,
            confirmed=CloseConfirmations(
                unfaxed=True,
                unnotified=True,
                shown=listed_now(incident.id, site_config(incident.site)),
            ),
        )
    assert closed.export_problem == ""
    assert _mode(export_dir) == PRIVATE_FOLDER
    assert [r for r in caplog.records if str(export_dir) in r.getMessage()]
