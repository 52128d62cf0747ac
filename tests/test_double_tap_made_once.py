"""What a form sent twice made, it made once: one final batch, one backup, one user, one PIN;
a form with other content is still refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.backup import list_backups
from webapp.extensions import db
from webapp.models import ExportBatch

from .test_double_tap_sweep import Tap, close, form_fields


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
