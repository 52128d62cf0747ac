"""Two catch-up actions other than ticks on one case at the same moment (real requests)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, CatchupRecord, CatchupTick

from .catchup_support import tick_all
from .catchup_world_support import world as world  # the fixture
from .twin_race import posted_while_the_case_was_locked


def _ris(client: FlaskClient, case_id: int) -> tuple[FlaskClient, str, dict[str, str]]:
    data = {"ris_accession": "EXS10000001", "ris_exam_number": "42"}
    return client, f"/catchup/cases/{case_id}/ris", data


def test_a_waiver_and_ris_numbers_at_the_same_moment_are_both_kept(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    waive = (client, f"/catchup/cases/{case_id}/waive", {"reason": "Inlagd direkt i RIS"})
    responses = posted_while_the_case_was_locked(
        app, case_id, [waive, _ris(tablet_factory("test-secretary", role="secretary"), case_id)]
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        record = db.session.get(Case, case_id).catchup
        assert (record.waive_reason, record.ris_accession) == ("Inlagd direkt i RIS", "EXS10000001")


def test_ris_numbers_and_the_first_tick_at_the_same_moment_are_both_kept(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    # Both open the case's catch-up record. Every step waits for the booking, which comes with
    # the accession: the tick is refused if it comes first, taken if it comes after. What the
    # race must not do is fail either request or lose the accession to the record made beside it.
    tick = (client, f"/catchup/cases/{case_id}/steps", {"step": "exam_completed", "is_done": "1"})
    responses = posted_while_the_case_was_locked(
        app, case_id, [tick, _ris(tablet_factory("test-secretary", role="secretary"), case_id)]
    )
    assert [r.status_code for r in responses] in ([302, 302], [409, 302])
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.catchup.ris_accession == "EXS10000001"
        assert db.session.query(CatchupRecord).filter_by(case_id=case_id).count() == 1
        ticks = db.session.scalars(select(CatchupTick).filter_by(case_id=case_id)).all()
        assert sorted(t.step for t in ticks) in (
            ["booked"],
            ["booked", "exam_completed"],
        )


def test_lifting_a_waiver_while_the_case_is_checked_leaves_it_reconciled_only_if_checked(
    app: Flask, client: FlaskClient, user_factory, world, tablet_factory
) -> None:
    # A waived case is not checked: a check that comes first is refused and is made again; one
    # that comes after the lift closes the case.
    case_id = world["ids"][0]
    tick_all(client, case_id)
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Fel ärende"})
    user_factory(username="sek2", role="secretary")
    lift = (client, f"/catchup/cases/{case_id}/waive/lift", {})
    verify = (tablet_factory("sek2", role="secretary"), f"/catchup/cases/{case_id}/verify", {})
    responses = posted_while_the_case_was_locked(app, case_id, [lift, verify])
    # A refused check is answered beside the check on the page (409).
    assert responses[0].status_code == 302 and responses[1].status_code in (302, 409)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.catchup.waived_at is None
        checked = case.catchup.verified_at is not None
        assert checked == (responses[1].status_code == 302)
        # Keyed and checked: not left among the outstanding; keyed only: still among them.
        expected = ("closed", True) if checked else ("keyed_in_ris", False)
        assert (case.status, case.catchup.reconciled_at is not None) == expected


def test_an_undo_and_the_check_at_the_same_moment_leave_the_case_unchecked(
    app: Flask, client: FlaskClient, user_factory, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    user_factory(username="sek2", role="secretary")
    undo = {"step": "booked", "is_done": "0", "confirm_uncheck": "1"}
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [
            (client, f"/catchup/cases/{case_id}/steps", undo),
            (tablet_factory("sek2", role="secretary"), f"/catchup/cases/{case_id}/verify", {}),
        ],
    )
    # A check that comes after the undo is refused, beside the check on the page (409).
    assert responses[0].status_code == 302 and responses[1].status_code in (302, 409)
    with app.app_context():
        case = db.session.get(Case, case_id)
        # A step is undone: the case is outstanding again, and no check stands for it.
        assert (case.status, case.catchup.keyed_at, case.catchup.verified_at) == (
            "report_definitive",
            None,
            None,
        )


def test_a_waiver_confirmed_while_it_is_lifted_is_either_standing_or_gone_whole(
    app: Flask, client: FlaskClient, user_factory, world, tablet_factory
) -> None:
    # A confirmation that comes first is lifted with its waiver; one that comes after the lift
    # finds no waiver and is refused. Never a confirmation left without its waiver, or a lifted
    # case left reconciled.
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Fel ärende"})
    user_factory(username="sek2", role="secretary")
    lift = (client, f"/catchup/cases/{case_id}/waive/lift", {})
    confirm = (
        tablet_factory("sek2", role="secretary"),
        f"/catchup/cases/{case_id}/waive/confirm",
        {},
    )
    responses = posted_while_the_case_was_locked(app, case_id, [lift, confirm])
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        case = db.session.get(Case, case_id)
        record = case.catchup
        assert record.waived_at is None and record.waiver_confirmed_at is None
        assert (case.status, record.reconciled_at) == ("report_preliminary", None)


def test_two_confirmations_at_the_same_moment_confirm_the_waiver_once(
    app: Flask, client: FlaskClient, user_factory, world, tablet_factory
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    for name in ("sek2", "sek3"):
        user_factory(username=name, role="secretary")
    url = f"/catchup/cases/{case_id}/waive/confirm"
    posts = [(tablet_factory(name, role="secretary"), url, {}) for name in ("sek2", "sek3")]
    responses = posted_while_the_case_was_locked(app, case_id, posts)
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "closed" and case.catchup.waiver_confirmed_by is not None
        confirmations = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "catchup_waive_confirm", AuditEvent.case_id == case_id
            )
        ).all()
        assert [e.user_id for e in confirmations] == [case.catchup.waiver_confirmed_by_id]
