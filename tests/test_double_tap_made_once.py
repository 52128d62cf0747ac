"""What a form sent twice made, it made once: one final batch, one backup, one user, one PIN;
a form with other content is still refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from webapp.backup import list_backups
from webapp.cases.submissions import payload_hash
from webapp.extensions import db
from webapp.models import ExportBatch, Submission, User

from .test_double_tap_sweep import Tap, backup, close, create_user, form_fields, own_secret


def _made_by_each_tap(
    client: FlaskClient, tap: Tap, made: Callable[[], object]
) -> tuple[object, object]:
    """The page's form sent twice: what stands made after the first, and after the second."""
    shown = client.get(tap.page).get_data(as_text=True)
    data = form_fields(shown, tap.action, tap.marker) | tap.typed
    client.post(tap.action, data=data, follow_redirects=True)
    first = made()
    client.post(tap.action, data=data, follow_redirects=True)
    return first, made()


def test_a_close_sent_twice_writes_one_final_batch_and_one_backup(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    backups = app.config["BACKUP_DIR"]
    backups.mkdir(parents=True, exist_ok=True)
    exports = app.config["DATA_DIR"] / "exports"

    def made() -> object:
        with app.app_context():
            finals = db.session.scalar(
                select(func.count()).select_from(ExportBatch).where(ExportBatch.is_final.is_(True))
            )
        return finals, sorted(exports.iterdir()), list_backups(backups)

    first, second = _made_by_each_tap(client, close(app, client, auth), made)
    assert first == second


@pytest.mark.sqlite_only
def test_a_backup_asked_for_twice_is_one_copy_named_both_times(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    tap = backup(app, client, auth)
    data = form_fields(client.get(tap.page).get_data(as_text=True), tap.action)
    pages = [client.post(tap.action, data=data, follow_redirects=True) for _ in range(2)]
    (copy,) = list_backups(app.config["BACKUP_DIR"])
    for page in pages:
        assert f"Säkerhetskopia sparad: {copy.name}" in page.get_data(as_text=True)


def _users_named(app: Flask, username: str) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(User).where(User.username == username)
            )
            or 0
        )


def test_another_form_with_a_username_just_created_is_still_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    tap = create_user(app, client, auth)
    first = form_fields(client.get(tap.page).get_data(as_text=True), tap.action) | tap.typed
    other = form_fields(client.get(tap.page).get_data(as_text=True), tap.action) | tap.typed
    assert client.post(tap.action, data=first).status_code == 302
    answer = client.post(tap.action, data=other)
    assert answer.status_code == 400
    assert "Användarnamnet finns redan." in answer.get_data(as_text=True)
    assert _users_named(app, tap.typed["username"]) == 1


def test_a_user_form_sent_again_with_another_pin_is_refused_and_keeps_the_first(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    tap = create_user(app, client, auth)
    data = form_fields(client.get(tap.page).get_data(as_text=True), tap.action) | tap.typed
    assert client.post(tap.action, data=data).status_code == 302
    answer = client.post(tap.action, data=data | {"secret": "719264"})
    assert answer.status_code == 400
    assert "redan skickats med annat innehåll" in answer.get_data(as_text=True)
    auth.logout()
    login = {"username": tap.typed["username"], "secret": tap.typed["secret"]}
    assert client.post("/login", data=login).status_code == 302


def test_the_stored_digest_of_a_form_with_a_pin_is_not_the_pin_s(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    tap = create_user(app, client, auth)
    data = form_fields(client.get(tap.page).get_data(as_text=True), tap.action) | tap.typed
    client.post(tap.action, data=data)
    with app.app_context():
        stored = db.session.scalar(select(Submission.payload_hash))
    # The digest is the same whatever PIN was typed: it cannot be tried back to one.
    assert stored == payload_hash(MultiDict(data | {"secret": "719264"}), ("secret",))


def test_a_pin_change_sent_twice_holds_and_another_new_pin_under_its_form_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    tap = own_secret(app, client, auth)
    data = form_fields(client.get(tap.page).get_data(as_text=True), tap.action) | tap.typed
    assert client.post(tap.action, data=data).status_code == 302
    assert client.post(tap.action, data=data).status_code == 302
    other = data | {"new": "719264", "confirm": "719264"}
    answer = client.post(tap.action, data=other)
    assert answer.status_code == 400
    assert "stämmer inte" in answer.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(Submission.payload_hash))
    assert stored == payload_hash(MultiDict(other), ("current", "new", "confirm"))
    auth.logout()
    login = {"username": "test-radiographer", "secret": tap.typed["new"]}
    assert client.post("/login", data=login).status_code == 302
