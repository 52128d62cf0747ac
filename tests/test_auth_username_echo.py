"""A PIN or password typed into the username field is not drawn back onto the login page."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text, update

from webapp.extensions import db
from webapp.models import User

from .factories import DEFAULT_PIN

WRONG = "999999"
TYPED_PIN = "582913"
LOOKED_LIKE_PIN = (
    "Det du skrev i användarnamnet visas inte igen: det liknade en PIN-kod. "
    "Skriv ditt användarnamn."
)
COULD_BE_PASSWORD = "Det du skrev i användarnamnet visas inte igen"
GUESSER = {"REMOTE_ADDR": "10.0.0.66"}
_USERNAME_INPUT = re.compile(r'<input[^>]*\bid="username"[^>]*>')
_USERNAME_ERROR = re.compile(r'<p class="error" id="username-error"[^>]*>(.*?)</p>', re.S)


def _login(client: FlaskClient, username: str, secret: str, at: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"username": username, "secret": secret}, environ_base=at or {}
    )


def _username_input(page: str) -> str:
    found = _USERNAME_INPUT.search(page)
    assert found, page
    return found.group(0)


def _username_error(page: str) -> str:
    found = _USERNAME_ERROR.search(page)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _hidden(page: str, typed: str) -> None:
    """The typed text is nowhere on the page, and the field says why it is empty."""
    assert typed not in page
    assert 'value="' not in _username_input(page) or 'value=""' in _username_input(page)
    assert COULD_BE_PASSWORD in _username_error(page)


def test_a_pin_typed_as_the_username_is_not_shown_back(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    response = _login(client, TYPED_PIN, WRONG)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    _hidden(page, TYPED_PIN)
    assert _username_error(page) == LOOKED_LIKE_PIN
    # The refusal itself is still told beside the PIN field.
    assert "Fel användarnamn eller PIN-kod/lösenord." in page


def test_a_pin_typed_as_the_username_with_the_pin_field_empty_is_not_shown_back(
    client: FlaskClient, user_factory
) -> None:
    # The commonest slip: the PIN went into the first field and the second was left empty.
    user_factory(username="anna")
    page = _login(client, f" {TYPED_PIN} ", "").get_data(as_text=True)
    _hidden(page, TYPED_PIN)
    assert _username_error(page) == LOOKED_LIKE_PIN
    assert "Ange PIN-kod eller lösenord." in page


# A space or sign, a Swedish letter, and a passphrase longer than any username.
@pytest.mark.parametrize(
    "typed", ["Vinter 2026!", "Sommarsol#42", "lösenord-2026", "korrekt-hast-batteri-" * 4]
)
def test_what_no_username_can_be_is_not_shown_back(
    client: FlaskClient, user_factory, typed: str
) -> None:
    user_factory(username="anna")
    page = _login(client, typed, WRONG).get_data(as_text=True)
    assert html.escape(typed) not in page
    _hidden(page, typed)
    assert "Skriv ditt användarnamn." in _username_error(page)


def test_a_misspelt_username_is_still_shown_back(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    page = _login(client, "anan", WRONG).get_data(as_text=True)
    assert 'value="anan"' in _username_input(page)
    assert 'id="username-error"' not in page


@pytest.mark.parametrize("typed", ["åsa", "a b"])
def test_what_is_shorter_than_any_pin_or_password_is_shown_back(
    client: FlaskClient, user_factory, typed: str
) -> None:
    # No secret is shorter than a PIN's six digits: a mistyped name, its own error beside it.
    user_factory(username="anna")
    page = html.unescape(_login(client, typed, WRONG).get_data(as_text=True))
    assert f'value="{typed}"' in _username_input(page)
    assert COULD_BE_PASSWORD not in page


def _older_account_named(app: Flask, user_factory, username: str) -> None:  # type: ignore[no-untyped-def]
    """An account given its name before a PIN's shape was refused as a username."""
    user = user_factory(username="renamed")
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(username=username))
        db.session.commit()


def test_a_pin_shaped_username_reads_the_same_whether_or_not_someone_has_it(
    app: Flask, user_factory
) -> None:
    # Shown back only when it exists would tell a guesser which numbers are usernames.
    _older_account_named(app, user_factory, "70412388")
    real = _login(app.test_client(), "70412388", WRONG).get_data(as_text=True)
    made_up = _login(app.test_client(), "70412389", WRONG).get_data(as_text=True)
    _hidden(real, "70412388")
    _hidden(made_up, "70412389")
    # Each page's security token (signed data.timestamp.signature) is its own.
    token = re.compile(r'"[\w-]{20,}\.[\w-]+\.[\w-]+"')
    assert token.sub("", real) == token.sub("", made_up)


def test_an_older_pin_shaped_username_still_logs_in(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    _older_account_named(app, user_factory, "70412388")
    assert _login(client, "70412388", DEFAULT_PIN).status_code == 302


def test_the_lock_that_a_pin_typed_as_the_username_sets_does_not_show_it_back(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    pages = [_login(client, TYPED_PIN, WRONG).get_data(as_text=True) for _ in range(6)]
    # Counted as before: the fifth try locks, the sixth is told of the lock.
    assert "spärrat" not in pages[3] and "spärrat" in pages[4] and "spärrat" in pages[5]
    for page in pages:
        _hidden(page, TYPED_PIN)


def test_an_address_lock_does_not_show_back_a_pin_typed_as_the_username(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    for n in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"]):
        _login(client, f"namn{n}", WRONG, GUESSER)
    page = _login(client, TYPED_PIN, WRONG, GUESSER).get_data(as_text=True)
    assert "från den här enheten" in page
    _hidden(page, TYPED_PIN)


def test_no_refusal_shows_back_the_pin_typed_into_the_pin_field(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    pins = [f"7{n}3918" for n in range(6)]
    pages = [_login(client, "anna", pin).get_data(as_text=True) for pin in pins]
    for n in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"]):
        _login(client, f"namn{n}", WRONG, GUESSER)
    pins.append("7939184")
    pages.append(_login(client, "anna", pins[-1], GUESSER).get_data(as_text=True))
    assert "spärrat" in pages[5] and "från den här enheten" in pages[6]
    for pin, page in zip(pins, pages, strict=True):
        assert pin not in page


def test_a_pin_typed_as_the_username_is_kept_nowhere_on_any_refusal(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    for _ in range(6):
        _login(client, TYPED_PIN, WRONG)
    for n in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"]):
        _login(client, f"namn{n}", WRONG, GUESSER)
    _login(client, TYPED_PIN, WRONG, GUESSER)
    with app.app_context():
        connection = db.session.connection()
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                assert TYPED_PIN not in " ".join(str(v) for v in row), table


def test_the_message_is_in_english_on_an_english_page(client: FlaskClient, user_factory) -> None:
    user_factory(username="anna")
    client.post("/language", data={"lang": "en"})
    page = _login(client, TYPED_PIN, WRONG).get_data(as_text=True)
    assert TYPED_PIN not in page
    assert "looked like a PIN" in _username_error(page)


def test_a_refused_password_is_not_shown_back_and_the_name_is_kept(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    page = _login(client, "anna", "Vinter-Sol 2026!").get_data(as_text=True)
    assert "Vinter-Sol 2026" not in page
    assert 'value="anna"' in _username_input(page)
    secret_input = re.search(r'<input[^>]*name="secret"[^>]*>', page)
    assert secret_input is not None
    assert re.sub(r'value=""', "", secret_input.group(0)).count("value=") == 0
