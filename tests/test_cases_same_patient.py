"""A second live case of the same patient in the incident is named on the case page.

Two radiographers registering the same faxed referral would otherwise examine the patient
twice; a second exam of the same patient may also be right (another body part). The page
names the other case, with both identifiers, so whoever opens either one can tell.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

NOTICE = "Samma patient har ett annat ärende i driftstoppet"


def _register(client: FlaskClient, suffix: str, **overrides: object) -> str:
    response = client.post("/cases/new", data=referral_data(key_suffix=suffix, **overrides))
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    client.get(location)  # the saved notice
    return location


def _code(app: Flask, location: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(Case.code).where(Case.id == int(location.rsplit("/", 1)[-1]))
        )


def test_the_same_patient_registered_twice_is_named_on_both_case_pages(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = _register(client, "a")
    second = _register(client, "b")
    page = client.get(second).get_data(as_text=True)
    assert NOTICE in page and _code(app, first) in page
    assert "samma undersökning" in page  # the same exam: most likely one referral twice
    page = client.get(first).get_data(as_text=True)
    assert NOTICE in page and _code(app, second) in page


def test_another_patient_or_a_cancelled_case_is_not_named(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = _register(client, "a")
    other = _register(
        client, "b", patient_name="Vera Väntar", personal_number="19800101-0027", pregnancy="no"
    )
    assert NOTICE not in client.get(other).get_data(as_text=True)
    assert NOTICE not in client.get(first).get_data(as_text=True)
    second = _register(client, "c")
    client.post(second + "/cancel", data={"reason": "Dubblettremiss"})
    assert NOTICE not in client.get(first).get_data(as_text=True)


RESERVE_NOTICE = "Samma reservnummer finns på ett annat ärende i driftstoppet"


def _unidentified(client: FlaskClient, suffix: str, **overrides: object) -> str:
    data = unidentified_referral_data(key_suffix=suffix, **overrides)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def test_one_reserve_number_on_two_cases_is_named_on_both_case_pages(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # The same unidentified patient's second exam, or a second patient given the same number:
    # the images of both would meet under it in PACS.
    first = _unidentified(client, "a")
    second = _unidentified(client, "b", exam_text="DT thorax med kontrast", modality="CT")
    other = _unidentified(client, "c", reserve_number="RES-0008")
    page = client.get(second).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, first) in page
    assert _code(app, other) not in page
    page = client.get(first).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, second) in page
    assert "ge den ena ett nytt med Korrigera identitet" in page
    assert RESERVE_NOTICE not in client.get(other).get_data(as_text=True)
    assert NOTICE not in client.get(other).get_data(as_text=True)


def test_a_case_identified_names_the_case_still_on_its_earlier_reserve_number(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # Identified in one case only: the other exam would be booked in RIS under the reserve
    # number, apart from the patient.
    first = _unidentified(client, "a")
    second = _unidentified(client, "b", exam_text="DT thorax med kontrast", modality="CT")
    response = client.post(
        first + "/identity",
        data={
            "id_mode": "pnr",
            "personal_number": "19121212-1212",
            "patient_name": "Örjan Älvström",
            "reason": "Identifierad av anhörig",
            "case_version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(first).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, second) in page and "RES-0007" in page
    page = client.get(second).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, first) in page
    assert "rätta identiteten där den fortfarande är reservnumret" in page

    client.post(second + "/cancel", data={"reason": "Dubblettremiss"})
    assert RESERVE_NOTICE not in client.get(first).get_data(as_text=True)


def test_a_second_exam_of_the_same_patient_is_named_without_calling_it_the_same(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = _register(client, "a")
    second = _register(client, "b", exam_text="DT thorax med kontrast", modality="CT")
    page = client.get(second).get_data(as_text=True)
    assert NOTICE in page and _code(app, first) in page
    assert "samma undersökning" not in page


def test_a_reserve_number_typed_without_its_hyphen_is_the_same_number(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = _unidentified(client, "a")
    second = _unidentified(client, "b", reserve_number="RES0007", exam_text="DT thorax")
    page = client.get(second).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, first) in page
    # Shown as typed: the wristband's own spelling is what finds the patient.
    assert "RES0007" in page
    page = client.get(first).get_data(as_text=True)
    assert RESERVE_NOTICE in page and _code(app, second) in page
