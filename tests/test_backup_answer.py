"""The answer to "Säkerhetskopiera nu" names the backup taken from what the laptop stored.

The page after the POST is an address of its own: reloaded, reached again by a second tap of
the same form, or opened from a shared link, it names the same file. The file's name is in no
address and in no stored address: it is read from the form's stored result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups
from webapp.extensions import db
from webapp.models import Submission

pytestmark = pytest.mark.sqlite_only

KEY = "b" * 24


@pytest.fixture
def admin(app: Flask, client: FlaskClient, tmp_path: Path, auth) -> FlaskClient:  # type: ignore[no-untyped-def]
    app.config["BACKUP_DIR"] = tmp_path / "usb"
    (tmp_path / "usb").mkdir()
    auth.login("admin")
    return client


def _taken(app: Flask) -> list[str]:
    return [p.name for p in list_backups(Path(app.config["BACKUP_DIR"]))]


def _said(name: str) -> str:
    # The answer's own words: the screen's backup status names the latest copy on every load.
    return f"Säkerhetskopia sparad: {name}"


def test_the_answer_names_the_backup_again_when_reloaded(app: Flask, admin: FlaskClient) -> None:
    answer = admin.post("/admin/backup", data={"form_key": KEY}).headers["Location"]
    [name] = _taken(app)
    assert _said(name) in admin.get(answer).get_data(as_text=True)
    assert _said(name) in admin.get(answer).get_data(as_text=True)


def test_the_answers_address_holds_no_file_name(app: Flask, admin: FlaskClient) -> None:
    answer = admin.post("/admin/backup", data={"form_key": KEY}).headers["Location"]
    [name] = _taken(app)
    assert "#" not in answer and name not in answer
    with app.app_context():
        stored = db.session.scalar(select(Submission.result_url).where(Submission.key == KEY))
    assert stored == answer


def test_a_second_tap_names_the_one_backup_taken(app: Flask, admin: FlaskClient) -> None:
    first = admin.post("/admin/backup", data={"form_key": KEY}).headers["Location"]
    second = admin.post("/admin/backup", data={"form_key": KEY}, follow_redirects=True)
    [name] = _taken(app)
    assert second.request.full_path.rstrip("?") == first
    assert _said(name) in second.get_data(as_text=True)


def test_the_answer_shared_with_another_admin_names_the_backup(
    app: Flask, admin: FlaskClient, tablet_factory: Callable[..., FlaskClient]
) -> None:
    answer = admin.post("/admin/backup", data={"form_key": KEY}).headers["Location"]
    [name] = _taken(app)
    other = tablet_factory("annan-admin", role="admin")
    assert _said(name) in other.get(answer).get_data(as_text=True)


def test_an_unknown_form_key_names_no_backup(app: Flask, admin: FlaskClient) -> None:
    admin.post("/admin/backup", data={"form_key": KEY})
    [name] = _taken(app)
    page = admin.get("/admin/", query_string={"backup": "x" * 24}).get_data(as_text=True)
    assert _said(name) not in page
    assert "Säkerhetskopia sparad" not in page
