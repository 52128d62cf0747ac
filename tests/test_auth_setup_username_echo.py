"""The one-time setup page withholds a refused username as the login page does: a PIN or a
password typed into the username field is not drawn back."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from webapp.auth.forms import USERNAME_COULD_BE_PASSWORD, USERNAME_LOOKED_LIKE_PIN

_USERNAME_INPUT = re.compile(r'<input[^>]*\bid="username"[^>]*>')
_USERNAME_ERROR = re.compile(r'<p class="error" id="username-error"[^>]*>(.*?)</p>', re.S)


def _setup(client: FlaskClient, username: str, confirm: str = "ett annat lösenord") -> str:
    """A refused setup: the two secrets differ unless told otherwise."""
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Öberg",
            "username": username,
            "kind": "password",
            "secret": "ett långt lösenord",
            "confirm": confirm,
        },
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _username_error(page: str) -> str:
    found = _USERNAME_ERROR.search(page)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _username_value(page: str) -> str | None:
    found = _USERNAME_INPUT.search(page)
    assert found, page
    value = re.search(r'\bvalue="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else None


def test_a_pin_typed_as_the_first_admins_username_is_not_shown_back(client: FlaskClient) -> None:
    page = _setup(client, " 582913 ")
    assert "582913" not in page
    assert _username_value(page) in (None, "")
    assert _username_error(page) == USERNAME_LOOKED_LIKE_PIN
    # The rest of what was typed is kept, and the refusal itself still told.
    assert 'value="Åsa Öberg"' in page
    assert "De två inmatningarna är inte lika." in page


@pytest.mark.parametrize("typed", ["Vinter 2026!", "lösenord-2026", "korrekt-hast-batteri-" * 4])
def test_what_no_username_can_be_is_not_shown_back_on_the_setup_page(
    client: FlaskClient, typed: str
) -> None:
    page = _setup(client, typed)
    assert html.escape(typed) not in page and typed not in page
    assert _username_value(page) in (None, "")
    assert _username_error(page) == " ".join(USERNAME_COULD_BE_PASSWORD.split())


def test_a_username_that_could_be_one_is_kept_on_a_refused_setup(client: FlaskClient) -> None:
    page = _setup(client, "asa.oberg")
    assert _username_value(page) == "asa.oberg"
    assert "visas inte igen" not in page
