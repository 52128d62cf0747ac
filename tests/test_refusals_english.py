"""A refusal that names a count, a case or a character reads in English for an English user,
the values filled into the translated template; str() stays the Swedish text the logs keep."""

from __future__ import annotations

import html

from flask import Flask, session
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.i18n import refusal_text
from webapp.incidents.ending import FOLLOW_UP_NOT_MADE as FOLLOW_UP
from webapp.incidents.ending import TASKS_LEFT
from webapp.incidents.errors import IncidentError
from webapp.models import Draft
from webapp.refusal import Message

from .catchup_support import incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data


def _in_english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


def _close_in_english(client: FlaskClient, auth, incident_id: int) -> str:
    auth.logout()
    auth.login("admin")
    _in_english(client)
    response = client.post(f"/catchup/incidents/{incident_id}/close", follow_redirects=True)
    return html.unescape(response.get_data(as_text=True))


def test_a_refusal_is_swedish_as_text_and_english_through_the_helper(app: Flask) -> None:
    exc = IncidentError(
        "%(n)s ärenden är inte avstämda. Ett driftstopp kan avslutas först när alla ärenden är "
        "avstämda eller undantagna med motivering.",
        n=3,
    )
    assert str(exc).startswith("3 ärenden är inte avstämda.")
    with app.test_request_context():
        session["lang"] = "en"
        assert refusal_text(exc).startswith("3 cases are not reconciled.")
        nested = IncidentError(
            TASKS_LEFT, tasks=Message.joined([Message(FOLLOW_UP, {"label": "TiB"})])
        )
        assert refusal_text(nested) == (
            "Left to do before the outage can be closed: Follow-up: TiB is not done."
        )
    assert (
        str(nested)
        == "Kvar att göra innan driftstoppet kan avslutas: Uppföljning: TiB är inte gjord."
    )


def test_a_close_refused_for_cases_left_counts_them_in_english(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    page = _close_in_english(client, auth, world["incident_id"])
    assert "2 cases are not reconciled. An outage can be closed only when" in page
    assert "inte avstämda" not in page
    assert not incident_ended(app, world["incident_id"])


def test_a_close_refused_for_an_unsent_form_names_it_in_english(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    auth.login("radiographer")
    draft = {
        "kind": "exam",
        "case_id": world["ids"][0],
        "data": {"notes": "Kontrast given"},
        "label": "Dokumentation",
        "seq": 1,
    }
    # A key of its own: the world's forms were sent under the factories' keys.
    assert client.put("/api/drafts/unsent-exam-" + "n" * 12, json=draft).status_code == 200
    page = _close_in_english(client, auth, world["incident_id"])
    code = world["codes"][0]
    assert (
        f"1 form has been started but not sent: Documentation {code} "
        "(Örjan Älvström, 19121212-****, by Testa Radiographer Åström). Open and send it"
    ) in page
    assert "har börjat fyllas i" not in page
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done)) is False


def test_a_duplicate_accession_is_refused_in_english(client: FlaskClient, auth, world) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    _in_english(client)
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS10000001"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert (
        f"The accession number EXS10000001 is already used by case {world['codes'][0]} "
        "(Örjan Älvström, 19121212-1212). Check that it is the right patient"
    ) in page
    assert "används redan" not in page


def test_a_template_phrase_naming_no_section_is_refused_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    _in_english(client)
    response = client.post(
        "/reporting/templates/new",
        data={
            "name": "X",
            "sections": "Fynd",
            "phrases": "Fynd: ok\nOkänd: text",
            "is_active": "y",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Line 2: the section 'Okänd' does not exist." in page
    assert "finns inte" not in page


def test_a_reserve_number_with_a_letter_outside_a_to_z_is_refused_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    _in_english(client)
    data = {**referral_data(), "id_mode": "reserve", "reserve_number": "RES-Å12"}
    response = client.post("/cases/new", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "The character 'Å' is not allowed in reserve numbers (use the letters A–Z" in page
    assert "är inte tillåtet" not in page
