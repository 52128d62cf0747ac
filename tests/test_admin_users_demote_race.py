"""Admins changing each other's roles at the same moment (real concurrent requests).

Whether an edit may take a user's admin rights away is decided on what the user is when the
edit is written, never on a read made before another admin's change: the site always keeps an
active administrator, and two edits that lock admins in turn both get through.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

from .row_held import sent_while_one_waits_to_lock, sent_while_row_held


def _edit(client: FlaskClient, user_id: int, name: str, **overrides: str):
    # No base_state: the page's own check of what it showed is another guard, not this one.
    data = {"display_name": name, "role": "admin", "is_active": "y", "kind": "pin"}
    return client.post(f"/admin/users/{user_id}", data={**data, **overrides})


def _active_admins(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(User.username)
                .where(User.role == "admin", User.is_active.is_(True))
                .order_by(User.username)
            )
        )


def test_a_user_promoted_while_being_deactivated_is_not_then_left_the_last_admin_gone(
    app: Flask, user_factory, tablet_factory
) -> None:
    chef = tablet_factory("chef", role="admin")
    chef_again = tablet_factory("chef", role="admin")
    chef_id = user_factory(username="chef").id
    anna = tablet_factory("anna", role="secretary")
    anna_id = user_factory(username="anna").id
    # Chef deactivates Anna, a secretary as the edit starts; meanwhile chef makes her an admin
    # and she, an admin now, makes chef a secretary. The deactivation is written last: Anna
    # is then the only admin.
    deactivation, _ = sent_while_one_waits_to_lock(
        app,
        "user",
        lambda: _edit(chef, anna_id, "Anna", role="secretary", is_active=""),
        [
            lambda: _edit(chef_again, anna_id, "Anna"),
            lambda: _edit(anna, chef_id, "Chef", role="secretary"),
        ],
    )
    assert deactivation.status_code != 302
    assert _active_admins(app) == ["anna"]


def test_an_admin_renamed_while_its_editor_is_demoted_keeps_both_edits(
    app: Flask, user_factory, tablet_factory
) -> None:
    chef = tablet_factory("chef", role="admin")
    chef_id = user_factory(username="chef").id
    other = tablet_factory("chef2", role="admin")
    bo_id = user_factory(username="chef3", role="admin").id
    # Chef's rename of Bo waits for Bo's row; chef2's demotion of chef holds chef's row and
    # waits for Bo's. The rename's audit row then refers to chef while chef's row is held.
    renamed, demoted = sent_while_row_held(
        app,
        "user",
        bo_id,
        [
            lambda: _edit(chef, bo_id, "Bo Berg"),
            lambda: _edit(other, chef_id, "Chef", role="secretary"),
        ],
    )
    assert [renamed.status_code, demoted.status_code] == [302, 302]
    with app.app_context():
        assert db.session.get(User, bo_id).display_name == "Bo Berg"
        assert db.session.get(User, chef_id).role == "secretary"
