"""Many users at once: a pasted list previewed, created all or none, PINs on slips shown once."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Submission, User

from .factories import hidden_value
from .printforms.conftest import pdf_text

STAFF = (
    "Namn;Användarnamn;Roll\nÅsa Öberg;;ssk\nBo Lind;bo.lind;radiolog\n\n"
    "Cecilia Dahl\t\tsekreterare\n"
)
MADE = {"asa.oberg": "radiographer", "bo.lind": "radiologist", "cecilia.dahl": "secretary"}


def _users(app: Flask) -> dict[str, str]:
    with app.app_context():
        return {u: r for u, r in db.session.execute(select(User.username, User.role))}


def _preview(client: FlaskClient, text: str = STAFF):
    return client.post("/admin/users/many", data={"staff": text})


def _confirm_data(client: FlaskClient, text: str = STAFF) -> dict[str, str]:
    page = _preview(client, text).get_data(as_text=True)
    return {
        "staff": text,
        "form_key": hidden_value(page, "form_key"),
        "plan": hidden_value(page, "plan"),
    }


def _create(client: FlaskClient, text: str = STAFF):
    return client.post("/admin/users/many/create", data=_confirm_data(client, text))


def _slips(client: FlaskClient, done_url: str):
    handle = done_url.rstrip("/").rsplit("/", 1)[-1]
    return client.post(f"/admin/users/many/{handle}/slips")


def _slip_pins(pdf: bytes) -> dict[str, str]:
    """Each username on the slips with the PIN printed under it."""
    text = " ".join(pdf_text(pdf).split())
    return dict(re.findall(r"Användarnamn: (\S+) Tillfällig PIN-kod: (\d{6})", text))


def test_the_users_page_offers_many_users_at_once(client: FlaskClient, auth) -> None:
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'href="/admin/users/many"' in page and "Lägg till flera användare" in page


def test_the_preview_shows_every_line_as_it_will_be_created_and_creates_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _preview(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for name, username, role in (
        ("Åsa Öberg", "asa.oberg", "Röntgensjuksköterska"),
        ("Bo Lind", "bo.lind", "Radiolog"),
        ("Cecilia Dahl", "cecilia.dahl", "Sekreterare"),
    ):
        row = re.search(rf"<tr>\s*<td>\d+</td>\s*<td[^>]*>{name}</td>(.*?)</tr>", page, re.S)
        assert row and username in row.group(1) and role in row.group(1), name
    assert "Skapa 3 användare" in page
    assert set(_users(app)) == {"test-admin"}


def test_each_lines_problem_is_shown_beside_it_and_the_text_is_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    text = (
        "Anna Ek;test-admin;ssk\nBo Lind;chef\n;cc;radiolog\nDan Berg;bo.lind;admin\n"
        "Bo Lind;bo.lind;ssk\n"
    )
    response = _preview(client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    rows = re.findall(r'<tr class="has-error">(.*?)</tr>', page, re.S)
    assert len(rows) == 4
    assert "Användarnamnet finns redan." in rows[0]
    assert "Okänd roll &#34;chef&#34;" in rows[1] or "Okänd roll &quot;chef&quot;" in rows[1]
    assert "Ange namn." in rows[2]
    assert "Användarnamnet står redan på rad 4." in rows[3]
    assert "Skapa " not in page and "Ingen användare skapas" in page
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)
    assert (
        textarea
        and "Bo Lind;chef" in textarea.group(1)
        and "Dan Berg;bo.lind;admin" in textarea.group(1)
    )


def test_a_confirm_with_a_problem_creates_none_of_the_list(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = _confirm_data(client)
    data["staff"] = STAFF + "Dan Berg;chef\n"
    response = client.post("/admin/users/many/create", data=data)
    assert response.status_code == 400
    assert set(_users(app)) == {"test-admin"}


def test_a_confirm_of_a_list_edited_after_its_preview_shows_it_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = _confirm_data(client)
    data["staff"] = STAFF.replace("radiolog", "admin")
    response = client.post("/admin/users/many/create", data=data)
    assert response.status_code == 409
    assert "Listan har ändrats sedan förhandsgranskningen" in response.get_data(as_text=True)
    assert set(_users(app)) == {"test-admin"}


def test_a_username_taken_since_the_preview_stops_the_whole_list(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    auth.login("admin")
    data = _confirm_data(client)
    user_factory(username="bo.lind")
    response = client.post("/admin/users/many/create", data=data)
    assert response.status_code == 400
    assert "Användarnamnet finns redan." in response.get_data(as_text=True)
    assert set(_users(app)) == {"test-admin", "bo.lind"}


def test_confirm_creates_every_user_with_the_audit_trail_and_offers_the_slips(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _create(client)
    assert response.status_code == 302
    assert {k: v for k, v in _users(app).items() if k != "test-admin"} == MADE
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "user_create")
        ).all()
        assert sorted(details) == [
            "asa.oberg (Röntgensjuksköterska)",
            "bo.lind (Radiolog)",
            "cecilia.dahl (Sekreterare)",
            "test-admin (Administratör)",
        ]
        assert all(db.session.scalars(select(User.secret_temporary).where(User.username.in_(MADE))))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 användare är skapade." in page and "Skriv ut PIN-lappar" in page
    assert "Åsa Öberg" in page and "cecilia.dahl" in page
    assert not re.search(r"\b\d{6}\b", page.replace(response.headers["Location"], ""))


def test_the_slips_hold_each_users_login_once_and_the_pin_is_stored_nowhere(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    done = _create(client).headers["Location"]
    first = _slips(client, done)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.headers["Cache-Control"] == "no-store"
    pins = _slip_pins(first.data)
    assert set(pins) == set(MADE)
    # The rule wraps beside the address's QR code.
    text = " ".join(pdf_text(first.data).split())
    assert "Åsa Öberg" in text and "Byt PIN-kod vid första inloggningen" in text
    # Fetched once: the copy is gone, and the page says the slips were shown.
    again = _slips(client, done)
    assert again.status_code == 302
    page = client.get(done).get_data(as_text=True)
    assert "visades en gång" in page and "Skriv ut PIN-lappar" not in page
    with app.app_context():
        prints = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "print")
        ).all()
        assert prints == ["PIN-lappar för 3 nya användare: asa.oberg, bo.lind, cecilia.dahl"]
        every_text = " ".join(
            str(value)
            for model in (AuditEvent, Submission, User)
            for row in db.session.execute(select(model.__table__)).all()
            for value in row
        )
    for pin in pins.values():
        assert pin not in every_text
        assert pin not in done


def test_each_new_user_logs_in_with_the_slips_pin_and_must_choose_their_own(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    pins = _slip_pins(_slips(client, _create(client).headers["Location"]).data)
    for username, pin in pins.items():
        tablet = app.test_client()
        response = tablet.post("/login", data={"username": username, "secret": pin})
        assert response.status_code == 302, username
        landed = tablet.get(response.headers["Location"], follow_redirects=True)
        assert landed.request.path == "/me/secret", username


def test_a_second_submit_of_the_form_creates_nothing_and_says_so(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = _confirm_data(client)
    first = client.post("/admin/users/many/create", data=data)
    assert first.status_code == 302
    client.get(first.headers["Location"])
    _slips(client, first.headers["Location"])
    with app.app_context():
        before = db.session.scalar(select(func.count(AuditEvent.id)))
    second = client.post("/admin/users/many/create", data=data, follow_redirects=True)
    page = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "Användarna var redan skapade" in page and "visades en gång" in page
    assert "ny PIN-kod" in page
    assert len(_users(app)) == 4
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_a_double_tap_before_the_slips_were_fetched_still_offers_them(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = _confirm_data(client)
    client.post("/admin/users/many/create", data=data)
    # The first tap's answer never reached the screen: the second's shows the slips.
    second = client.post("/admin/users/many/create", data=data, follow_redirects=True)
    page = second.get_data(as_text=True)
    assert "Användarna var redan skapade" in page and "Skriv ut PIN-lappar" in page


def test_another_admin_cannot_fetch_the_slips(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("admin")
    done = _create(client).headers["Location"]
    other = tablet_factory("chef2", role="admin")
    assert _slips(other, done).status_code == 302
    assert _slips(client, done).status_code == 200


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "secretary"])
def test_only_an_admin_may_add_many_users(app: Flask, client: FlaskClient, auth, role: str) -> None:
    auth.login(role)
    assert client.get("/admin/users/many").status_code == 403
    assert _preview(client).status_code == 403
    data = {"staff": STAFF, "form_key": "k" * 24, "plan": "x"}
    assert client.post("/admin/users/many/create", data=data).status_code == 403
    assert client.post("/admin/users/many/abc/slips").status_code == 403
    assert len(_users(app)) == 1


def test_a_list_with_one_username_taken_at_the_write_creates_none_of_it(
    app: Flask, user_factory
) -> None:
    from webapp.auth.bulk_accounts import NewPerson, UsernamesTaken, create_users

    admin = user_factory(role="admin", username="chef")
    user_factory(username="bo.lind")
    people = [
        NewPerson("Åsa Öberg", "asa.oberg", "radiographer"),
        NewPerson("Bo Lind", "bo.lind", "radiologist"),
    ]
    with app.app_context(), pytest.raises(UsernamesTaken, match=r"bo\.lind"):
        create_users(site_id=admin.site_id, people=people, actor=db.session.get(User, admin.id))
    assert set(_users(app)) == {"chef", "bo.lind"}


def test_the_preview_names_each_lines_problem_in_english_too(client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    page = _preview(client, "Anna Ek;chef\nAnna Ek;ssk\n").get_data(as_text=True)
    assert "Write e.g. ssk, radiolog, sekreterare or admin." in page
    assert "The same name is already on line 1." in page


@pytest.mark.sqlite_only
def test_slips_whose_print_the_disk_refused_can_be_fetched_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    from .test_storage_refused import MESSAGE, READ_ONLY, refusing_writes

    auth.login("admin")
    done = _create(client).headers["Location"]
    with refusing_writes(app, READ_ONLY):
        refused = _slips(client, done)
    assert refused.status_code == 503
    assert MESSAGE in refused.get_data(as_text=True)
    fetched = _slips(client, done)
    assert fetched.status_code == 200 and set(_slip_pins(fetched.data)) == set(MADE)
