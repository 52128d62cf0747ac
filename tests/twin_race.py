"""Two submits at the same moment: made to happen on SQLite, or queued behind a lock.

On PostgreSQL both can pass the form-key check before either commits; the second then fails on
the unique form key. SQLite queues the writes, so the race is made: the second submit's look-ups
of its form key miss the twin's stored row, as they would had the twin committed just after.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, text
from werkzeug.test import TestResponse

from webapp.extensions import db

KEY = "twin" * 6


def _missed(value: Any) -> Any:
    return value + "-not-yet" if value == KEY else value


@contextmanager
def twin_committed_after_the_check(app: Flask, lookups: int = 1) -> Iterator[list[str]]:
    """The next look-ups of KEY's stored submit find nothing: the twin has not committed yet."""
    with app.app_context():
        engine = db.engine
    blinded: list[str] = []

    def miss(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> tuple[str, Any]:
        if (
            len(blinded) < lookups
            and statement.lstrip().upper().startswith("SELECT")
            and "FROM submission" in statement
            and KEY in (parameters.values() if isinstance(parameters, dict) else parameters)
        ):
            blinded.append(statement)
            # SQLite's driver takes a tuple of values, PostgreSQL's a dict by name.
            if isinstance(parameters, dict):
                parameters = {k: _missed(v) for k, v in parameters.items()}
            else:
                parameters = tuple(_missed(v) for v in parameters)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", miss, retval=True)
    try:
        yield blinded
    finally:
        event.remove(engine, "before_cursor_execute", miss)


def posted_while_the_case_was_locked(
    app: Flask, case_id: int, posts: list[tuple[FlaskClient, str, dict[str, str]]]
) -> list[TestResponse]:
    """POST each (client, url, data) from its own thread, all queued behind a lock of the case.

    On PostgreSQL the case row is locked until every submit waits for it, so each one's first
    statement starts before the others commit, as two taps at the same moment do. SQLite
    queues the writes on its own; the submits are simply sent together.
    """
    responses: list[TestResponse | None] = [None] * len(posts)

    def post(i: int, client: FlaskClient, url: str, data: dict[str, str]) -> None:
        responses[i] = client.post(url, data=data)

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [r for r in responses if r is not None]
    with engine.connect() as holder, holder.begin():
        holder.execute(text('SELECT id FROM "case" WHERE id = :id FOR UPDATE'), {"id": case_id})
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while _waiting_for_locks(engine) < len(posts):
            assert time.monotonic() < deadline, "the submits never queued behind the lock"
            time.sleep(0.02)
    for t in threads:
        t.join()
    return [r for r in responses if r is not None]


def _waiting_for_locks(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )
