"""English mode: every page each role reaches, and the main forms' errors, read in English."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .english_sweep_support import error_texts, page_texts, stored_texts, swedish_left
from .factories import referral_data
from .test_access_wall import (
    EXPECTED,
    LAST,
    PUBLIC,
    ROLES,
    World,
    build_world,
    concrete_path,
    login,
    ordered_rules,
)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _english(client: FlaskClient) -> None:
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 302


def _html(client: FlaskClient, path: str) -> tuple[int, str]:
    response = client.get(path)
    body = response.get_data().decode("utf-8", "replace")
    response.close()
    html = response.mimetype == "text/html"
    return response.status_code, body if html else ""


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_reads_in_english(app: Flask, world: World, role: str) -> None:
    client = app.test_client()
    login(client, app, role)
    _english(client)
    with app.app_context():
        data = stored_texts()
    found: dict[str, list[str]] = {}
    pages = 0
    for rule in ordered_rules(app):
        expected = EXPECTED[rule.endpoint]
        if rule.endpoint in LAST or "GET" not in (rule.methods or ()):
            continue
        if expected != PUBLIC and role not in expected:
            continue
        status, html = _html(client, concrete_path(rule, world.params()))
        if not html:
            continue
        pages += 1
        left = swedish_left(page_texts(html), data)
        if left:
            found[f"{rule.rule} ({status})"] = left
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    assert pages > 5


def _bad_inputs(world: World) -> list[tuple[str, str, dict[str, object]]]:
    """(role, path, form data) of each main form, with input it refuses beside a field."""
    case, open_case = world.case_id, world.open_case_id
    return [
        ("radiographer", "/cases/new", {}),
        ("radiographer", "/cases/new", referral_data(personal_number="19121212-1213")),
        ("radiographer", "/cases/new", referral_data(referrer_phone="noll", arrived_at="x")),
        ("radiographer", f"/cases/{open_case}/exam", {"started_at": "igår"}),
        ("radiographer", f"/cases/{case}/identity", {"id_mode": "pnr", "personal_number": "12"}),
        ("radiographer", f"/cases/{case}/referral", {}),
        ("radiographer", "/incidents/new", {"scenario": "no-such"}),
        ("radiographer", "/me/secret", {"current": "1", "new": "2", "kind": "pin"}),
        ("radiographer", f"/routines/releases/cases/{case}", {}),
        ("radiographer", "/routines/transfers/new", {}),
        ("radiographer", "/routines/reviewer/receive", {}),
        ("radiologist", f"/reporting/{open_case}", {"action": "definitive"}),
        ("radiologist", f"/reporting/{case}/addendum", {}),
        ("radiologist", f"/reporting/{case}/call", {}),
        ("radiologist", f"/reporting/{case}/fax", {"fax_number": "x"}),
        ("radiologist", f"/reporting/{case}/paper", {}),
        ("admin", "/admin/users", {"username": "a b", "role": "x"}),
        ("admin", f"/admin/users/{world.user_id}", {"display_name": ""}),
        ("admin", "/admin/site", {"config_toml": "[site]\ncode = = 1"}),
        ("admin", "/admin/site", {"config_toml": '[site]\ncode = "EXS"\nname = 3.5'}),
        ("admin", "/reporting/templates/new", {}),
        ("secretary", f"/catchup/cases/{case}/ris", {"ris_accession": "!"}),
        (
            "secretary",
            f"/incidents/{world.incident_id}/followup/deviation",
            {"deviation_number": "x"},
        ),
        (
            "secretary",
            f"/incidents/{world.incident_id}/followup/deviation",
            {"deviation_number": "19121212-1212"},
        ),
    ]


def test_each_main_form_refuses_bad_input_in_english(app: Flask, world: World) -> None:
    clients: dict[str, FlaskClient] = {}
    found: dict[str, list[str]] = {}
    unrefused = []
    with app.app_context():
        data = stored_texts()
    for i, (role, path, form) in enumerate(_bad_inputs(world)):
        if role not in clients:
            clients[role] = app.test_client()
            login(clients[role], app, role)
            _english(clients[role])
        client = clients[role]
        response = client.post(path, data=form, follow_redirects=True)
        body = response.get_data(as_text=True)
        errors = error_texts(body)
        if not errors:
            unrefused.append((path, response.status_code))
        # What was typed is shown back in the fields, not in the errors; the data is stripped
        # as on the pages (a name that the message quotes).
        left = swedish_left(errors, data)
        if left:
            found[f"{i}: {role} {path}"] = left
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
    assert unrefused == []
