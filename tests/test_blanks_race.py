"""A binder code used and voided at the same moment (real concurrent requests, both databases).

A code belongs to one case or to none: two tablets joining one sheet to two cases, or the
admin voiding a code while a tablet uses it, leave it with exactly one of the two.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReservedCode

from .catchup_support import reserve_blank
from .factories import referral_data
from .row_held import sent_while_row_held
from .test_blanks_attach import blank as blank  # the fixture


def _reserved(app: Flask, code: str) -> ReservedCode:
    with app.app_context():
        reserved = db.session.scalar(select(ReservedCode).where(ReservedCode.code == code))
        db.session.expunge(reserved)
        return reserved


def _events(app: Flask, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
        )


def test_one_blank_joined_to_two_cases_at_once_joins_only_the_first(
    app: Flask, client: FlaskClient, auth, tablet_factory, blank: dict[str, str]
) -> None:
    auth.login("radiographer")
    second = client.post("/cases/new", data=referral_data(key_suffix="2", patient_name="Annan"))
    other_case = second.headers["Location"].rsplit("/", 1)[-1]
    other = tablet_factory("rsk-bo")
    code = blank["BLD"]
    url = f"/blanks/{code}/attach/confirm"
    sent_while_row_held(
        app,
        "reserved_code",
        _reserved(app, code).id,
        [
            lambda: client.post(url, data={"case_id": blank["id"]}),
            lambda: other.post(url, data={"case_id": other_case}),
        ],
    )
    assert _reserved(app, code).used_case_id == int(blank["id"])
    assert _events(app, "blank_attach") == 1


def test_a_blank_voided_while_it_is_joined_to_a_case_is_not_joined(
    app: Flask, client: FlaskClient, auth, tablet_factory, blank: dict[str, str]
) -> None:
    admin = tablet_factory("adm-asa", role="admin")
    auth.login("radiographer")
    code = blank["BLD"]
    sent_while_row_held(
        app,
        "reserved_code",
        _reserved(app, code).id,
        [
            lambda: admin.post(f"/blanks/{code}/void", data={"reason": "Arket spillt på"}),
            lambda: client.post(f"/blanks/{code}/attach/confirm", data={"case_id": blank["id"]}),
        ],
    )
    reserved = _reserved(app, code)
    assert reserved.voided_at is not None
    assert reserved.used_case_id is None
    assert _events(app, "blank_attach") == 0


def test_a_referral_blank_voided_while_its_referral_is_sent_opens_no_case(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    code = reserve_blank(app, client, auth, "BLR")
    admin = tablet_factory("adm-asa", role="admin")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    sent_while_row_held(
        app,
        "reserved_code",
        _reserved(app, code).id,
        [
            lambda: admin.post(f"/blanks/{code}/void", data={"reason": "Fel patient på arket"}),
            lambda: client.post(f"/blanks/{code}/open", data=referral_data(key_suffix="blank")),
        ],
    )
    assert _reserved(app, code).voided_at is not None
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id)).where(Case.code == code)) == 0
