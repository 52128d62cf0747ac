"""A valid personnummer typed as a reserve number is asked about once on every form that takes
one: stored as a reserve number, the patient would never be found by the personnummer."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.services import RESERVE_LIKE_PNR_CONFIRMED
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReservedCode

from .factories import identity_data, referral_data, unidentified_referral_data

LOOKS_LIKE = "Det här ser ut som ett personnummer."
CONFIRM_BOX = 'name="reserve_confirmed"'
UNIDENTIFIED = {"id_mode": "reserve", "reserve_number": "", "sex": "M", "approx_age": "70"}


def _new_referral(app: Flask, client: FlaskClient, auth) -> tuple[str, dict[str, object]]:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return "/cases/new", unidentified_referral_data()


def _blank_sheet(app: Flask, client: FlaskClient, auth) -> tuple[str, dict[str, object]]:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    auth.logout()
    auth.login()
    client.post("/incidents/new", data={"scenario": "total"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    data = unidentified_referral_data(blank_code=code, arrived_via="paper")
    return f"/blanks/{code}/open", data


def _identity_correction(app: Flask, client: FlaskClient, auth) -> tuple[str, dict[str, object]]:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    # Named by personnummer at first; it turns out to be another patient's papers.
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    data = identity_data(**UNIDENTIFIED, reason="Fel armband", case_version="1")
    return f"{location}/identity", data


FORMS: dict[str, Callable[..., tuple[str, dict[str, object]]]] = {
    "referral": _new_referral,
    "blank sheet": _blank_sheet,
    "identity correction": _identity_correction,
}


@pytest.fixture(params=list(FORMS))
def reserve_form(request, app: Flask, client: FlaskClient, auth) -> tuple[str, dict[str, object]]:
    """The address and valid data of a form with a reserve number, logged in to use it."""
    return FORMS[request.param](app, client, auth)


def _identities(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(c.patient_id_kind, c.patient_id) for c in db.session.scalars(select(Case))]


def _reserve_block(page: str) -> str:
    return page.split('data-field="reserve_number"', 1)[1].split('data-field="patient_name"')[0]


@pytest.mark.parametrize("typed", ["19121212-1212", "121212-1212", "191212121212"])
def test_a_personnummer_as_reserve_number_is_asked_about_and_kept(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]], typed: str
) -> None:
    url, data = reserve_form
    before = _identities(app)
    response = client.post(url, data={**data, "reserve_number": typed, "patient_name": "Kim"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    block = _reserve_block(page)
    assert LOOKS_LIKE in block and CONFIRM_BOX in block  # beside the field
    assert f'value="{typed}"' in block and 'value="Kim"' in page
    assert _identities(app) == before


def _asked_for(page: str) -> str:
    """The number the page's confirmation box was shown for (its hidden field)."""
    match = re.search(r'name="reserve_confirmed_for" type="hidden" value="([^"]*)"', page)
    assert match, "no confirmation tied to a number on the page"
    return html.unescape(match.group(1))


def _confirm(
    client: FlaskClient, url: str, data: dict[str, object], number: str
) -> dict[str, object]:
    """Post the number, and tick the box the refusal then shows: the form as the tablet sends it."""
    refused = client.post(url, data={**data, "reserve_number": number})
    assert refused.status_code == 400
    return {
        **data,
        "reserve_number": number,
        "reserve_confirmed": "y",
        "reserve_confirmed_for": _asked_for(refused.get_data(as_text=True)),
    }


def test_a_confirmed_personnummer_like_reserve_number_is_saved_as_one(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    url, data = reserve_form
    confirmed = _confirm(client, url, data, "19121212-1212")
    assert confirmed["reserve_confirmed_for"] == "19121212-1212"
    assert client.post(url, data=confirmed).status_code == 302
    assert ("reserve", "19121212-1212") in _identities(app)
    # Whoever said it is no personnummer stands in the log, should it have been one after all.
    assert any(RESERVE_LIKE_PNR_CONFIRMED in detail for detail in _details(app))


def _details(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.detail).where(
                    AuditEvent.action.in_(("case_create", "identity_correct"))
                )
            )
        )


# Ten digits that fail the check digit, and the usual kind of number.
@pytest.mark.parametrize("number", ["121212-1213", "RES-0042"])
def test_a_reserve_number_unlike_a_personnummer_is_not_asked_about(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]], number: str
) -> None:
    url, data = reserve_form
    assert CONFIRM_BOX not in client.get(url).get_data(as_text=True)
    response = client.post(url, data={**data, "reserve_number": number})
    assert response.status_code == 302, _reserve_block(response.get_data(as_text=True))
    assert ("reserve", number) in _identities(app)
    assert not any(RESERVE_LIKE_PNR_CONFIRMED in detail for detail in _details(app))


def test_a_personnummer_typed_as_one_is_not_asked_about(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, _ = _new_referral(app, client, auth)
    # The reserve number left in its hidden field when the person was named after all.
    named = {**referral_data(), "reserve_number": "19121212-1212"}
    assert client.post(url, data=named).status_code == 302
    assert _identities(app) == [("personnummer", "191212121212")]


def test_a_box_ticked_for_one_number_does_not_confirm_another(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    # Ticked for one number, then the number edited to another personnummer: asked again.
    url, data = reserve_form
    before = _identities(app)
    confirmed = _confirm(client, url, data, "19121212-1212")
    response = client.post(url, data={**confirmed, "reserve_number": "19800101-0027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    block = _reserve_block(page)
    assert "Numret har ändrats sedan rutan kryssades" in block and CONFIRM_BOX in block
    assert 'value="19800101-0027"' in block
    box = re.search(r"<input[^>]*" + CONFIRM_BOX + "[^>]*>", block)
    assert box and "checked" not in box.group(0)  # to be ticked again, for this number
    assert _asked_for(page) == "19800101-0027"
    assert _identities(app) == before
    # Ticked again for the number now typed, it is saved.
    again = {
        **confirmed,
        "reserve_number": "19800101-0027",
        "reserve_confirmed_for": _asked_for(page),
    }
    assert client.post(url, data=again).status_code == 302
    assert ("reserve", "19800101-0027") in _identities(app)


def test_a_ticked_box_without_the_number_it_was_given_for_is_asked_again(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    url, data = reserve_form
    before = _identities(app)
    ticked = {**data, "reserve_number": "19121212-1212", "reserve_confirmed": "y"}
    response = client.post(url, data=ticked)
    assert response.status_code == 400
    assert _asked_for(response.get_data(as_text=True)) == "19121212-1212"
    assert _identities(app) == before


def test_the_confirmation_holds_for_the_same_number_typed_with_spaces(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    # Spaces are not part of a stored reserve number: it is the same number, not another one.
    url, data = reserve_form
    confirmed = _confirm(client, url, data, "19121212-1212")
    spaced = {**confirmed, "reserve_number": "1912 1212-1212"}
    assert client.post(url, data=spaced).status_code == 302
    assert ("reserve", "19121212-1212") in _identities(app)
