"""A form or autosave refused for its security token after the login ended (CSRF on).

The user logged out in another tab, or was logged out: the refusal says so and leads through
the login back to the same form, opened anew with its draft, never to "reload" (which sends
the refused POST again).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .dbsetup import make_test_app
from .e2e.seed import seed_case
from .factories import DEFAULT_PIN

KEY = "k" * 32
PATIENT = "Örjan Älvström"


@pytest.fixture
def csrf_app(tmp_path: Path) -> Flask:
    app, teardown = make_test_app(tmp_path)
    yield app
    teardown()


@pytest.fixture
def case_id(csrf_app: Flask) -> int:
    return int(seed_case(csrf_app, sign="", patient_name=PATIENT)["case_id"])


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no csrf token on page"
    return match.group(1)


def _log_in(client: FlaskClient, next_page: str = "") -> str:
    """Log in as the seeded radiographer; returns where the login led."""
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login" + (f"?next={quote(next_page, safe='')}" if next_page else ""),
        data={"username": "seed-rsk", "secret": DEFAULT_PIN, "csrf_token": token},
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _log_out(client: FlaskClient) -> None:
    token = _token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def _open_form(client: FlaskClient, case_id: int) -> str:
    """The edit form's token, as a tab that opened it holds it."""
    page = client.get(f"/cases/{case_id}/referral")
    assert page.status_code == 200
    return _token(page.get_data(as_text=True))


def _save(client: FlaskClient, case_id: int, token: str, key: str = KEY) -> tuple[int, str]:
    response = client.post(
        f"/cases/{case_id}/referral",
        data={
            "csrf_token": token,
            "form_key": key,
            "history": "Waran.",
            "clinical_question": "Blödning?",
        },
    )
    return response.status_code, response.get_data(as_text=True)


def _links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def _login_next(page: str) -> str | None:
    """Where the page's login link returns to ("" for a login link without one)."""
    for link in _links(page):
        parts = urlsplit(link)
        if parts.path == "/login":
            return parse_qs(parts.query).get("next", [""])[0]
    return None


def test_a_save_after_logout_leads_through_the_login_back_to_the_form_with_its_draft(
    csrf_app: Flask, case_id: int
) -> None:
    client = csrf_app.test_client()
    _log_in(client)
    token = _open_form(client, case_id)
    _log_out(client)  # in the other tab

    status, page = _save(client, case_id, token)

    assert 400 <= status < 500
    assert "Du är utloggad" in page
    assert "Ladda om sidan" not in page
    form_page = f"/cases/{case_id}/referral?draft={KEY}"
    assert _login_next(page) == form_page
    assert "Logga in igen och fortsätt" in page
    # Nobody is logged in: the page names no patient.
    assert PATIENT not in page
    assert "Älvström" not in page

    # The link's login returns to the form by GET, with the draft's key.
    assert _log_in(client, form_page) == form_page
    form = client.get(form_page)
    assert form.status_code == 200
    assert f'value="{KEY}"' in form.get_data(as_text=True)


def test_a_save_with_a_token_a_new_login_made_old_leads_back_to_the_form(
    csrf_app: Flask, case_id: int
) -> None:
    client = csrf_app.test_client()
    _log_in(client)
    token = _open_form(client, case_id)
    _log_in(client)  # a new login in another tab gives the session a new token

    status, page = _save(client, case_id, token)

    assert status == 400
    assert "Du är utloggad" not in page
    assert f"/cases/{case_id}/referral?draft={KEY}" in _links(page)
    assert "Ladda om sidan" not in page


def test_a_save_after_the_idle_limit_counts_as_logged_out(csrf_app: Flask, case_id: int) -> None:
    from webapp.extensions import db
    from webapp.models import UserSession, utcnow

    client = csrf_app.test_client()
    _log_in(client)
    _open_form(client, case_id)
    with csrf_app.app_context():
        long_ago = utcnow() - timedelta(minutes=csrf_app.config["IDLE_TIMEOUT_MINUTES"] + 1)
        db.session.query(UserSession).update({"last_seen_at": long_ago})
        db.session.commit()

    status, page = _save(client, case_id, "stale-token")

    assert status == 400
    assert "Du är utloggad" in page


@pytest.mark.parametrize("key", ["", "../../x", "k" * 65, "a b", "%2F%2Fevil.example"])
def test_a_form_key_that_is_no_key_is_not_carried_to_the_login(
    csrf_app: Flask, case_id: int, key: str
) -> None:
    client = csrf_app.test_client()
    status, page = _save(client, case_id, "stale-token", key=key)
    assert status == 400
    assert _login_next(page) == f"/cases/{case_id}/referral"


def test_an_action_that_takes_only_post_leads_back_to_a_page_that_opens(
    csrf_app: Flask, case_id: int
) -> None:
    client = csrf_app.test_client()
    response = client.post("/logout", data={"csrf_token": "stale"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _login_next(page) in ("", "/")


def test_the_login_itself_without_a_token_is_refused_with_a_way_to_try_again(
    csrf_app: Flask, case_id: int
) -> None:
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "seed-rsk", "secret": DEFAULT_PIN})
    assert response.status_code == 400
    assert _login_next(response.get_data(as_text=True)) == ""


def test_an_autosave_after_logout_is_answered_as_logged_out(csrf_app: Flask, case_id: int) -> None:
    client = csrf_app.test_client()
    _log_in(client)
    token = _open_form(client, case_id)
    _log_out(client)

    response = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral_edit", "seq": 1, "case_id": case_id, "data": {"history": "x"}},
        headers={"X-CSRFToken": token},
    )

    # What drafts.js reads as "logged out", as any API call without a login is answered.
    assert response.status_code == 401
    assert response.get_json() == {"error": "login_required"}


def test_an_autosave_with_a_bad_token_while_logged_in_is_still_refused(
    csrf_app: Flask, case_id: int
) -> None:
    from webapp.extensions import db
    from webapp.models import Draft

    client = csrf_app.test_client()
    _log_in(client)
    _open_form(client, case_id)

    response = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral_edit", "seq": 1, "case_id": case_id, "data": {"history": "x"}},
        headers={"X-CSRFToken": "not-the-token"},
    )

    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.query(Draft).filter_by(form_key=KEY).count() == 0


@pytest.mark.parametrize(("kind", "query"), [("cancel", "&draft_kind=cancel"), ("<x>", "")])
def test_a_form_posted_to_an_address_without_a_page_leads_back_to_its_page_with_its_draft(
    csrf_app: Flask, case_id: int, kind: str, query: str
) -> None:
    client = csrf_app.test_client()
    response = client.post(
        f"/cases/{case_id}/cancel",
        data={"csrf_token": "stale", "form_key": KEY, "draft_kind": kind, "reason": "Dubblett"},
    )
    assert response.status_code == 400
    # The case page draws several autosaved forms: the kind says which one continues the key.
    assert _login_next(response.get_data(as_text=True)) == f"/cases/{case_id}?draft={KEY}{query}"
