"""The name as the namesake check compares it is stored on the case beside the name, so the
check asks the database for it: it follows the name whichever way the name is written, by a
form, the demo, the ORM or a plain UPDATE."""

from __future__ import annotations

import unicodedata

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text, update

from webapp.extensions import db
from webapp.models import Case, ReservedCode
from webapp.storage import update_by_key, write_transaction

from .factories import identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

# Decomposed accents (as some keyboards and scanners send them), a comma, upper case.
TYPED = unicodedata.normalize("NFD", "ÄLVSTRÖM,  Östen")
KEY = "älvström östen"


def _keys(app: Flask) -> dict[int, tuple[str, str]]:
    """Each case's (name, stored key), read as stored."""
    with app.app_context():
        rows = db.session.execute(
            text('SELECT id, patient_name, patient_name_key FROM "case" ORDER BY id')
        )
        found = {r[0]: (r[1], r[2]) for r in rows}
        db.session.remove()
    return found


def _new_case(client: FlaskClient, suffix: str = "a", **overrides: object) -> int:
    response = client.post("/cases/new", data=referral_data(key_suffix=suffix, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def test_a_referral_stores_the_name_as_compared(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    case_id = _new_case(client, patient_name=TYPED, personal_number="19800101-0019")
    assert _keys(app)[case_id][1] == KEY


def test_an_unnamed_patient_has_an_empty_key(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    response = client.post("/cases/new", data=unidentified_referral_data(key_suffix="u"))
    case_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert _keys(app)[case_id] == ("", "")


def test_an_identity_correction_moves_the_key_with_the_name(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    response = client.post("/cases/new", data=unidentified_referral_data(key_suffix="u"))
    location = response.headers["Location"]
    data = identity_data(patient_name=TYPED, personal_number="19800101-0019", case_version="1")
    assert client.post(location + "/identity", data=data).status_code == 302
    assert _keys(app)[int(location.rsplit("/", 1)[-1])][1] == KEY


def test_a_referral_opened_from_a_binder_blank_stores_the_key(
    app: Flask, client: FlaskClient, auth, incident: int
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1", "batch_label": "Pärm"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    auth.login("secretary")
    data = referral_data(key_suffix="blank", patient_name=TYPED, personal_number="19800101-0019")
    assert client.post(f"/blanks/{code}/open", data=data).status_code == 302
    ((_name, key),) = _keys(app).values()
    assert key == KEY


def test_the_demo_stores_every_key(demo: Flask) -> None:
    from webapp.cases.namesakes import name_key

    keys = _keys(demo)
    assert keys
    assert all(key == " ".join(name_key(name)) for name, key in keys.values())


def test_a_name_set_on_the_model_moves_the_key(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    case_id = _new_case(client)
    with app.app_context(), write_transaction() as session:
        case = session.get(Case, case_id)
        case.patient_name = TYPED
        # Right on the object before it is stored, too.
        assert case.patient_name_key == KEY
    assert _keys(app)[case_id] == (TYPED, KEY)


def test_a_plain_update_of_the_name_by_key_moves_the_key(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    case_id = _new_case(client)
    with app.app_context(), write_transaction() as session:
        update_by_key(session, Case.__table__, case_id, {"patient_name": TYPED})
    assert _keys(app)[case_id] == (TYPED, KEY)


def test_a_bulk_update_of_the_name_moves_the_key(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first, second = _new_case(client, "a"), _new_case(client, "b")
    with app.app_context(), write_transaction() as session:
        session.execute(update(Case).where(Case.id == first).values(patient_name=TYPED))
        session.execute(
            update(Case.__table__).where(Case.__table__.c.id == second).values(patient_name="")
        )
    keys = _keys(app)
    assert keys[first] == (TYPED, KEY)
    assert keys[second] == ("", "")


def test_a_name_worked_out_in_sql_is_refused_rather_than_stored_without_its_key(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    case_id = _new_case(client)
    with (
        app.app_context(),
        pytest.raises(RuntimeError, match="SQL expression"),
        write_transaction() as session,
    ):
        session.execute(update(Case).where(Case.id == case_id).values(patient_name=Case.code))
    assert _keys(app)[case_id] == ("Örjan Älvström", "älvström örjan")
