"""The binder's printed routine says what the written routine does of a contact: both its phone
numbers, and what to do after its hours when no one answers then."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .routine_print_support import scenario_texts
from .test_call_list_reach import AFTER_HOURS, _site_with_technical_questions


@pytest.fixture(autouse=True)
def _lan(monkeypatch: pytest.MonkeyPatch) -> None:
    # The laptop's address for tablets, which every routine page prints.
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["192.168.50.7"])


def _integration_routine(app: Flask, client: FlaskClient, auth) -> str:
    _site_with_technical_questions(app)
    auth.login("admin")
    response = client.get("/blanks/routines.pdf?scenario=integration")
    assert response.status_code == 200
    (text,) = scenario_texts(response.get_data()).values()
    return text


def test_the_printed_routine_gives_every_phone_number_of_a_contact(
    app: Flask, client: FlaskClient, auth
) -> None:
    text = _integration_routine(app, client, auth)
    assert "Telefon 0999-700 00 eller 0999-700 02" in text


def test_the_printed_routine_says_what_to_do_after_the_hours_of_a_contact_without_fallback(
    app: Flask, client: FlaskClient, auth
) -> None:
    text = _integration_routine(app, client, auth)
    assert "Öppet: mån–fre 07:00–16:00 · Telefon 0999-700 00" in text
    assert f"Utanför öppettiderna: {AFTER_HOURS}" in text
