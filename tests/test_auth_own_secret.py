"""A user changes their own PIN, and must after an admin chose it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.auth.lockout import locks_in_force
from webapp.extensions import db
from webapp.models import AuditEvent, User, UserSession, utcnow

from .factories import DEFAULT_PIN

NEW_PIN = "593817"


def _login(client: FlaskClient, username: str, secret: str) -> int:
    return client.post("/login", data={"username": username, "secret": secret}).status_code


def _change(client: FlaskClient, current: str, new: str, confirm: str | None = None, kind="pin"):
    return client.post(
        "/me/secret",
        data={
            "current": current,
            "new": new,
            "confirm": new if confirm is None else confirm,
            "kind": kind,
        },
    )


def _user(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def test_a_user_changes_their_pin_and_only_the_new_one_logs_in(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    assert _login(client, "anna", DEFAULT_PIN) == 302
    response = _change(client, DEFAULT_PIN, NEW_PIN)
    assert response.status_code == 302
    client.post("/logout")
    assert _login(client, "anna", DEFAULT_PIN) == 200
    assert _login(client, "anna", NEW_PIN) == 302
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "secret_change")
        ).all()
    assert actions == ["secret_change"]


def test_wrong_current_pin_is_refused_next_to_the_field_and_counts_toward_lockout(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    _login(client, "anna", DEFAULT_PIN)
    response = _change(client, "999999", NEW_PIN)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nuvarande PIN-kod eller lösenord stämmer inte." in page
    assert 'id="current-error"' in page
    for _ in range(4):
        _change(client, "999999", NEW_PIN)
    # Locked now: even the right current PIN is refused until the lock runs out.
    page = _change(client, DEFAULT_PIN, NEW_PIN).get_data(as_text=True)
    assert "spärrat" in page
    with app.app_context():
        anna = _user(app, "anna").id
        assert [lock.address for lock in locks_in_force(db.session(), [anna], utcnow())[anna]] == [
            "127.0.0.1"
        ]
    client.post("/logout")
    assert _login(client, "anna", DEFAULT_PIN) == 200
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == "secret_change_failed")
        ).all()
        locked = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "login_locked")
        ).all()
    assert len(failures) == 5
    # The refused change during the lock is in the access log too.
    assert "byte av PIN under spärrtid" in locked


def test_tries_at_the_change_page_under_the_lock_do_not_stop_the_tablet(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    """As at /login: a try under the account's lock is answered unchecked, so it is no guess
    at the tablet's count, and the next person on it still logs in."""
    user_factory(username="anna")
    user_factory(username="bertil")
    _login(client, "anna", DEFAULT_PIN)
    for _ in range(5):
        _change(client, "999999", NEW_PIN)
    for _ in range(app.config["LOCKOUT_ADDRESS_ATTEMPTS"]):
        page = _change(client, DEFAULT_PIN, NEW_PIN).get_data(as_text=True)
        assert "från den här enheten" not in page
        assert "Kontot är spärrat" in page
    assert _login(client, "bertil", DEFAULT_PIN) == 302


def test_weak_mismatched_or_unchanged_pins_are_refused_with_a_message(
    client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    _login(client, "anna", DEFAULT_PIN)
    page = _change(client, DEFAULT_PIN, "123456").get_data(as_text=True)
    assert "för lätt att gissa" in page
    page = _change(client, DEFAULT_PIN, NEW_PIN, confirm="593818").get_data(as_text=True)
    assert "De två inmatningarna är inte lika." in page
    page = _change(client, DEFAULT_PIN, DEFAULT_PIN).get_data(as_text=True)
    assert "Välj en annan än den du har nu." in page
    page = _change(client, DEFAULT_PIN, "kort", kind="password").get_data(as_text=True)
    assert "minst 10 tecken" in page
    # None of these changed anything.
    client.post("/logout")
    assert _login(client, "anna", DEFAULT_PIN) == 302


def test_a_change_ends_the_users_other_logins_but_not_this_one(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory(username="anna")
    other = app.test_client()
    assert _login(other, "anna", DEFAULT_PIN) == 302
    _login(client, "anna", DEFAULT_PIN)
    response = _change(client, DEFAULT_PIN, NEW_PIN)
    assert response.status_code == 302
    assert "Du loggades ut på en annan enhet." in client.get("/").get_data(as_text=True)
    assert client.get("/incidents/").status_code == 200
    assert other.get("/incidents/").status_code == 302
    with app.app_context():
        reasons = db.session.scalars(select(UserSession.revoked_reason)).all()
    assert sorted(r or "" for r in reasons) == ["", "secret_change"]


def test_a_pin_an_admin_chose_must_be_replaced_before_anything_else(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post(
        "/admin/users",
        data={
            "display_name": "Bo Berg",
            "username": "bo",
            "role": "radiographer",
            "kind": "pin",
            "secret": "482915",
        },
    )
    assert response.status_code == 302
    assert "Väljer egen PIN vid nästa inloggning" in client.get("/admin/users").get_data(
        as_text=True
    )
    auth.logout()
    assert _login(client, "bo", "482915") == 302
    for path in ("/", "/incidents/", "/cases/new"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/me/secret")
    api = client.get("/api/drafts/" + "k" * 20)
    assert api.status_code == 403 and api.get_json() == {"error": "secret_change_required"}
    page = client.get("/me/secret").get_data(as_text=True)
    assert "Din PIN-kod är satt av en administratör." in page
    assert 'inputmode="numeric"' in page
    assert _change(client, "482915", NEW_PIN).status_code == 302
    assert client.get("/incidents/").status_code == 200
    assert _user(app, "bo").secret_temporary is False


def test_a_new_pin_set_by_an_admin_is_temporary_again(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    user_factory(username="bo", role="radiographer")
    assert _user(app, "bo").secret_temporary is False
    auth.login("admin")
    bo = _user(app, "bo")
    response = client.post(
        f"/admin/users/{bo.id}",
        data={
            "display_name": bo.display_name,
            "role": "radiographer",
            "is_active": "y",
            "kind": "pin",
            "secret": "482915",
        },
    )
    assert response.status_code == 302
    assert _user(app, "bo").secret_temporary is True
    # An edit that leaves the PIN alone does not make it temporary.
    user_factory(username="cecilia", role="radiologist")
    cecilia = _user(app, "cecilia")
    client.post(
        f"/admin/users/{cecilia.id}",
        data={
            "display_name": "Cecilia Ny",
            "role": "radiologist",
            "is_active": "y",
            "kind": "pin",
            "secret": "",
        },
    )
    assert _user(app, "cecilia").secret_temporary is False


def test_the_first_administrator_chose_their_own_password(client: FlaskClient, app: Flask) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "Anna Admin",
            "username": "anna",
            "kind": "password",
            "secret": "lång-lösen-123",
            "confirm": "lång-lösen-123",
        },
    )
    assert response.status_code == 302
    assert _user(app, "anna").secret_temporary is False


def test_the_page_names_who_is_changing_and_is_linked_from_the_header(
    client: FlaskClient, auth
) -> None:
    auth.login("radiologist")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/me/secret"' in page
    page = client.get("/me/secret").get_data(as_text=True)
    assert "(test-radiologist)" in page
    assert "Din PIN-kod är satt av en administratör." not in page


def test_a_password_an_admin_chose_is_listed_as_a_password_to_replace(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post(
        "/admin/users",
        data={
            "display_name": "Bo Berg",
            "username": "bo",
            "role": "secretary",
            "kind": "password",
            "secret": "lång-hemlighet-42",
        },
    )
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Väljer eget lösenord vid nästa inloggning" in page
    assert "Väljer egen PIN" not in page
    auth.logout()
    assert _login(client, "bo", "lång-hemlighet-42") == 302
    page = client.get("/me/secret").get_data(as_text=True)
    assert "Ditt lösenord är satt av en administratör." in page
    assert "Din PIN-kod är satt" not in page
