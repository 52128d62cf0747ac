"""The scan station's "scanned before?" check reads an index, not the whole scan log: after a
long outage the log holds tens of thousands of scans, and each new sheet would read them all."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import event, inspect

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.startup import prepare

from .catchup_world_support import world as world  # the fixture, shared

INDEX = "ix_scan_event_payload"
# The other-version check asks for the case's scans: a case has a handful, found by its index.
CASE_INDEX = "ix_scan_event_case_id"
BEFORE = "f1a7c3e9b264"  # reserved code joined over signed, the revision before the index


def _scan_log_statements(app: Flask, client: FlaskClient, payload: str) -> list[tuple[str, Any]]:
    """The statements a scan sends that read the scan log, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "scan_event" in statement:
            seen.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/scan", query_string={"code": payload}).status_code == 302
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _indexes(app: Flask) -> set[str]:
    with app.app_context():
        found = {i["name"] for i in inspect(db.engine).get_indexes("scan_event")}
        db.engine.dispose()
    return {name for name in found if name}


@pytest.mark.sqlite_only
def test_the_scanned_before_check_searches_the_payload_index(
    app: Flask, client: FlaskClient, world
) -> None:
    payload = make_case_payload(world["codes"][0], "REM", 1)
    client.get("/scan", query_string={"code": payload})
    statements = _scan_log_statements(app, client, payload)
    assert statements, "the scan sent no query on the scan log"
    with app.app_context(), db.engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            details = " ".join(str(row[-1]) for row in plan)
            # SEARCH ... USING INDEX: found by the index; a SCAN would read every row.
            assert any(
                f"SEARCH scan_event USING INDEX {index}" in details for index in (INDEX, CASE_INDEX)
            ), details
            assert "TEMP B-TREE" not in details, details


def test_the_downgrade_drops_the_index_and_the_upgrade_makes_it_again(app: Flask) -> None:
    assert INDEX in _indexes(app)
    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=BEFORE)
        db.engine.dispose()
    assert INDEX not in _indexes(app)
    prepare(app)
    assert INDEX in _indexes(app)
