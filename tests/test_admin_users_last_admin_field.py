"""The last-admin refusal is told beside the field that would have taken the rights away.

Two admins deactivating each other at the same moment: the one written second finds itself no
longer an active admin, and the other the last one. Here the edit's read of the site's admins
misses its own admin, as when the other admin's deactivation of it was committed first.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from webapp.extensions import db
from webapp.models import User

ADMINS_READ = re.compile(r'SELECT "?user"?\.id, "?user"?\.role, "?user"?\.is_active\s+FROM')
LAST_ADMIN = "Enheten måste ha minst en aktiv administratör."


@contextmanager
def _editor_deactivated_meanwhile(app: Flask) -> Iterator[None]:
    with app.app_context():
        engine = db.engine

    def miss(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> Any:
        if ADMINS_READ.search(statement):
            # No row is an active admin but the one edited, which the query finds by its id.
            if isinstance(parameters, dict):
                parameters = {k: "no-admin" if v == "admin" else v for k, v in parameters.items()}
            else:
                parameters = tuple("no-admin" if v == "admin" else v for v in parameters)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", miss, retval=True)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", miss)


def _field_error(body: str, name: str) -> str:
    found = re.search(rf'<p class="error" id="{name}-error"[^>]*>(.*?)</p>', body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def _edit(app: Flask, chef: FlaskClient, bo_id: int, **overrides: str) -> str:
    data = {"display_name": "Bo Berg", "role": "admin", "is_active": "y", "kind": "pin"}
    with _editor_deactivated_meanwhile(app):
        response = chef.post(f"/admin/users/{bo_id}", data={**data, **overrides})
    assert response.status_code == 400
    return response.get_data(as_text=True)


def _bo(app: Flask, bo_id: int) -> User:
    with app.app_context():
        bo = db.session.scalar(select(User).where(User.id == bo_id))
        assert bo is not None
        return bo


def test_unticking_active_is_refused_beside_the_active_box(
    app: Flask, user_factory, tablet_factory
) -> None:
    chef = tablet_factory("chef", role="admin")
    bo_id = user_factory(username="bo", role="admin").id
    body = _edit(app, chef, bo_id, is_active="")
    assert LAST_ADMIN in _field_error(body, "is_active")
    # The role was left as it was: nothing is said beside it.
    assert _field_error(body, "role") == ""
    assert 'value="Bo Berg"' in body
    bo = _bo(app, bo_id)
    assert bo.is_active and bo.role == "admin"


def test_a_changed_role_is_refused_beside_the_role(
    app: Flask, user_factory, tablet_factory
) -> None:
    chef = tablet_factory("chef", role="admin")
    bo_id = user_factory(username="bo", role="admin").id
    body = _edit(app, chef, bo_id, role="secretary")
    assert LAST_ADMIN in _field_error(body, "role")
    assert _field_error(body, "is_active") == ""
    assert _bo(app, bo_id).role == "admin"


def test_a_changed_role_and_unticked_box_are_refused_beside_the_role(
    app: Flask, user_factory, tablet_factory
) -> None:
    chef = tablet_factory("chef", role="admin")
    bo_id = user_factory(username="bo", role="admin").id
    body = _edit(app, chef, bo_id, role="secretary", is_active="")
    assert LAST_ADMIN in _field_error(body, "role")
    assert _field_error(body, "is_active") == ""
    bo = _bo(app, bo_id)
    assert bo.is_active and bo.role == "admin"
