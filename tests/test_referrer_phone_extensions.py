"""The referrer is often reached on a four-digit extension or a pager ("sök 4711"): the
referral and the call logs take them, as typed; a fax number still has to be one a fax machine
can dial."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral, UrgentCall

from .conftest import AuthActions
from .export_support import every_format
from .factories import exam_data, hidden_value, incident_of, local_minute, referral_data
from .printforms.conftest import pdf_text
from .test_cases_referral import incident as incident  # the fixture

PHONE_REFUSED = (
    "Ange ett telefonnummer, en anknytning eller en sökare, t.ex. 035-123 45 67 eller sök 4711."
)
# "pager 4711" as the English page says it.
REACHABLE = [
    "4711",
    "sök 4711",
    "Sök 4711",
    "sökare 4711",
    "personsökare 4711",
    "pager 4711",
    "035-123 45 67",
]


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def _case(client: FlaskClient, auth: AuthActions, phone: str) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(referrer_phone=phone))
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    return int(location.rsplit("/", 1)[-1])


@pytest.mark.parametrize("phone", REACHABLE)
def test_the_referrers_extension_or_pager_is_taken_as_typed(
    app: Flask, client: FlaskClient, incident: int, phone: str
) -> None:
    response = client.post("/cases/new", data=referral_data(referrer_phone=phone))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Referral.referrer_phone)) == phone


@pytest.mark.parametrize("phone", ["ring", "x", "12", "471", "sök", "sök 12", "sök fyra"])
def test_nonsense_for_the_referrers_phone_is_refused_beside_it_and_kept(
    app: Flask, client: FlaskClient, incident: int, phone: str
) -> None:
    response = client.post("/cases/new", data=referral_data(referrer_phone=phone))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert PHONE_REFUSED in html.unescape(_beside(page, "referrer_phone"))
    assert f'value="{html.escape(phone)}"' in page
    with app.app_context():
        assert db.session.scalar(select(Referral.id)) is None


@pytest.mark.parametrize("fax", ["4711", "sök 4711"])
def test_the_reply_fax_still_has_to_be_a_full_number(
    app: Flask, client: FlaskClient, incident: int, fax: str
) -> None:
    response = client.post("/cases/new", data=referral_data(reply_fax=fax))
    assert response.status_code == 400
    assert "Ange svarsfax som ett telefonnummer" in _beside(
        response.get_data(as_text=True), "reply_fax"
    )


def test_an_urgent_call_to_the_referrers_pager_is_logged_as_typed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(client, auth, "sök 4711")
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    # The referral's pager is what the form offers to log.
    assert 'value="sök 4711"' in html.unescape(page)
    call = {
        "form_key": hidden_value(page, "form_key"),
        "called_person": "Dr Åberg",
        "phone_number": "sök 4711",
        "called_at": local_minute(),
    }
    response = client.post(f"/reporting/{case_id}/call", data=call)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(UrgentCall.phone_number)) == "sök 4711"


def test_an_urgent_call_to_nonsense_is_refused_with_the_new_message(
    client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(client, auth, "4711")
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    call = {
        "form_key": hidden_value(page, "form_key"),
        "called_person": "Dr Åberg",
        "phone_number": "ring",
        "called_at": local_minute(),
    }
    response = client.post(f"/reporting/{case_id}/call", data=call)
    assert response.status_code == 400
    assert PHONE_REFUSED in html.unescape(_beside(response.get_data(as_text=True), "phone_number"))


def _whom(client: FlaskClient, auth: AuthActions, case_id: int) -> str:
    auth.login("radiologist")
    page = html.unescape(client.get(f"/reporting/{case_id}/call").get_data(as_text=True))
    found = re.search(r'<section class="panel" id="whom">(.*?)</section>', page, re.S)
    assert found, page
    return found.group(1)


def test_the_call_screen_dials_an_extension(client: FlaskClient, auth: AuthActions) -> None:
    panel = _whom(client, auth, _case(client, auth, "4711"))
    assert 'href="tel:4711"' in panel


def test_the_call_screen_shows_a_pager_without_a_link_that_would_dial_it(
    client: FlaskClient, auth: AuthActions
) -> None:
    panel = _whom(client, auth, _case(client, auth, "sök 4711"))
    assert "sök 4711" in panel
    assert "tel:" not in panel


def test_the_printed_referral_gives_the_pager_as_typed(
    client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(client, auth, "personsökare 4711")
    response = client.get(f"/print/cases/{case_id}/referral.pdf")
    assert response.status_code == 200
    assert "personsökare 4711" in " ".join(pdf_text(response.get_data()).split())


def test_the_exports_carry_the_pager_as_typed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(client, auth, "sök 4711")
    exports = {
        fmt: content.decode("utf-8-sig")
        for fmt, content in every_format(app, incident_of(app, case_id)).items()
    }
    [row] = csv.DictReader(io.StringIO(exports["csv"]), delimiter=";")
    assert row["remittent telefon"] == "sök 4711"
    assert json.loads(exports["json"])["cases"][0]["referral"]["referrer_phone"] == "sök 4711"
    bundle = json.loads(exports["fhir"])
    [request] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert {"text": "Remittentens telefon: sök 4711"} in request["note"]
