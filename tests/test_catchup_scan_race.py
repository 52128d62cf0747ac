"""Two secretaries scan the same sheet at the same moment (real concurrent requests): one opens
it first, the other is told "Redan öppnad" by whom, and both scans are logged."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from werkzeug.test import TestResponse

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import AuditEvent, ScanEvent

from .catchup_world_support import world as world  # the fixture
from .twin_race import _waiting_for_locks

# How long a scan's write waits for the other scan's check.
MEET_SECONDS = 2.0


def _is_first_scan_check(statement: str) -> bool:
    # The look-up of the sheet's earlier scan, by its exact payload (not the other versions').
    return "FROM scan_event" in statement and "scan_event.payload =" in statement


@contextmanager
def checks_before_writes(app: Flask) -> Iterator[list[int]]:
    """No scan's row is written until both scans have looked up an earlier scan: two scans at
    the same moment, each one's check run before the other's write.

    A scan that takes a lock before its check makes the other wait before its check: then the
    first writes once the other waits for the lock (PostgreSQL) or after MEET_SECONDS.
    """
    with app.app_context():
        engine = db.engine
    checked: list[int] = []
    cond = threading.Condition()

    def count_check(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _is_first_scan_check(statement):
            with cond:
                checked.append(threading.get_ident())

    def hold_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("INSERT INTO SCAN_EVENT"):
            return
        deadline = time.monotonic() + MEET_SECONDS
        while time.monotonic() < deadline:
            with cond:
                if len(checked) >= 2:
                    return
            if engine.dialect.name == "postgresql" and _waiting_for_locks(engine) >= 1:
                return
            time.sleep(0.02)

    event.listen(engine, "after_cursor_execute", count_check)
    event.listen(engine, "before_cursor_execute", hold_write)
    try:
        yield checked
    finally:
        event.remove(engine, "before_cursor_execute", hold_write)
        event.remove(engine, "after_cursor_execute", count_check)


def _scanned_together(clients: list[FlaskClient], payload: str) -> list[TestResponse]:
    responses: list[TestResponse | None] = [None] * len(clients)

    def scan(i: int, tablet: FlaskClient) -> None:
        responses[i] = tablet.get("/scan", query_string={"code": payload})

    threads = [threading.Thread(target=scan, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in responses if r is not None]


def test_two_scans_of_one_sheet_at_the_same_moment_tell_the_second_who_opened_it(
    app: Flask, client: FlaskClient, world, tablet_factory, user_factory
) -> None:
    user_factory(role="secretary", username="sek-bo", display_name="Bo Berg")
    other = tablet_factory("sek-bo", role="secretary")
    payload = make_case_payload(world["codes"][0], "UTL", 1)
    with checks_before_writes(app):
        responses = _scanned_together([client, other], payload)
    assert [r.status_code for r in responses] == [302, 302]
    pages = [
        tablet.get(r.headers["Location"]).get_data(as_text=True)
        for tablet, r in zip((client, other), responses, strict=True)
    ]
    told = [i for i, page in enumerate(pages) if "Redan öppnad" in page]
    assert len(told) == 1, "exactly one of the two scans is told the sheet was opened already"
    with app.app_context():
        scans = db.session.scalars(select(ScanEvent).order_by(ScanEvent.id)).all()
        scanned_by = [(s.user.username, s.user.display_name) for s in scans]
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "scan", AuditEvent.detail == payload)
        )
    # Both scans are logged, the sheet's and the read's rows alike.
    assert len(scanned_by) == 2
    assert audited == 2
    # The one told is the second scan, and it is told who opened the sheet first: the other.
    (first, first_name), (second, _) = scanned_by
    assert second == ["test-secretary", "sek-bo"][told[0]] != first
    assert f"av {first_name}" in pages[told[0]]
