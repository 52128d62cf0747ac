"""Two patients easy to confuse: a number already in the incident under another name, or a name
under another number, is asked about on the referral and the identity correction before it is
saved; twins and one number written in its several forms are told apart or kept together."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import audit_events, identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

SAME_NUMBER = "Numret finns redan i driftstoppet under ett annat namn"
SAME_NAME = "Namnet finns redan i driftstoppet med ett annat nummer"
CONFIRMED = "samma nummer eller namn som ett annat ärende, bekräftat som rätt patient"
# Twins: one birth date, one surname, two numbers (a boy and a girl).
AXEL, ANNA = ("Axel Andersson", "20200315-1236"), ("Anna Andersson", "20200315-1244")


def _register(client: FlaskClient, suffix: str, **overrides: object):  # type: ignore[no-untyped-def]
    overrides.setdefault("personal_number", "19121212-1212")  # not another patient's own
    return client.post("/cases/new", data=referral_data(key_suffix=suffix, **overrides))


def _cases(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Case.code, Case.patient_name, Case.patient_id).order_by(Case.id)
        )
        return [tuple(r) for r in rows]


def test_a_number_already_in_the_incident_under_another_name_is_asked_about(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert _register(client, "a").status_code == 302
    response = _register(client, "b", patient_name="Östen Älvström")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert SAME_NUMBER in page
    # The other case beside the warning with its two identifiers, the input kept.
    ((code, name, _number),) = _cases(app)
    assert code in page and name in page and "19121212-1212" in page
    assert 'value="Östen Älvström"' in page
    assert len(_cases(app)) == 1

    data = referral_data(
        key_suffix="b", patient_name="Östen Älvström", personal_number="19121212-1212"
    )
    data |= {
        "namesake_confirmed": "y",
        "namesake_confirmed_for": "personnummer:191212121212:älvström östen",
    }
    assert client.post("/cases/new", data=data).status_code == 302
    assert [c[1] for c in _cases(app)] == ["Örjan Älvström", "Östen Älvström"]
    created = audit_events(app, "case_create")
    assert created[-1].detail.endswith(CONFIRMED)


def test_a_name_already_in_the_incident_under_another_number_is_asked_about(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert _register(client, "a").status_code == 302
    response = _register(client, "b", personal_number="19800101-0027", pregnancy="no")
    assert response.status_code == 400
    assert SAME_NAME in response.get_data(as_text=True)


@pytest.mark.parametrize("written", ["191212121212", "121212+1212", "19121212 1212"])
def test_one_number_written_another_way_is_the_same_patient(
    app: Flask, client: FlaskClient, incident: int, written: str
) -> None:
    assert _register(client, "a").status_code == 302
    # The same name: the same patient (a second exam), nothing to ask.
    assert _register(client, "b", personal_number=written).status_code == 302
    # Another name: the number is still the same one, however written.
    response = _register(client, "c", personal_number=written, patient_name="Östen Älvström")
    assert response.status_code == 400
    assert SAME_NUMBER in response.get_data(as_text=True)


def test_a_name_written_another_way_is_the_same_name(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert _register(client, "a").status_code == 302
    response = _register(client, "b", patient_name="ÄLVSTRÖM,  Örjan")
    assert response.status_code == 302


def test_twins_are_saved_without_asking_and_listed_apart(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    for suffix, (name, number) in zip("ab", (AXEL, ANNA), strict=True):
        response = _register(
            client, suffix, patient_name=name, personal_number=number, pregnancy="no"
        )
        assert response.status_code == 302


def test_a_tick_given_for_another_name_is_asked_again(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert _register(client, "a").status_code == 302
    data = referral_data(
        key_suffix="b", patient_name="Östen Älvström", personal_number="19121212-1212"
    )
    data |= {"namesake_confirmed": "y", "namesake_confirmed_for": "personnummer:191212121212:x"}
    response = client.post("/cases/new", data=data)
    assert response.status_code == 400
    assert SAME_NUMBER in response.get_data(as_text=True)


def test_a_correction_to_a_number_another_case_has_is_asked_about_and_leaves_it_alone(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert _register(client, "a").status_code == 302
    unidentified = client.post("/cases/new", data=unidentified_referral_data(key_suffix="u"))
    location = unidentified.headers["Location"]
    data = identity_data(patient_name="Östen Älvström", case_version="1")
    response = client.post(location + "/identity", data=data)
    assert response.status_code == 400
    assert SAME_NUMBER in response.get_data(as_text=True)
    assert _cases(app)[1][2] == "RES-0007"

    data |= {
        "namesake_confirmed": "y",
        "namesake_confirmed_for": "personnummer:191212121212:älvström östen",
    }
    assert client.post(location + "/identity", data=data).status_code == 302
    first, second = _cases(app)
    assert first[1:] == ("Örjan Älvström", "191212121212")  # the other case is unchanged
    assert second[1:] == ("Östen Älvström", "191212121212")
    (event,) = audit_events(app, "identity_correct")
    assert event.detail.endswith(CONFIRMED)
