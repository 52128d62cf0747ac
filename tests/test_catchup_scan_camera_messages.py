"""The scan station's camera messages send the user to the field as the page's intro does: it
takes any code the station reads (a case's, a transfer's reference, an incident list's), so
they say "the code", not "the case code"."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

MESSAGES = ("data-msg-denied", "data-msg-missing")


def _messages(client: FlaskClient) -> list[str]:
    page = client.get("/scan").get_data(as_text=True)
    return [html.unescape(re.search(rf'{name}="([^"]*)"', page).group(1)) for name in MESSAGES]


def test_the_camera_messages_ask_for_the_code_the_field_takes(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    for message in _messages(client):
        assert "skriv koden" in message.lower(), message
        assert "ärendekod" not in message.lower(), message


def test_the_camera_messages_read_in_english(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 302
    for message in _messages(client):
        assert "type the code" in message.lower(), message
        assert "case code" not in message.lower(), message
