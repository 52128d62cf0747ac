"""Bad input on every form POST: never a 500, never unescaped HTML, what was typed kept.

The tables in fuzz_forms_cases.py, fuzz_forms_incidents.py and fuzz_forms_admin.py name every
form of the app outside the routines blueprint (its forms are in test_fuzz_routines.py); the
first test checks that the tables cover every POST route.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from .fuzz_forms_admin import ADMIN_FORMS, AUTH_FORMS
from .fuzz_forms_cases import CASE_FORMS, REPORTING_FORMS
from .fuzz_forms_incidents import BLANK_FORMS, CATCHUP_FORMS, INCIDENT_FORMS
from .fuzz_harness import (
    FUZZ,
    VALUE,
    check_response,
    clients_for,
    example_counter,
    fill_path,
    spoil,
)
from .test_access_wall import build_world
from .test_fuzz_routines import ROUTINE_FORMS

RUNS, _report_total = example_counter()

FORMS = (
    *CASE_FORMS,
    *REPORTING_FORMS,
    *CATCHUP_FORMS,
    *BLANK_FORMS,
    *INCIDENT_FORMS,
    *ADMIN_FORMS,
    *AUTH_FORMS,
)
# POST routes with nothing to type (a confirm button), or fuzzed in a test of their own.
NOT_FORMS = {
    "admin.backup_now": "confirm button only",
    "admin.unlock": "confirm button only",
    "admin.unlock_address_lock": "confirm button only",
    "admin.end_user_logins": "confirm button only",
    "admin.pin_slips": "print button only (the slips' handle is in the address)",
    "auth.logout": "ends the session; no fields",
    "auth.language": "one choice, checked against a list",
    "auth.setup": "fuzzed in its own test (needs an empty user table)",
    "blanks.attach_confirm": "confirm button only (the case id of a listed case)",
    "catchup.close": "confirm button only",
    "drafts.discard": "confirm button only",
    "drafts.put": "JSON API, fuzzed in its own test",
    "incidents.select_current": "confirm button only",
}


def test_every_post_route_is_fuzzed(app: Flask) -> None:
    posts = {r.endpoint for r in app.url_map.iter_rules() if {"POST", "PUT"} & (r.methods or set())}
    fuzzed = {f.endpoint for f in (*FORMS, *ROUTINE_FORMS)}
    assert sorted(posts - fuzzed - set(NOT_FORMS)) == []
    assert sorted((fuzzed | set(NOT_FORMS)) - posts) == []
    assert not fuzzed & set(NOT_FORMS)


@pytest.mark.parametrize("group", ["radiographer", "radiologist", "secretary", "admin", ""])
def test_form_posts_survive_bad_input(app: Flask, group: str) -> None:
    world = build_world(app)
    forms = [f for f in FORMS if f.role == group]
    clients = clients_for(app, {group})

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        sent = spoil(data, form, world)
        response = clients[group].post(fill_path(form.path, world), data=sent)
        check_response(response, sent, form.echo, form.endpoint)
        RUNS[f"form:{group or 'anonymous'}"] += 1

    run()
    assert RUNS[f"form:{group or 'anonymous'}"] >= 40


def test_setup_survives_bad_input(app: Flask) -> None:
    client = app.test_client()
    fields = ("display_name", "username", "kind", "secret", "confirm")

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        # The two secrets never match, so the first administrator is never created.
        sent: dict[str, Any] = {
            "display_name": "Första Admin",
            "username": "forsta",
            "kind": "password",
            "secret": "ett långt lösenord",
            "confirm": "ett annat lösenord",
        }
        name = data.draw(st.sampled_from(fields), label="field")
        value = data.draw(VALUE, label=name)
        if name == "confirm" and value == sent["secret"]:
            value = "x"
        if value is None:
            sent.pop(name)
        else:
            sent[name] = value
        response = client.post("/setup", data=sent)
        # A refused name is shown back only when it could be a username (it may be a PIN or a
        # password typed in the wrong field): tests/test_auth_setup_username_echo.py checks both.
        check_response(response, sent, ("display_name",), "auth.setup")
        RUNS["setup"] += 1

    run()
    assert RUNS["setup"] >= 40
