"""The batch page's list of earlier exports shows the latest only, and says so when there are
more: a list that silently ends lets staff believe an export beyond it was never made."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.reexport import RECENT_EXPORTS
from webapp.extensions import db
from webapp.models import ExportBatch

from .test_catchup_changes import _export
from .test_catchup_changes import batch as batch  # the fixture


def _exports(app: Flask, client: FlaskClient, batch: dict[str, Any], count: int) -> None:
    _export(client, batch, "csv")
    with app.app_context():
        first = db.session.scalar(select(ExportBatch))
        assert first is not None
        for _ in range(count - 1):
            db.session.add(
                ExportBatch(
                    incident_id=first.incident_id,
                    format="csv",
                    case_count=first.case_count,
                    created_by_id=first.created_by_id,
                )
            )
        db.session.commit()


def test_more_exports_than_listed_says_how_many_in_all(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    _exports(app, client, batch, RECENT_EXPORTS + 3)
    page = client.get(f"/catchup/incidents/{batch['incident_id']}").get_data(as_text=True)
    assert f"Visar de {RECENT_EXPORTS} senaste av {RECENT_EXPORTS + 3} exporter." in page


def test_all_exports_listed_says_nothing_of_more(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    _exports(app, client, batch, 2)
    page = client.get(f"/catchup/incidents/{batch['incident_id']}").get_data(as_text=True)
    assert "Tidigare exporter" in page
    assert "senaste av" not in page
