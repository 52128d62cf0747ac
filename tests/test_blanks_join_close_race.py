"""A blank joined to a case at the moment its incident is closed (real concurrent requests).

Both finish: the join is waited for and the close then reads the blank as joined, or the join
finds the incident ended. Neither is aborted by a deadlock (PostgreSQL): the close takes the
incident, its cases, then the loose blanks; the join takes the case, then the blank, and its
audit row refers to the incident, which the close's lock of it must not keep waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import ReservedCode

from .catchup_support import reconcile_world, with_page_lists
from .catchup_world_support import world as world  # the fixture
from .dbsetup import using_postgres
from .row_held import sent_while_stopped_before
from .test_incidents_close_blanks import _print_blank

# The join has locked its case and is about to lock the blank.
BLANK_LOCK = re.compile(r'FROM "?reserved_code"?(\s|$).*FOR UPDATE', re.DOTALL)
Request = Callable[[], TestResponse]


def _at_once(app: Flask, join: Request, close: Request) -> tuple[TestResponse, TestResponse]:
    """The join held between its case's lock and its blank's while the close runs
    (PostgreSQL); on SQLite the writes queue, so one after the other."""
    if not using_postgres():
        return join(), close()
    return sent_while_stopped_before(app, BLANK_LOCK, join, close)


def test_a_blank_joined_while_its_incident_closes_leaves_both_finished(
    app: Flask, client: FlaskClient, auth, tablet_factory, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    secretary = tablet_factory("sekr-race", role="secretary")
    admin = tablet_factory("adm-race", role="admin")
    sent = with_page_lists(
        admin,
        world["incident_id"],
        {"confirm_unnotified": "y", "confirm_blanks": "y", "blank_codes": code},
    )
    joined, closed = _at_once(
        app,
        lambda: secretary.post(
            f"/blanks/{code}/attach/confirm", data={"case_id": str(world["ids"][0])}
        ),
        lambda: admin.post(
            f"/catchup/incidents/{world['incident_id']}/close",
            data=sent,
        ),
    )
    assert joined.status_code == 302, joined.get_data(as_text=True)[:2000]
    assert closed.status_code in (200, 302), closed.get_data(as_text=True)[:2000]
    with app.app_context():
        used = db.session.scalar(select(ReservedCode.used_case_id).where(ReservedCode.code == code))
    assert used == world["ids"][0]


def test_a_blank_detached_while_its_incident_closes_leaves_both_finished(
    app: Flask, client: FlaskClient, auth, tablet_factory, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    secretary = tablet_factory("sekr-race", role="secretary")
    admin = tablet_factory("adm-race", role="admin")
    case_id = world["ids"][0]
    joined = secretary.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.status_code == 302
    sent = with_page_lists(
        admin,
        world["incident_id"],
        {"confirm_unnotified": "y", "confirm_blanks": "y", "blank_codes": code},
    )
    detached, closed = _at_once(
        app,
        lambda: secretary.post(
            f"/cases/{case_id}/blanks/{code}/detach", data={"reason": "Fel patient"}
        ),
        lambda: admin.post(
            f"/catchup/incidents/{world['incident_id']}/close",
            data=sent,
        ),
    )
    assert detached.status_code == 302, detached.get_data(as_text=True)[:2000]
    assert closed.status_code in (200, 302), closed.get_data(as_text=True)[:2000]
    with app.app_context():
        used = db.session.scalar(select(ReservedCode.used_case_id).where(ReservedCode.code == code))
    assert used is None
