"""A restore after staff only logged in and looked asks nothing: no clinical work is lost.

Logins and reads since the backup are access-log rows, kept in the file set aside; asking
"restore anyway?" for them would teach the admin to say yes to the question that matters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups, sqlite_path
from webapp.extensions import db
from webapp.models import AuditEvent

from .factories import referral_data

pytestmark = pytest.mark.sqlite_only


def _backup(runner, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    return path


def _release(app: Flask) -> Path:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def looked_at(app: Flask, client: FlaskClient, auth, runner, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A backup of a case, then only a login, the board and the case looked at, a logout."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "pacs"})
    case_url = client.post("/cases/new", data=referral_data()).headers["Location"]
    auth.logout()
    path = _backup(runner, tmp_path)
    auth.login()
    assert client.get("/").status_code in (200, 302)
    assert client.get(case_url).status_code == 200
    auth.logout()
    _release(app)
    return path


def test_a_restore_after_only_logins_and_reads_asks_nothing_but_says_they_go_out_of_view(
    app: Flask, runner, looked_at: Path
) -> None:
    # No answer given: a question would be refused as a no.
    result = runner.invoke(args=["restore", str(looked_at)], input="")
    assert result.exit_code == 0, result.output
    assert "Återställa ändå?" not in result.output
    assert "nyare än säkerhetskopian" not in result.output
    assert "i åtkomstloggen sedan säkerhetskopian" in result.output
    assert "Återställd från" in result.output


def test_the_restores_audit_row_says_the_access_log_rows_it_went_over(
    app: Flask, runner, looked_at: Path
) -> None:
    result = runner.invoke(args=["restore", str(looked_at)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        [row] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "restore"))
    assert "i åtkomstloggen" in row.detail


def test_work_after_the_reads_is_still_asked_about_and_counted_apart_from_them(
    app: Flask, client: FlaskClient, auth, runner, looked_at: Path
) -> None:
    auth.login()
    client.post("/cases/new", data=referral_data(key_suffix="late", patient_name="Sen Patient"))
    auth.logout()
    _release(app)
    result = runner.invoke(args=["restore", str(looked_at)], input="n\n")
    assert result.exit_code != 0, result.output
    assert "Återställa ändå?" in result.output
    assert "1 ärende och 1 händelse som är nyare än säkerhetskopian" in result.output
    assert "i åtkomstloggen sedan säkerhetskopian" in result.output
