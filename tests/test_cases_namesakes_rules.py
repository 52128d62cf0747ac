"""Which of the incident's cases the namesake check names, asked of namesakes() itself: the same
number under another name or the same name under another number, oldest first; not the case
being edited, not a cancelled case, not an unnamed patient, not another incident's."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.cases.namesakes import name_key, namesakes
from webapp.extensions import db

from .factories import referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

ORJAN = "191212121212"


def _new_case(client: FlaskClient, suffix: str, name: str, number: str) -> int:
    data = referral_data(
        key_suffix=suffix, patient_name=name, personal_number=number, pregnancy="no"
    )
    # Confirmed for what is typed: only what namesakes() finds is under test here.
    typed = f"personnummer:{number.replace('-', '')}:{' '.join(name_key(name))}"
    data |= {"namesake_confirmed": "y", "namesake_confirmed_for": typed}
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _found(app: Flask, incident: int, name: str, number: str = ORJAN, **kw: object) -> list:  # type: ignore[type-arg]
    with app.app_context():
        found = namesakes(incident, id_kind="personnummer", patient_id=number, name=name, **kw)  # type: ignore[arg-type]
        db.session.remove()
    return [(f.name, f.shares) for f in found]


def test_namesakes_are_named_oldest_first_by_what_they_share(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _new_case(client, "a", "Östen Älvström", ORJAN)
    _new_case(client, "b", "Örjan Älvström", "19800101-0019")
    _new_case(client, "c", "ÄLVSTRÖM, Örjan", "19800101-0035")
    _new_case(client, "d", "Örjan Älvström", ORJAN)  # the same patient: nothing shared apart
    _new_case(client, "e", "Axel Älvström", "19800101-0050")  # another name, another number
    assert _found(app, incident, "örjan  älvström") == [
        ("Östen Älvström", "number"),
        ("Örjan Älvström", "name"),
        ("ÄLVSTRÖM, Örjan", "name"),
    ]


def test_the_case_being_edited_and_cancelled_cases_are_left_out(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    edited = _new_case(client, "a", "Örjan Älvström", "19800101-0019")
    cancelled = _new_case(client, "b", "Örjan Älvström", "19800101-0035")
    reason = {"reason": "Dubblett av faxet"}
    assert client.post(f"/cases/{cancelled}/cancel", data=reason).status_code == 302
    assert _found(app, incident, "Örjan Älvström", exclude_case_id=edited) == []
    assert _found(app, incident, "Örjan Älvström") == [("Örjan Älvström", "name")]


def test_an_unnamed_patient_shares_no_name_and_differs_in_none(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert client.post("/cases/new", data=unidentified_referral_data(key_suffix="u")).status_code
    _new_case(client, "a", "Örjan Älvström", "19800101-0019")
    # An unnamed patient under the number typed is no other name; an empty name matches none.
    assert _found(app, incident, "", number="19800101-0019") == []
    with app.app_context():
        found = namesakes(incident, id_kind="reserve", patient_id="RES-0007", name="Örjan Älvström")
    assert [(f.name, f.shares) for f in found] == [("Örjan Älvström", "name")]


def test_another_incidents_cases_are_not_namesakes(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _new_case(client, "a", "Örjan Älvström", "19800101-0019")
    assert _found(app, incident + 1, "Örjan Älvström") == []


def test_a_reserve_number_is_the_same_with_or_without_its_hyphens(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # The wristband says RES-0007; the next sheet was typed RES0007: one number, two names.
    data = unidentified_referral_data(key_suffix="u", patient_name="Östen Älvström")
    assert client.post("/cases/new", data=data).status_code == 302
    with app.app_context():
        for typed in ("RES0007", "R-E-S-0007", "res0007"):
            found = namesakes(incident, id_kind="reserve", patient_id=typed, name="Örjan Älvström")
            assert [(f.name, f.shares) for f in found] == [("Östen Älvström", "number")], typed
