"""A 'booked' tick from before the accession rule, standing on no accession: flagged, and the
incident does not end on it until the secretary adds the accession (no step unticked)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.accession_rule import (
    BOOKED_WITHOUT_ACCESSION,
    NO_ACCESSION_TASK,
    lacks_accession,
    lacks_accession_clause,
)
from webapp.catchup.batch import latest_ticks
from webapp.extensions import db
from webapp.identity import format_patient_id
from webapp.models import Case, CatchupRecord, CatchupTick, User, utcnow

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture

FLAG, TASK = BOOKED_WITHOUT_ACCESSION, NO_ACCESSION_TASK


def _secretary_id() -> int:
    user_id = db.session.scalar(select(User.id).where(User.username == "test-secretary"))
    assert user_id is not None
    return user_id


def _legacy_booking(app: Flask, case_id: int) -> None:
    """'Booked' ticked done with no accession, as a database from before the rule holds it."""
    with app.app_context():
        db.session.add(CatchupRecord(case_id=case_id))
        db.session.add(CatchupTick(case_id=case_id, step="booked", user_id=_secretary_id()))
        db.session.commit()


def _reconciled_without_accession(app: Flask, client: FlaskClient, auth, world) -> int:
    """The fixture's first case keyed and checked, its accession then blank (older data)."""
    first = world["ids"][0]
    reconcile_world(client, auth, world)
    with app.app_context():
        db.session.execute(
            update(CatchupRecord).where(CatchupRecord.case_id == first).values(ris_accession="")
        )
        db.session.commit()
        assert db.session.get(Case, first).status == "closed"
    return first


def _named(app: Flask, case_id: int) -> str:
    with app.app_context():
        case = db.session.get(Case, case_id)
        number = format_patient_id(case.patient_id_kind, case.patient_id)
        return f"{case.code} ({case.patient_name}, {number})"


def _section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_a_reconciled_case_booked_without_an_accession_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _reconciled_without_accession(app, client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    assert f"{_named(app, case_id)}: {TASK}" in page


def test_the_batch_lists_a_reconciled_case_booked_without_an_accession_as_left_to_do(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _reconciled_without_accession(app, client, auth, world)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    tasks = _section(batch, 'id="open-tasks"', "</ul>")
    assert world["codes"][0] in tasks and TASK in tasks
    # The task opens where the accession is typed.
    assert f'href="/catchup/cases/{case_id}#ris_accession"' in tasks
    assert "Kvar att göra: 1 uppgift<" in batch
    assert "Ja, avsluta driftstoppet" not in batch


def test_an_outstanding_case_booked_without_an_accession_is_flagged_in_the_batch(
    app: Flask, client: FlaskClient, world
) -> None:
    _legacy_booking(app, world["ids"][0])
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    outstanding = _section(batch, '<ul class="outstanding">', "</ul>")
    first, second = (
        next(row for row in outstanding.split("</li>") if code in row) for code in world["codes"]
    )
    assert FLAG in first and FLAG not in second
    # Outstanding already: it is not listed a second time among the tasks.
    assert 'id="open-tasks"' not in batch


def test_the_catchup_page_flags_a_booking_without_an_accession_at_the_field_and_the_step(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _reconciled_without_accession(app, client, auth, world)
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    ris = _section(page, "RIS-nummer</h2>", "</form>")
    assert re.search(rf'role="alert" id="no-accession">.*href="#ris_accession">{FLAG}</a>', ris)
    assert 'type="submit" class="btn">Spara RIS-nummer' in ris  # the save is offered
    booked = _section(page, 'data-step="booked"', 'data-step="exam_completed"')
    assert 'id="step-booked-note"' in booked and FLAG in booked


def test_the_accession_is_added_to_a_reconciled_booking_without_unticking_anything(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _reconciled_without_accession(app, client, auth, world)
    with app.app_context():
        ticks_before = db.session.scalar(
            select(db.func.count(CatchupTick.id)).where(CatchupTick.case_id == case_id)
        )
    auth.login("secretary")
    assert FLAG in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": "exs 2000 0001", "accession_shown": "", "exam_number_shown": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.catchup.ris_accession == "EXS 2000 0001"
        # Still keyed and checked: no step was undone, no tick added.
        assert case.status == "closed" and case.catchup.verified_at is not None
        assert all(t.is_done for t in latest_ticks([case_id])[case_id].values())
        assert (
            db.session.scalar(
                select(db.func.count(CatchupTick.id)).where(CatchupTick.case_id == case_id)
            )
            == ticks_before
        )
    assert FLAG not in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


# --- the rule, in Python and in SQL ------------------------------------------------------------


def _state(app: Flask, case_id: int) -> tuple[bool, bool]:
    """(lacks_accession in Python, lacks_accession_clause in SQL) for the case."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        in_python = lacks_accession(case.status, latest_ticks([case_id])[case_id], case.catchup)
        in_sql = db.session.scalar(select(lacks_accession_clause()).where(Case.id == case_id))
        return in_python, bool(in_sql)


def _tick(app: Flask, case_id: int, is_done: bool, minutes: int) -> None:
    with app.app_context():
        db.session.add(
            CatchupTick(
                case_id=case_id,
                step="booked",
                is_done=is_done,
                user_id=_secretary_id(),
                at=utcnow() + timedelta(minutes=minutes),
            )
        )
        db.session.commit()


def _set(app: Flask, case_id: int, **values: object) -> None:
    with app.app_context():
        table = Case if "status" in values else CatchupRecord
        key = Case.id if table is Case else CatchupRecord.case_id
        db.session.execute(update(table).where(key == case_id).values(**values))
        db.session.commit()


@pytest.mark.parametrize(
    ("variant", "flagged"),
    [
        ("booked", True),
        ("no_record", True),
        ("blank_accession", True),
        ("booked_again_after_undo", True),
        ("undone", False),
        ("accession", False),
        ("waived", False),
        ("cancelled", False),
    ],
)
def test_a_booking_without_an_accession_is_told_alike_in_python_and_sql(
    app: Flask, world, variant: str, flagged: bool
) -> None:
    case_id = world["ids"][0]
    if variant == "no_record":
        _tick(app, case_id, True, 0)
    else:
        _legacy_booking(app, case_id)
    if variant == "blank_accession":
        _set(app, case_id, ris_accession="   ")
    elif variant == "undone":
        _tick(app, case_id, False, 1)
    elif variant == "booked_again_after_undo":
        _tick(app, case_id, False, 1)
        _tick(app, case_id, True, 2)
    elif variant == "accession":
        _set(app, case_id, ris_accession="EXS10000001")
    elif variant == "waived":
        _set(app, case_id, waived_at=utcnow(), waive_reason="Inlagd direkt i RIS")
    elif variant == "cancelled":
        _set(app, case_id, status="cancelled")
    assert _state(app, case_id) == (flagged, flagged)
