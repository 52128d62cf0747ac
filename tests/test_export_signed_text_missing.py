"""A report whose signed text is not in its history (the catch-up page says so: radiologist
signs it again) stops the export, as it must: no other text may go out under the signature.
The secretary is told which case and what to do, on the batch page, not shown a server error,
and no export is recorded (the next 'changed only' still has every change)."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from webapp.extensions import db
from webapp.models import ExportBatch, RecordVersion, Report

from .catchup_world_support import world as world  # the fixture
from .test_reporting_signed import _edit_unsigned

STOPPED = (
    "Exporten gjordes inte: den signerade texten i utlåtandet för ärende %s finns inte i "
    "utlåtandets historik."
)


def _signed_text_lost(app: Flask, client: FlaskClient, auth, user_factory, case_id: int) -> None:
    """An unsigned change after the signature, and the version that kept the signed text gone
    (a damaged or mismatched database)."""
    _edit_unsigned(app, client, auth, user_factory, case_id)
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.case_id == case_id))
        db.session.execute(
            delete(RecordVersion).where(
                RecordVersion.entity == "report", RecordVersion.entity_id == report_id
            )
        )
        db.session.commit()


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir", "pdf"])
def test_an_export_stopped_by_a_lost_signed_text_names_the_case_on_the_batch_page(
    app: Flask, client: FlaskClient, auth, user_factory, world, fmt: str
) -> None:
    incident_id, case_id, code = world["incident_id"], world["ids"][1], world["codes"][1]
    _signed_text_lost(app, client, auth, user_factory, case_id)
    response = client.get(f"/catchup/incidents/{incident_id}/export/{fmt}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/incidents/{incident_id}")
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert STOPPED % code in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExportBatch.id))) == 0


def test_an_export_downloaded_again_is_stopped_the_same_way(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    incident_id, case_id, code = world["incident_id"], world["ids"][1], world["codes"][1]
    assert client.get(f"/catchup/incidents/{incident_id}/export/csv").status_code == 200
    with app.app_context():
        export_id = db.session.scalar(select(ExportBatch.id))
    _signed_text_lost(app, client, auth, user_factory, case_id)
    response = client.get(f"/catchup/incidents/{incident_id}/exports/{export_id}")
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert STOPPED % code in page


def test_the_export_command_says_which_case_stopped_it_and_writes_nothing(
    app: Flask, client: FlaskClient, auth, user_factory, world, runner, tmp_path
) -> None:
    incident_id, case_id, code = world["incident_id"], world["ids"][1], world["codes"][1]
    _signed_text_lost(app, client, auth, user_factory, case_id)
    target = tmp_path / "batch.csv"
    result = runner.invoke(
        args=["export-batch", "--incident", str(incident_id), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert STOPPED % code in result.output
    assert not target.exists()
    with app.app_context():
        assert db.session.scalar(select(func.count(ExportBatch.id))) == 0
