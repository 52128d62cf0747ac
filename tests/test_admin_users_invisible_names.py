"""A staff member's name is what the audit log, the access log and a signed report show: a
character drawn as nothing (a zero-width space, a direction override pasted from a mail) is no
part of it, and a name of nothing else is no name."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.admin.staff_list import parse_staff_list
from webapp.extensions import db
from webapp.models import User

from .factories import hidden_value


def _name_of(app: Flask, username: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.username == username))


def _create(client: FlaskClient, name: str):
    return client.post(
        "/admin/users",
        data={
            "display_name": name,
            "username": "bo.lind",
            "role": "radiographer",
            "kind": "pin",
            "secret": "482913",
        },
    )


def test_a_name_of_only_a_zero_width_space_is_asked_for_and_the_username_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = _create(client, "\u200b")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Ange namn." in page
    assert 'value="bo.lind"' in page
    assert _name_of(app, "bo.lind") is None


def test_a_direction_override_and_a_zero_width_space_are_dropped_from_a_new_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    assert _create(client, "Bo\u202e Lind\u200b").status_code == 302
    assert _name_of(app, "bo.lind") == "Bo Lind"


def test_an_edit_drops_what_shows_as_nothing_from_the_name(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    auth.login("admin")
    person = user_factory(username="bo.lind", display_name="Bo Lind")
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    data = {
        "display_name": "\u2066Bo Lindén\u2069",
        "role": "radiographer",
        "is_active": "y",
        "kind": "pin",
        "secret": "",
        "base_state": hidden_value(page, "base_state"),
    }
    assert client.post(f"/admin/users/{person.id}", data=data).status_code == 302
    assert _name_of(app, "bo.lind") == "Bo Lindén"
    data["display_name"] = "\u200b\u200b"
    response = client.post(f"/admin/users/{person.id}", data=data)
    assert response.status_code == 400
    assert "Ange namn." in html.unescape(response.get_data(as_text=True))
    assert _name_of(app, "bo.lind") == "Bo Lindén"


def test_a_staff_list_line_named_only_by_a_zero_width_space_has_no_name() -> None:
    lines = parse_staff_list(
        "\u200b;bo.lind;ssk\nCe\u200bcilia Dahl;;ssk\n", taken=set(), existing_names={}
    )
    assert [p.template for p in lines[0].problems] == ["Ange namn."]
    assert lines[1].name == "Cecilia Dahl"
    assert lines[1].username == "cecilia.dahl"


def test_the_command_line_stores_a_name_without_what_shows_as_nothing(app: Flask, runner) -> None:
    result = runner.invoke(
        args=[
            "create-user",
            "bo.lind",
            "--role",
            "admin",
            "--pin",
            "482913",
            "--name",
            "Bo\u200b Lind",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _name_of(app, "bo.lind") == "Bo Lind"


def test_the_first_admin_named_only_by_a_zero_width_space_is_asked_for_a_name(
    app: Flask, client: FlaskClient
) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "\u200b",
            "username": "asa.oberg",
            "kind": "password",
            "secret": "ett långt lösenord",
            "confirm": "ett långt lösenord",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Ange ditt namn." in page
    assert 'value="asa.oberg"' in page
    assert _name_of(app, "asa.oberg") is None
