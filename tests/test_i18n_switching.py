"""Switching the language: the login page, the start page, a service's refusal, the modality
prompt and an unknown patient read in English, and back in Swedish."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from webapp.i18n_en import EN

from .conftest import AuthActions
from .factories import unidentified_referral_data


def test_login_page_switches_to_english(
    client: FlaskClient, user_factory: Callable[..., Any]
) -> None:
    user_factory(role="admin", username="admin")  # with no users, /login leads to /setup
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Logga in" in page

    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302

    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Log in" in page
    assert "Logga in" not in page


def test_start_page_in_english_after_login(client: FlaskClient, auth: AuthActions) -> None:
    auth.login("admin")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Ny remiss" in page

    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert EN["Ny remiss"] in page
    assert EN["Driftstopp"] in page
    assert EN["Logga ut"] in page
    assert "Ny remiss" not in page

    client.post("/language", data={"lang": "sv", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Ny remiss" in page


def test_a_refusal_from_a_service_is_shown_in_english(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login("radiographer")
    client.post("/language", data={"lang": "en", "next": "/"})
    # The case's images are in PACS: the box confirms they will be cleaned up there.
    data = {"reason": "Dubblett", "confirm_ris_pacs": "y"}
    assert client.post(f"/cases/{case_id}/cancel", data=data).status_code == 302
    page = client.post(f"/cases/{case_id}/cancel", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert EN["Ärendet är redan makulerat."] in page
    assert "Ärendet är redan makulerat." not in page


def test_modality_prompt_follows_the_language(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login("radiographer")
    client.post("/language", data={"lang": "en", "next": "/"})
    for url in ("/cases/new", f"/cases/{case_id}/exam"):
        page = client.get(url).get_data(as_text=True)
        assert f'<option value="">{EN["Välj modalitet"]}</option>' in page, url
        assert "Välj modalitet" not in page, url
    client.post("/language", data={"lang": "sv", "next": "/"})
    assert '<option value="">Välj modalitet</option>' in client.get("/cases/new").get_data(
        as_text=True
    )


def _shown(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def test_unknown_patient_reads_in_english_on_the_board_and_the_reporting_list(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("radiologist")
    client.post("/incidents/new", data={"scenario": "integration"})
    unknown = unidentified_referral_data()
    assert client.post("/cases/new", data=unknown).status_code == 302
    # The rows keep the number in a span of its own (one line): read the text as shown.
    assert "Okänd · RES-0007" in _shown(client.get("/board/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "next": "/"})
    for url in ("/board/", "/reporting/"):
        page = _shown(client.get(url).get_data(as_text=True))
        assert "Unknown · RES-0007" in page, url
        assert "Okänd" not in page, url
