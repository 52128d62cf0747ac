"""An admin sees where a user is logged in and can log them out everywhere."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import AuditEvent, Site, User, UserSession, utcnow

from .factories import DEFAULT_PIN, make_user


def test_the_admin_sees_each_login_and_ends_them_all(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna", display_name="Anna Ek")
    first, second = tablet_factory("anna"), tablet_factory("anna")
    auth.login("admin")
    assert "Inloggad på 2 enheter" in client.get("/admin/users").get_data(as_text=True)
    page = client.get(f"/admin/users/{anna.id}").get_data(as_text=True)
    assert page.count("127.0.0.1") == 2
    assert "Logga ut från alla enheter" in page
    response = client.post(f"/admin/users/{anna.id}/logins/end")
    assert response.status_code == 302
    assert "Anna Ek är utloggad på 2 enheter." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert first.get("/incidents/").status_code == 302
    assert second.get("/incidents/").status_code == 302
    page = client.get(f"/admin/users/{anna.id}").get_data(as_text=True)
    assert "Inte inloggad på någon enhet." in page
    assert client.get("/incidents/").status_code == 200  # the admin is still in
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "sessions_end")
        )
    assert detail == "anna: 2 inloggningar"


def test_an_admin_ending_their_own_logins_keeps_the_one_in_use(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    admin = auth.login("admin")
    other = tablet_factory("test-admin")
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "(den här enheten)" in page
    client.post(f"/admin/users/{admin.id}/logins/end")
    assert other.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_login_idle_past_the_timeout_is_not_listed(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet_factory("anna")
    with app.app_context():
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == anna.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=16))
        )
        db.session.commit()
    auth.login("admin")
    # Only the admin's own login is left.
    assert client.get("/admin/users").get_data(as_text=True).count("Inloggad på") == 1
    page = client.get(f"/admin/users/{anna.id}").get_data(as_text=True)
    assert "Inte inloggad på någon enhet." in page


def test_another_sites_user_cannot_be_logged_out(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    with app.app_context():
        other = Site(code="OTH", name="Annan", config_toml=db.session.get(Site, 1).config_toml)
        db.session.add(other)
        db.session.commit()
        stranger = make_user(username="stranger", site_id=other.id)
    tablet = tablet_factory("stranger")
    auth.login("admin")
    assert client.post(f"/admin/users/{stranger.id}/logins/end").status_code == 404
    assert tablet.get("/incidents/").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "stranger"))


def test_only_an_admin_may_log_others_out(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet = tablet_factory("anna")
    auth.login("radiologist")
    assert client.post(f"/admin/users/{anna.id}/logins/end").status_code == 403
    assert tablet.get("/incidents/").status_code == 200


def test_a_user_logged_out_by_an_admin_is_told_so_at_the_login_page(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet = tablet_factory("anna")
    auth.login("admin")
    client.post(f"/admin/users/{anna.id}/logins/end")
    response = tablet.get("/incidents/", follow_redirects=True)
    assert "En administratör har loggat ut dig. Logga in igen." in response.get_data(as_text=True)


def test_a_user_logged_out_by_their_pin_changed_elsewhere_is_told_so(
    app: Flask, client: FlaskClient, user_factory, tablet_factory
) -> None:
    user_factory(username="anna")
    tablet = tablet_factory("anna")
    other = tablet_factory("anna")
    new = "593817"
    changed = other.post(
        "/me/secret", data={"current": DEFAULT_PIN, "new": new, "confirm": new, "kind": "pin"}
    )
    assert changed.status_code == 302
    page = tablet.get("/incidents/", follow_redirects=True).get_data(as_text=True)
    assert "PIN-koden eller lösenordet byttes på en annan enhet" in page


def test_a_deactivated_users_tablet_says_the_account_is_deactivated(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    anna = user_factory(username="anna")
    tablet = tablet_factory("anna")
    auth.login("admin")
    client.post(
        f"/admin/users/{anna.id}",
        data={"display_name": "Anna", "role": "radiographer", "is_active": "", "kind": "pin"},
    )
    page = tablet.get("/incidents/", follow_redirects=True).get_data(as_text=True)
    assert "Kontot är inaktiverat" in page


def test_ending_logins_counts_only_the_logins_that_still_worked(
    app: Flask, client: FlaskClient, auth, user_factory, tablet_factory
) -> None:
    # Tablets left idle keep their rows until their next request: they were not logged in, and
    # the admin, shown one login, must not be told three were ended.
    anna = user_factory(username="anna", display_name="Anna Ek")
    tablet_factory("anna"), tablet_factory("anna")
    with app.app_context():
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == anna.id)
            .values(last_seen_at=utcnow() - timedelta(minutes=16))
        )
        db.session.commit()
    live = tablet_factory("anna")
    auth.login("admin")
    response = client.post(f"/admin/users/{anna.id}/logins/end")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anna Ek är utloggad på en enhet." in page
    assert live.get("/incidents/").status_code == 302
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "sessions_end")
        )
        assert detail == "anna: 1 inloggning"
        assert not db.session.scalars(
            select(UserSession).where(
                UserSession.user_id == anna.id, UserSession.revoked_at.is_(None)
            )
        ).all()
    response = client.post(f"/admin/users/{anna.id}/logins/end")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anna Ek var inte inloggad på någon enhet." in page
