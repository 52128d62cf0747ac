"""A restore ends every login: the backup holds logins as they were when it was taken, and one
ended since (a logout, a lost tablet's logins ended by an admin, a new PIN) would work again."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups
from webapp.extensions import db
from webapp.models import AuditEvent, UserSession

pytestmark = pytest.mark.sqlite_only


def _restore_backup_taken_now(app: Flask, runner, tmp_path: Path, between) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    between()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # A logout since the backup is newer work: restored over on purpose.
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code == 0, result.output


def test_a_login_ended_after_the_backup_does_not_work_again_after_a_restore(
    app: Flask, runner, client: FlaskClient, auth, tmp_path: Path
) -> None:
    auth.login()
    cookie = client.get_cookie("reservrutin_session")
    assert cookie is not None
    _restore_backup_taken_now(app, runner, tmp_path, lambda: client.post("/logout"))
    thief = app.test_client()
    thief.set_cookie("reservrutin_session", cookie.value)
    response = thief.get("/incidents/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_login_live_at_the_restore_ends_and_is_told_why(
    app: Flask, runner, client: FlaskClient, auth, tmp_path: Path
) -> None:
    auth.login()
    _restore_backup_taken_now(app, runner, tmp_path, lambda: None)
    response = client.get("/incidents/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/login"
    assert "Databasen har återställts från en säkerhetskopia. Logga in igen." in page


def test_a_restore_is_logged_and_ends_logins_though_a_site_file_then_stops_the_start(
    app: Flask, runner, client: FlaskClient, auth, tmp_path: Path
) -> None:
    # The restore is done before the site files are read: a file the admin must mend stops the
    # command there, and the restored database must not wait for the mend to hold the restore
    # and to end the logins it holds (app.py would serve it with neither).
    auth.login()
    site_file = Path(app.config["SITE_CONFIG_PATH"])

    def break_the_site_file() -> None:
        site_file.write_text(
            site_file.read_text(encoding="utf-8") + "\nstavfel = 1\n", encoding="utf-8"
        )

    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    break_the_site_file()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 2, result.output
    assert "Återställd från" in result.output
    assert "stavfel" in result.output
    with app.app_context():
        db.session.remove()
        actions = db.session.scalars(select(AuditEvent.action)).all()
        live = db.session.scalars(select(UserSession).where(UserSession.revoked_at.is_(None)))
        assert "restore" in actions
        assert live.all() == []
