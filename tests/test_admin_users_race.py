"""Two admins creating the same username at the same moment: the second is told, no 500."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from webapp.extensions import db
from webapp.models import User

NAME = "bo"
USER_TABLE = re.compile(r'FROM "?user"?(\s|$)')


@contextmanager
def _first_admin_commits_after_the_check(app: Flask) -> Iterator[None]:
    """The username check misses the other admin's user, as on PostgreSQL when both check first."""
    with app.app_context():
        engine = db.engine

    def miss(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> Any:
        # SQLite names the table bare, PostgreSQL quotes it (a reserved word).
        if statement.lstrip().upper().startswith("SELECT") and USER_TABLE.search(statement):
            if isinstance(parameters, dict):
                parameters = {k: v + "-x" if v == NAME else v for k, v in parameters.items()}
            else:
                parameters = tuple(v + "-x" if v == NAME else v for v in parameters)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", miss, retval=True)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", miss)


def test_the_same_username_created_twice_at_once_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = {
        "display_name": "Bo Berg",
        "username": NAME,
        "role": "secretary",
        "kind": "pin",
        "secret": "482915",
    }
    assert client.post("/admin/users", data=data).status_code == 302
    with _first_admin_commits_after_the_check(app):
        response = client.post("/admin/users", data={**data, "display_name": "Bo Bergström"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Användarnamnet finns redan." in page
    assert 'value="Bo Bergström"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == NAME)) == 1
