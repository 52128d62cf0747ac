"""Two identical submits at the same moment, made to happen on SQLite.

On PostgreSQL both can pass the form-key check before either commits; the second then fails on
the unique form key. SQLite queues the writes, so the race is made: the second submit's look-ups
of its form key miss the twin's stored row, as they would had the twin committed just after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

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
