"""Two secretaries save one RIS accession on two cases at the same moment (real concurrent
requests): one is saved, the other is asked about the duplicate beside the field, its number
kept, nothing of it stored. Each save locks only its own case, so the duplicate check inside
the write must wait for the other's (PostgreSQL; SQLite runs the writes one at a time)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import AuditEvent, CatchupRecord

from .catchup_world_support import world as world  # the fixture
from .twin_race import _waiting_for_locks

ACCESSION = "EXS10000001"
# The statements that store an accession: its case's catch-up record made or changed.
WRITES = ("INSERT INTO CATCHUP_RECORD", "UPDATE CATCHUP_RECORD")
# How long a write waits for the other request's duplicate check.
MEET_SECONDS = 2.0


def _is_duplicate_check(statement: str) -> bool:
    # ris_numbers.accession_in_use: the stored accessions compared without their separators.
    return "replace(" in statement.lower() and "catchup_record" in statement


@contextmanager
def checks_before_writes(app: Flask) -> Iterator[list[int]]:
    """No accession is written until both requests have checked for duplicates: each one's check
    runs before the other's write. A request that locks before its check makes the other wait:
    the first then writes once the other waits for the lock (PostgreSQL), or after MEET_SECONDS.
    """
    with app.app_context():
        engine = db.engine
    checked: list[int] = []
    cond = threading.Condition()

    def count_check(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _is_duplicate_check(statement):
            with cond:
                checked.append(threading.get_ident())

    def hold_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(WRITES):
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


def _posted_together(posts: list[tuple[FlaskClient, str, dict[str, Any]]]) -> list[TestResponse]:
    responses: list[TestResponse | None] = [None] * len(posts)

    def post(i: int, client: FlaskClient, url: str, data: dict[str, Any]) -> None:
        responses[i] = client.post(url, data=data)

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in responses if r is not None]


def test_one_accession_saved_on_two_cases_at_once_asks_the_second(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    other = tablet_factory("sek2", role="secretary")
    first, second = world["ids"]
    # The second typed in groups, as read off the screen: one exam all the same.
    typed = (ACCESSION, "exs 1000 0001")
    posts = [
        (tablet, f"/catchup/cases/{case_id}/ris", {"ris_accession": accession})
        for tablet, case_id, accession in zip((client, other), (first, second), typed, strict=True)
    ]
    with checks_before_writes(app) as checked:
        responses = _posted_together(posts)
    assert len(checked) >= 2
    codes = [r.status_code for r in responses]
    assert sorted(codes) == [302, 400], codes
    refused = codes.index(400)
    page = responses[refused].get_data(as_text=True)
    assert "används redan av ärende" in page
    assert f'value="{typed[refused]}"' in page
    with app.app_context():
        stored = db.session.execute(
            select(CatchupRecord.case_id, CatchupRecord.ris_accession).where(
                CatchupRecord.ris_accession != ""
            )
        ).all()
        saved = db.session.scalars(
            select(AuditEvent.case_id).where(AuditEvent.action == "ris_ids")
        ).all()
    kept = world["ids"][1 - refused]
    assert [tuple(row) for row in stored] == [(kept, typed[1 - refused].upper())]
    assert saved == [kept]
