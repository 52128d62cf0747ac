"""Scan station: a scanned sheet opens its case in the catch-up; a wrong check character, an
unknown, repeated or voided code is said so; an incident list's code opens the batch."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload, parse_case_code, parse_scan
from webapp.extensions import db
from webapp.models import AuditEvent, Incident, ReservedCode

from .catchup_world_support import world as world  # the fixture
from .factories import audit_count


@pytest.mark.parametrize("variant", ["display", "lower", "nodash", "spaced", "payload"])
def test_scan_redirects_to_the_catchup_view(client: FlaskClient, world, variant: str) -> None:
    code = world["codes"][0]
    typed = {
        "display": code,
        "lower": code.lower(),
        "nodash": code.replace("-", ""),
        "spaced": " " + code.replace("-", " ") + "\r\n",
        "payload": make_case_payload(code, "UTL", 2),
    }[variant]
    response = client.get("/scan", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{world['ids'][0]}")


def test_wrong_check_character_is_refused_not_matched(client: FlaskClient, world) -> None:
    code = world["codes"][0]
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    wrong = code[:-1] + next(c for c in alphabet if c != code[-1])
    response = client.get("/scan", query_string={"code": wrong})
    assert response.status_code == 400
    assert "Kontrolltecknet stämmer inte" in response.get_data(as_text=True)
    assert f'value="{wrong}"' in response.get_data(as_text=True)


def test_scanning_twice_says_already_opened(app: Flask, client: FlaskClient, world) -> None:
    code = world["codes"][0]
    client.get("/scan", query_string={"code": code})
    response = client.get("/scan", query_string={"code": code}, follow_redirects=True)
    assert "Redan öppnad" in response.get_data(as_text=True)
    with app.app_context():
        scans = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "scan")).all()
        assert len(scans) == 2


def test_unknown_code_is_reported(client: FlaskClient, world) -> None:
    from webapp.codes import check_character

    body = "ABCDE" if world["codes"][0][:3] != "ABC" else "BCDEF"
    code = f"{body[:3]}-{body[3:]}{check_character(body)}"
    response = client.get("/scan", query_string={"code": code})
    assert response.status_code == 404
    assert "Inget ärende har koden" in response.get_data(as_text=True)


def test_the_example_code_on_the_scan_page_passes_its_own_check(client: FlaskClient, world) -> None:
    page = client.get("/scan").get_data(as_text=True)
    [example] = re.findall(r"t\.ex\. ([0-9A-Z]{3}-[0-9A-Z]{3})\b", page)
    assert parse_case_code(example) == example


def test_the_example_transfer_reference_on_the_scan_page_passes_its_own_check(
    client: FlaskClient, world
) -> None:
    # Typed to try the field, it is looked up (no such transfer), not refused as misspelt.
    page = client.get("/scan").get_data(as_text=True)
    [example] = re.findall(r"t\.ex\. (T[0-9]+-[0-9A-Z]{5})\b", page)
    assert parse_scan(example).kind == "transfer"


def test_the_scan_page_names_everything_it_opens(client: FlaskClient, world) -> None:
    # Not only case codes: an incident list's QR opens its batch, a transfer's disc label its
    # transfer.
    page = client.get("/scan").get_data(as_text=True)
    assert (
        "Skanna QR-koden på ett ärendes papper, en ärendelista eller en överförings "
        "skivetikett, eller skriv koden och tryck Enter." in page
    )
    hint = re.search(r'<p class="hint" id="code-hint">([^<]*)</p>', page)
    assert hint is not None
    assert hint.group(1) == (
        "Ärendekod, t.ex. K7M-2Q2, eller överföringens referens på skivetiketten, t.ex. T42-K7Q3U."
    )
    assert re.search(r'<input id="code"[^>]*aria-describedby="code-hint"', page)


def test_a_refused_scan_keeps_the_hint_beside_its_message(client: FlaskClient, world) -> None:
    page = client.get("/scan", query_string={"code": "T42-K7Q3X"}).get_data(as_text=True)
    assert "överföringens referens är felskriven" in page
    assert re.search(r'<input id="code"[^>]*aria-describedby="code-hint code-error"', page)


def test_the_scan_page_names_what_it_opens_in_english(client: FlaskClient, world) -> None:
    client.post("/language", data={"lang": "en"})
    page = html.unescape(client.get("/scan").get_data(as_text=True))
    assert "Scan the QR code on a case's paper, a case list or a transfer's disc label" in page
    assert "A case code, e.g. K7M-2Q2, or the transfer's reference on the disc label" in page


def test_scanning_a_voided_binder_code_says_it_is_voided(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1", "batch_label": "x"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    assert client.post(f"/blanks/{code}/void", data={"reason": "Förstörd"}).status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": code})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"Koden {code} är makulerad (Förstörd) och kan inte användas." in page
    assert "har koden" not in page


def test_incident_list_payload_opens_the_batch(app: Flask, client: FlaskClient, world) -> None:
    with app.app_context():
        stamp = db.session.get(Incident, world["incident_id"]).list_stamp
    payload = f"RR1:I{world['incident_id']}-{stamp}:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.headers["Location"].endswith(f"/catchup/incidents/{world['incident_id']}")


def test_radiographer_has_no_scan_station(client: FlaskClient, auth, world) -> None:
    auth.logout()
    auth.login("radiographer")
    assert client.get("/scan").status_code == 403


@pytest.mark.parametrize("typed", ["19121212-1212", "191212121212", "121212-1212", "1212121212"])
def test_a_personal_number_typed_at_the_scan_station_is_told_apart(
    client: FlaskClient, world, typed: str
) -> None:
    # The red tray's paper shows the patient's number beside the case code: a secretary may
    # type the wrong one. "6 characters" would not tell her which.
    response = client.get("/scan", query_string={"code": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Det här är ett personnummer" in page
    assert "6 tecken" not in page
    assert f'value="{typed}"' in page


@pytest.mark.parametrize("sent", ["", "   "])
def test_enter_on_an_empty_field_is_no_scan_and_gets_no_error(
    app: Flask, client: FlaskClient, auth, sent: str
) -> None:
    """A scanner's Enter, or a tap on the button, with nothing in the field: the station waits
    for a scan rather than saying a case code of no characters is too short."""
    auth.login("secretary")
    before = audit_count(app)
    response = client.get("/scan", query_string={"code": sent})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="alert"' not in page and "6 tecken" not in page
    assert audit_count(app) == before
