"""Requests sent at the same moment, queued behind a lock of one row (PostgreSQL).

On PostgreSQL write transactions run side by side: each request reads before any of the others
commits, as two taps at the same moment do, and only a lock of the row it then writes (or a row
it refers to) makes it wait. SQLite queues the write transactions on one lock; there the
requests are simply sent one after another, in the order given.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import text
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
