"""User administration: PINs, deactivation, roles, and that some admin always remains."""

from __future__ import annotations

import csv
import html
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.accounts import update_user
from webapp.extensions import db
from webapp.models import User

from .factories import DEFAULT_PIN

NEW_PIN = "735194"


def _edit(client: FlaskClient, user_id: int, **overrides: str) -> int:
    data = {"display_name": "Anna Ek", "role": "radiographer", "is_active": "y", "kind": "pin"}
    data.update(overrides)
    return client.post(f"/admin/users/{user_id}", data=data).status_code


def test_a_new_pin_from_the_admin_lets_a_locked_out_user_in(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    for _ in range(5):
        app.test_client().post("/login", data={"username": "anna", "secret": "999999"})
    auth.login("admin")
    assert _edit(client, anna.id, secret=NEW_PIN) == 302
    tablet_factory("anna", pin=NEW_PIN)


def _deactivate_anna(client: FlaskClient, auth, user_factory) -> None:
    """Anna is made, then deactivated by the admin (who stays logged in)."""
    anna = user_factory(username="anna")
    auth.login("admin")
    assert _edit(client, anna.id, is_active="") == 302


def test_a_deactivated_users_login_attempt_shows_in_the_access_log(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    _deactivate_anna(client, auth, user_factory)
    tablet = app.test_client()
    tablet.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    rows = client.get("/admin/audit.csv?username=anna&action=login_failed").get_data(as_text=True)
    assert "login_failed" in rows
    assert "inaktiv" in rows


def test_the_only_active_admin_cannot_be_demoted_or_deactivated(app: Flask, user_factory) -> None:
    admin = user_factory(role="admin", username="chef")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        for role, active in (("secretary", True), ("admin", False)):
            with pytest.raises(ValueError, match="administratör"):
                update_user(
                    admin.id,
                    display_name="Chef",
                    role=role,
                    is_active=active,
                    new_secret="",
                    kind="pin",
                    actor=actor,
                )
        assert db.session.scalar(select(User.role).where(User.id == admin.id)) == "admin"


def test_an_admin_may_demote_another_admin_while_one_remains(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    other = user_factory(role="admin", username="chef2")
    auth.login("admin")
    assert _edit(client, other.id, role="secretary") == 302
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.id == other.id)) == "secretary"


def _logged_in_tablet(tablet_factory, username: str) -> FlaskClient:
    tablet = tablet_factory(username)
    assert tablet.get("/incidents/").status_code == 200
    return tablet


def test_deactivating_a_user_ends_their_open_session(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet = _logged_in_tablet(tablet_factory, "anna")
    auth.login("admin")
    assert _edit(client, anna.id, is_active="") == 302
    response = tablet.get("/incidents/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    refused = tablet.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert refused.status_code == 200


def test_a_new_pin_ends_the_users_open_sessions(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet = _logged_in_tablet(tablet_factory, "anna")
    auth.login("admin")
    assert _edit(client, anna.id, secret=NEW_PIN) == 302
    assert tablet.get("/incidents/").status_code == 302
    old_pin = app.test_client().post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert old_pin.status_code == 200


def test_a_role_change_applies_to_an_open_session_at_once(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(role="radiologist", username="anna")
    tablet = _logged_in_tablet(tablet_factory, "anna")
    assert tablet.get("/reporting/templates").status_code == 200
    auth.login("admin")
    assert _edit(client, anna.id, role="radiographer") == 302
    assert tablet.get("/reporting/templates").status_code == 403


def test_user_changes_are_in_the_access_log_with_what_changed(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(role="radiologist", username="anna")
    auth.login("admin")
    created = client.post(
        "/admin/users",
        data={
            "display_name": "Bo Berg",
            "username": "bo",
            "role": "secretary",
            "kind": "pin",
            "secret": NEW_PIN,
        },
    )
    assert created.status_code == 302
    assert _edit(client, anna.id, role="radiographer", is_active="", secret=NEW_PIN) == 302
    log = client.get("/admin/audit.csv?username=test-admin").get_data(as_text=True)
    rows = {
        (r["händelse"], r["detalj"]) for r in csv.DictReader(io.StringIO(log[1:]), delimiter=";")
    }
    assert ("user_create", "bo (Sekreterare)") in rows
    assert (
        "user_change",
        "anna: namn Testa Radiologist Åström→Anna Ek, roll Radiolog→Röntgensjuksköterska, "
        "inaktiverad, ny PIN/lösenord",
    ) in rows


def test_a_name_change_is_logged_with_the_name_before_and_after(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    # Paper signed before the change names the user as they were: the log ties the two names.
    anna = user_factory(username="anna", display_name="Anna Ek")
    auth.login("admin")
    assert _edit(client, anna.id, display_name="Anna Berg") == 302
    log = client.get("/admin/audit.csv?action=user_change").get_data(as_text=True)
    details = [r["detalj"] for r in csv.DictReader(io.StringIO(log[1:]), delimiter=";")]
    assert "anna: namn Anna Ek→Anna Berg" in details


def test_editing_a_password_user_offers_a_new_password_with_a_letter_keyboard(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post(
        "/admin/users",
        data={
            "display_name": "Bo Berg",
            "username": "bo",
            "role": "secretary",
            "kind": "password",
            "secret": "lang-fras-for-bo",
        },
    )
    with app.app_context():
        bo_id = db.session.scalar(select(User.id).where(User.username == "bo"))
    page = client.get(f"/admin/users/{bo_id}").get_data(as_text=True)
    assert 'checked id="kind-1" name="kind" type="radio" value="password"' in page
    assert 'inputmode="text"' in page


@pytest.mark.parametrize(
    ("kind", "message"), [("pin", "Ange PIN-kod."), ("password", "Ange lösenord.")]
)
def test_a_new_user_without_a_secret_is_asked_for_the_kind_chosen(
    client: FlaskClient, auth, kind: str, message: str
) -> None:
    auth.login("admin")
    data = {"display_name": "Bo Berg", "username": "bo", "role": "secretary", "kind": kind}
    response = client.post("/admin/users", data={**data, "secret": ""})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert 'value="Bo Berg"' in page


def test_an_admin_is_sent_to_their_own_pin_page_instead_of_setting_it_here(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Set here, the PIN would log the admin out at once and be one to replace at the next login.
    admin = auth.login("admin")
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "display_name": "Chef",
            "role": "admin",
            "is_active": "y",
            "kind": "pin",
            "secret": NEW_PIN,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Byt PIN-kod eller lösenord" in page
    assert 'value="Chef"' in page
    assert client.get("/admin/users").status_code == 200
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert user.display_name != "Chef" and not user.secret_temporary


def test_a_deactivated_user_with_the_right_pin_is_told_the_account_is_inactive(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    _deactivate_anna(client, auth, user_factory)
    tablet = app.test_client()
    right = tablet.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert "Kontot är inaktiverat" in right.get_data(as_text=True)
    assert tablet.get("/incidents/").status_code == 302
    # A wrong PIN says no more than for anyone else.
    wrong = tablet.post("/login", data={"username": "anna", "secret": "999999"})
    page = wrong.get_data(as_text=True)
    assert "inaktiverat" not in page
    assert "Fel användarnamn eller PIN-kod/lösenord." in page


def test_guesses_at_a_deactivated_users_pin_are_limited_like_any_others(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    _deactivate_anna(client, auth, user_factory)
    tablet = app.test_client()
    for _ in range(5):
        tablet.post("/login", data={"username": "anna", "secret": "999999"})
    right = tablet.post("/login", data={"username": "anna", "secret": DEFAULT_PIN})
    assert "inaktiverat" not in right.get_data(as_text=True)
