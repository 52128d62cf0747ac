"""Where a login leads: back to the page that asked for it, if the new user may see it."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from .factories import DEFAULT_PIN, referral_data


def test_after_an_idle_logout_the_next_user_is_not_sent_to_a_page_of_another_role(
    client: FlaskClient, user_factory
) -> None:
    # The admin's session ended on the audit page; a radiographer logs in on that tablet.
    user_factory(username="anna", role="radiographer")
    response = client.post(
        "/login",
        query_string={"next": "/admin/audit?username=bo"},
        data={"username": "anna", "secret": DEFAULT_PIN},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get(response.headers["Location"]).status_code == 200


def test_after_login_the_user_returns_to_the_page_they_may_see(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna", role="radiographer")
    response = client.post(
        "/login",
        query_string={"next": "/incidents/?x=1"},
        data={"username": "anna", "secret": DEFAULT_PIN},
    )
    assert response.headers["Location"] == "/incidents/?x=1"


def test_after_login_a_next_address_that_is_no_page_goes_to_the_start_page(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna", role="radiographer")
    response = client.post(
        "/login",
        query_string={"next": "/no/such/page"},
        data={"username": "anna", "secret": DEFAULT_PIN},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "elsewhere", ["/\\evil.example", "//evil.example", "https://evil.example/", "\\\\evil.example"]
)
def test_switching_language_never_leads_off_the_laptop(client: FlaskClient, elsewhere: str) -> None:
    response = client.post("/language", data={"lang": "en", "next": elsewhere})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_switching_language_returns_to_the_page_it_was_asked_from(client: FlaskClient) -> None:
    response = client.post("/language", data={"lang": "en", "next": "/board/?all=1"})
    assert response.headers["Location"] == "/board/?all=1"


def _language_form_next(page: str) -> str:
    match = re.search(r'name="next" value="([^"]*)"', page)
    assert match is not None
    return html.unescape(match.group(1))


def test_switching_language_on_a_refused_form_lands_on_a_page_that_answers(
    client: FlaskClient, auth
) -> None:
    # The case page drawn again after a refused cancel is the answer to a POST-only address.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    case_url = client.post("/cases/new", data=referral_data()).headers["Location"]
    refused = client.post(case_url + "/cancel", data={"reason": ""})
    assert refused.status_code == 400
    response = client.post(
        "/language", data={"lang": "en", "next": _language_form_next(refused.get_data(True))}
    )
    assert response.headers["Location"] == case_url
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("refused", "lands"),
    [
        ("/catchup/cases/7/waive/confirm?x=1", "/catchup/cases/7"),
        ("/blanks/reserve", "/blanks/"),
        ("/logout", "/"),
    ],
)
def test_switching_language_from_a_post_only_address_goes_to_the_nearest_page_above(
    client: FlaskClient, refused: str, lands: str
) -> None:
    response = client.post("/language", data={"lang": "en", "next": refused})
    assert response.headers["Location"] == lands
