"""A 'changed only' export follows the previous export written, whatever the clock said.

An export made after the laptop's clock was set back carries an earlier time than the one
before it: the next 'changed only' export must start from it, or what changed since is left out.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.exporting import last_export_times
from webapp.catchup.reexport import recent_exports
from webapp.extensions import db
from webapp.models import ExportBatch

from .catchup_support import book
from .clock_support import clock_set_back
from .test_catchup_changes import _csv_codes, _export
from .test_catchup_changes import batch as batch  # the fixture


def test_a_change_after_an_export_made_with_the_clock_set_back_is_in_the_next_changes(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "csv")
    with clock_set_back(hours=0.5):
        _export(client, batch, "csv")
        book(client, batch["ids"][0])
        assert _csv_codes(client, batch) == [batch["codes"][0]]


def test_the_last_export_of_a_format_is_the_one_written_last(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "csv")
    with clock_set_back(hours=0.5):
        _export(client, batch, "csv")
    with app.app_context():
        first, last = _export_times(batch["incident_id"])
        assert last_export_times(batch["incident_id"])["csv"] == last < first
        # The list of exports, newest first, is read as what was done.
        assert [e.created_at for e in recent_exports(batch["incident_id"])] == [last, first]


def _export_times(incident_id: int) -> list[Any]:
    return list(
        db.session.scalars(
            select(ExportBatch.created_at)
            .where(ExportBatch.incident_id == incident_id)
            .order_by(ExportBatch.id)
        )
    )
