"""A user's own PIN change at the same moment as another change of it (real concurrent
requests, both databases).

The current PIN is checked against the secret the user has when the change is written: of two
changes at once one is stored, and an admin's reset made meanwhile is not overwritten.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, User

from .factories import DEFAULT_PIN
from .row_held import sent_while_row_held

FIRST_PIN = "593817"
SECOND_PIN = "728164"
RESET_PIN = "461938"


def _change(client: FlaskClient, new: str):
    return client.post(
        "/me/secret",
        data={"current": DEFAULT_PIN, "new": new, "confirm": new, "kind": "pin"},
    )


def _logs_in(app: Flask, secret: str) -> bool:
    response = app.test_client().post("/login", data={"username": "anna", "secret": secret})
    return response.status_code == 302


def _changes(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "secret_change")
            )
        )


def test_two_changes_of_ones_pin_at_once_store_one_of_them(
    app: Flask, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    phone, tablet = tablet_factory("anna"), tablet_factory("anna")
    sent_while_row_held(
        app,
        "user",
        anna.id,
        [lambda: _change(phone, FIRST_PIN), lambda: _change(tablet, SECOND_PIN)],
    )
    # Either may come first on PostgreSQL; the other was checked against a PIN gone since.
    assert _changes(app) == 1
    assert [_logs_in(app, FIRST_PIN), _logs_in(app, SECOND_PIN)].count(True) == 1


def test_an_admins_new_pin_set_while_the_user_changes_it_stays(
    app: Flask, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    phone = tablet_factory("anna")
    admin = tablet_factory("chef", role="admin")
    reset = {
        "display_name": "Anna Ek",
        "role": "radiographer",
        "is_active": "y",
        "kind": "pin",
        "secret": RESET_PIN,
    }
    sent_while_row_held(
        app,
        "user",
        anna.id,
        [
            lambda: _change(phone, FIRST_PIN),
            lambda: admin.post(f"/admin/users/{anna.id}", data=reset),
        ],
    )
    with app.app_context():
        assert db.session.get(User, anna.id).secret_temporary
    assert _logs_in(app, RESET_PIN)
    assert not _logs_in(app, FIRST_PIN)
