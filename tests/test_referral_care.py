"""Infection/isolation (smitta) and how the patient moves (förflyttning) on the referral."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral

from .catchup_world_support import STEPS, _close_case, _done_steps, _reopens, _shown
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data


@pytest.fixture
def incident(client: FlaskClient, auth) -> int:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "integration"})
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _referral(app: Flask) -> Referral:
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        assert ref is not None
        db.session.expunge(ref)
        return ref


def test_infection_and_mobility_are_stored_with_the_referral(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = referral_data(infection="yes", infection_note="MRSA", mobility="bed")
    assert client.post("/cases/new", data=data).status_code == 302
    ref = _referral(app)
    assert (ref.infection, ref.infection_note, ref.mobility) == ("yes", "MRSA", "bed")


def test_infection_and_mobility_may_be_left_out(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    ref = _referral(app)
    assert (ref.infection, ref.infection_note, ref.mobility) == ("", "", "")


def test_infection_yes_asks_which_next_to_the_field_and_keeps_the_text(
    client: FlaskClient, incident: int
) -> None:
    data = referral_data(infection="yes", clinical_question="Pneumoni? Feber sedan i går.")
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="infection_note-error"' in page and "Ange vilken smitta." in page
    assert "Pneumoni? Feber sedan i går." in page
    assert _checked(page, "infection", "yes")


def test_an_infection_named_beside_no_is_refused_as_contradictory_with_the_text_kept(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # "Nej: MRSA" on the exam form would read both ways; "Vet ej: misstänkt MRSA" reads one.
    data = referral_data(infection="no", infection_note="MRSA")
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="infection_note-error"' in page and "Du har svarat Nej" in page
    assert 'value="MRSA"' in page and _checked(page, "infection", "no")
    unsure = referral_data(infection="unknown", infection_note="Misstänkt MRSA")
    assert client.post("/cases/new", data=unsure).status_code == 302
    assert _referral(app).infection_note == "Misstänkt MRSA"


def _checked(page: str, name: str, value: str) -> bool:
    """Whether the radio button name=value is checked on the page."""
    for tag in page.split("<input")[1:]:
        tag = tag.split(">", 1)[0]
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


@pytest.mark.parametrize(
    ("field", "value"), [("infection", "kanske"), ("mobility", "flyger")], ids=str
)
def test_an_answer_the_form_does_not_offer_is_refused(
    client: FlaskClient, incident: int, field: str, value: str
) -> None:
    response = client.post("/cases/new", data=referral_data(**{field: value}))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_the_form_offers_big_radio_buttons_for_infection_and_mobility(
    client: FlaskClient, incident: int
) -> None:
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Smitta/isolering" in page and "Förflyttning" in page
    for value in ("no", "yes", "unknown"):
        assert _has_radio(page, "infection", value)
    for value in ("walks", "wheelchair", "bed", "stretcher"):
        assert _has_radio(page, "mobility", value)
    for label in ("Går själv", "Rullstol", "Säng", "Bår"):
        assert label in page


def _has_radio(page: str, name: str, value: str) -> bool:
    for tag in page.split("<input")[1:]:
        tag = tag.split(">", 1)[0]
        if f'name="{name}"' in tag and f'value="{value}"' in tag and 'type="radio"' in tag:
            return True
    return False


def test_a_changed_infection_is_a_version_with_swedish_labels(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    edit = referral_data(
        key_suffix="e", infection="yes", infection_note="ESBL", mobility="wheelchair"
    )
    edit |= _shown(app, case_id, "referral")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    assert _referral(app).version == 2
    page = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    for text in ("Smitta/isolering", "Vilken smitta", "ESBL", "Förflyttning", "Rullstol"):
        assert text in page
    assert "infection" not in page and "wheelchair" not in page


def test_infection_changed_after_booking_reopens_the_booking(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # RIS shows the infection to the next department: the booking there is updated.
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="e", infection="yes", infection_note="Calicivirus")
    edit |= _shown(app, case_id, "referral")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == set(STEPS) - {"booked"}
    assert len(_reopens(app)) == 1
