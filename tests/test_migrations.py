"""A database of an earlier version is brought up to date on start, and its backups restore."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, select, text

from webapp.backup import make_backup
from webapp.backup_restore import known_revisions, restore
from webapp.extensions import db
from webapp.models import (
    Case,
    ReportDispatch,
    User,
)
from webapp.startup import prepare

from .factories import exam_data, local_minute, referral_data

INITIAL = "855e2a7b7d9d"
DISPATCH = "3c1f0a9d5e21"
TEMPORARY_SECRET = "7d4b2e8f1a90"
EXPORT_CASES = "b6e31f2c9a47"
PRINT_CONTENT = "e4a7c2d91b35"
LAST_FAILED_AT = "5f3d9b7c2e18"
URGENT_ADDENDUM = "a3c8e5f1d7b4"
SIGNATURE_PAPER_TIME = "c71e9a4f2b08"
PRINT_CONTENT_RECOUNTED = "c7d94e1a8f26"
LIST_STAMP = "d5a8f3c1e290"
DRAFT_DELIVERED = "f2b7c4e9a613"
DRAFT_CONTINUED = "a9e5d3b7c164"
WAIVER_CONFIRMED = "a9e4d2c7b815"
BLANK_PRINTED = "b3f1c8e4d927"
DRAFT_WRITER = "c4d2e8a1f637"
TRANSFER_PATIENT_NAME = "a7a000f3aaad"
FORWARDED_SIGNATURE = "b8d3f6a2c419"
EXPORT_DIGESTS = "d8e2f6a4c931"
IDENTITY_REVISION = "e9c3a7d2b614"
RESULT_NAME = "c8f1d4a7e253"
NAME_KEY = "f6b2d8a4c173"
CANCEL_NOTICE = "b5e8c2a7d419"
PROTOCOL = "a4e8c1f6d392"
DEVIATION_NUMBER = "b4e7d1a9c352"
LATERALITY = "b5d9e3a7c142"
REFERRAL_CARE = "c2f9a4d7e815"
READ_ON = "d3a7f1c9e524"
CONTRAST_BATCH = "d3a8f5c2e917"
SIGNATURE_READ_ON = "f4c9a2d6b713"
FAILED_LOGIN = "b7e2c9f4a031"
CLEAN_UP = "e6c4a1f9b273"
RELEASE_RIS_NOTE = "a7d3f1c9e582"
REMOVAL_LINK = "c3e8a5f2d716"
BLANK_LAST_PRINTED = "d6b3e8a1f524"
USER_LOCK_DROPPED = "e8f2b6c4a195"
KIDNEY_BOUNDS = "c3e9a5f7b281"
JOINED_OVER_SIGNED = "f1a7c3e9b264"
SCAN_PAYLOAD_INDEX = "a2d7e4c9f351"
SHORT_SCAN_CONFIRMED = "c8e4a2f6d193"
HEAD = SHORT_SCAN_CONFIRMED


def _to_initial_schema(app: Flask) -> None:
    """Put the database back as the first release left it (no report_dispatch table)."""
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=INITIAL)
        db.engine.dispose()


def version_and_tables(app: Flask) -> tuple[str, set[str]]:
    with app.app_context():
        version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        tables = set(inspect(db.engine).get_table_names())
        db.session.remove()
    return str(version), tables


@pytest.fixture
def signed_case(client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def test_every_revision_is_known_to_restore() -> None:
    known = {
        INITIAL,
        DISPATCH,
        TEMPORARY_SECRET,
        EXPORT_CASES,
        PRINT_CONTENT,
        LAST_FAILED_AT,
        URGENT_ADDENDUM,
        SIGNATURE_PAPER_TIME,
        PRINT_CONTENT_RECOUNTED,
        LIST_STAMP,
        DRAFT_DELIVERED,
        DRAFT_CONTINUED,
        WAIVER_CONFIRMED,
        BLANK_PRINTED,
        DRAFT_WRITER,
        TRANSFER_PATIENT_NAME,
        FORWARDED_SIGNATURE,
        EXPORT_DIGESTS,
        IDENTITY_REVISION,
        RESULT_NAME,
        NAME_KEY,
        CANCEL_NOTICE,
        PROTOCOL,
        DEVIATION_NUMBER,
        LATERALITY,
        REFERRAL_CARE,
        READ_ON,
        CONTRAST_BATCH,
        SIGNATURE_READ_ON,
        FAILED_LOGIN,
        CLEAN_UP,
        RELEASE_RIS_NOTE,
        REMOVAL_LINK,
        BLANK_LAST_PRINTED,
        USER_LOCK_DROPPED,
        KIDNEY_BOUNDS,
        JOINED_OVER_SIGNED,
        SCAN_PAYLOAD_INDEX,
        SHORT_SCAN_CONFIRMED,
    }
    assert known <= known_revisions()


def test_a_database_of_the_first_release_is_upgraded_on_start(
    app: Flask, client: FlaskClient, auth, signed_case: int
) -> None:
    _to_initial_schema(app)
    version, tables = version_and_tables(app)
    assert version == INITIAL and "report_dispatch" not in tables
    prepare(app)
    version, tables = version_and_tables(app)
    assert version == HEAD and "report_dispatch" in tables
    with app.app_context():
        assert db.session.get(Case, signed_case) is not None
        # Users of the old schema keep the PIN they had; no one is made to change it.
        assert db.session.scalars(select(User.secret_temporary)).all() == [False]
    # The upgraded database takes a dispatch.
    auth.login("radiologist")
    client.post(
        f"/reporting/{signed_case}",
        data={
            "form_key": "d" * 20,
            "action": "definitive",
            "read_on": "pacs",
            "sections-0-heading": "Fynd",
            "sections-0-text": "Ingen blödning.",
        },
    )
    response = client.post(
        f"/reporting/{signed_case}/dispatch",
        data={"fax_number": "0999-123 46", "faxed_at": local_minute()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReportDispatch.case_id)) == signed_case


@pytest.mark.sqlite_only
def test_a_backup_of_the_first_release_restores_and_is_upgraded_on_start(
    app: Flask, signed_case: int, tmp_path: Path
) -> None:
    _to_initial_schema(app)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    old_backup = make_backup(url, tmp_path, keep=3)
    prepare(app)  # the app moves on to the current schema
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    restore(old_backup, url)
    assert version_and_tables(app)[0] == INITIAL
    prepare(app)  # the next start after the restore
    version, tables = version_and_tables(app)
    assert version == HEAD and "report_dispatch" in tables
    with app.app_context():
        assert db.session.get(Case, signed_case) is not None
