"""Requests sent at the same moment, queued behind a lock of one row (PostgreSQL).

On PostgreSQL write transactions run side by side: each request reads before any of the others
commits, as two taps at the same moment do, and only a lock of the row it then writes (or a row
it refers to) makes it wait. SQLite queues the write transactions on one lock; there the
requests are simply sent one after another, in the order given.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event, text
from werkzeug.test import TestResponse

from webapp.extensions import db

from .twin_race import _waiting_for_locks

Request = Callable[[], TestResponse]


def sent_while_row_held(
    app: Flask, table: str, row_id: int, requests: list[Request]
) -> list[TestResponse]:
    """Run each request in its own thread while `table` row `row_id` is locked FOR UPDATE.

    Each request starts once the ones before it wait on a lock, so they come to the row in the
    order given (PostgreSQL grants a row's lock first come, first served); the row is released
    when all of them wait. Returns the responses in the order given.
    """
    with app.app_context():
        engine = db.engine
    responses: list[TestResponse | None] = [None] * len(requests)
    if engine.dialect.name != "postgresql":
        return [request() for request in requests]

    def run(i: int, request: Request) -> None:
        responses[i] = request()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    with engine.connect() as holder, holder.begin():
        holder.execute(text(f'SELECT id FROM "{table}" WHERE id = :id FOR UPDATE'), {"id": row_id})
        for n, thread in enumerate(threads, start=1):
            thread.start()
            deadline = time.monotonic() + 30
            while _waiting_for_locks(engine) < n:
                assert thread.is_alive(), f"request {n} ended without waiting for the row"
                assert time.monotonic() < deadline, f"request {n} never queued behind the lock"
                time.sleep(0.02)
    for thread in threads:
        thread.join()
    return [r for r in responses if r is not None]


def sent_while_one_waits_to_lock(
    app: Flask, table: str, waiting: Request, others: list[Request]
) -> tuple[TestResponse, list[TestResponse]]:
    """Send `waiting`, stop it just before its first row lock of `table`, send `others` one
    after another, then let it go on (PostgreSQL). Returns its response and theirs.

    What `waiting` read before that lock, it read before the others were sent; what it reads
    after, it reads as they left it. SQLite queues the write transactions: there the others
    are sent first, then `waiting`.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        sent = [request() for request in others]
        return waiting(), sent
    # PostgreSQL names the table quoted or bare; FOR NO KEY UPDATE is a row lock too.
    locks_table = re.compile(rf'FROM "?{table}"?(\s|$).*FOR (NO KEY )?UPDATE', re.DOTALL)
    reached, go = threading.Event(), threading.Event()
    stopped: list[int] = []
    answer: list[TestResponse] = []

    def stop(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        mine = threading.get_ident() in stopped and not reached.is_set()
        if mine and locks_table.search(statement):
            reached.set()
            go.wait(30)

    def run() -> None:
        stopped.append(threading.get_ident())
        answer.append(waiting())

    thread = threading.Thread(target=run)
    event.listen(engine, "before_cursor_execute", stop)
    try:
        thread.start()
        assert reached.wait(30), "the request never came to its lock"
        sent = [request() for request in others]
    finally:
        go.set()
        thread.join()
        event.remove(engine, "before_cursor_execute", stop)
    return answer[0], sent


def sent_while_stopped_before(
    app: Flask, statement: re.Pattern[str], stopped: Request, sent: Request
) -> tuple[TestResponse, TestResponse]:
    """Send `stopped` and hold it just before `statement`; send `sent` from its own thread,
    and let `stopped` go on once `sent` has ended or waits for a lock (PostgreSQL only).
    Returns the responses of `stopped` and of `sent`.

    What `stopped` did before the statement (the locks it took, the rows it wrote) is not yet
    committed while `sent` runs: `sent` either does not wait for it, or waits and then reads
    what it committed.
    """
    with app.app_context():
        engine = db.engine
    assert engine.dialect.name == "postgresql", "SQLite runs the writes one at a time"
    reached, go = threading.Event(), threading.Event()
    mine: list[int] = []
    answers: dict[str, TestResponse] = {}

    def stop(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if threading.get_ident() in mine and not reached.is_set() and statement.search(sql):
            reached.set()
            go.wait(30)

    def run_stopped() -> None:
        mine.append(threading.get_ident())
        answers["stopped"] = stopped()

    def run_sent() -> None:
        answers["sent"] = sent()

    event.listen(engine, "before_cursor_execute", stop)
    first, second = threading.Thread(target=run_stopped), threading.Thread(target=run_sent)
    try:
        first.start()
        assert reached.wait(30), "the request never came to the statement"
        second.start()
        deadline = time.monotonic() + 30
        while second.is_alive() and _waiting_for_locks(engine) < 1:
            assert time.monotonic() < deadline, "the second request neither ended nor waited"
            time.sleep(0.02)
    finally:
        go.set()
        for thread in (first, second):
            if thread.ident is not None:
                thread.join()
        event.remove(engine, "before_cursor_execute", stop)
    return answers["stopped"], answers["sent"]
