"""A double tap on check, waive, confirm or lift is one action: the second tap of the same form
is answered as the first (its success), while a conflicting action from another form is still
refused."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent

from .catchup_support import tick_all
from .catchup_world_support import _record, _status
from .catchup_world_support import world as world  # the fixture

REASON = "Registrerad direkt i RIS av röntgen"


@pytest.fixture
def sek2(user_factory) -> Any:
    return user_factory(role="secretary", username="sek2", display_name="Sixten Andersson")


def form_fields(page: str, action: str) -> dict[str, str]:
    """The inputs of the form posting to `action` on the page, as the browser sends them."""
    match = re.search(rf'<form[^>]*action="{re.escape(action)}[^"]*"[^>]*>(.*?)</form>', page, re.S)
    assert match is not None, f"no form posting to {action}"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", match.group(1)):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def _events(app: Flask, action: str, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.case_id == case_id)
        )


def _tap_twice(client: FlaskClient, url: str, data: dict[str, str]) -> str:
    """Post the same form twice; the page the second tap leads to."""
    first = client.post(url, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)
    second = client.post(url, data=data, follow_redirects=True)
    assert second.status_code == 200
    return second.get_data(as_text=True)


def _as(client: FlaskClient, auth, username: str) -> None:
    auth.logout()
    auth.login("secretary", username=username)


def _keyed(client: FlaskClient, auth, case_id: int) -> None:
    tick_all(client, case_id)
    _as(client, auth, "sek2")


def test_a_check_tapped_twice_is_registered_once_and_says_so(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][0]
    _keyed(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/verify"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert data.get("form_key")
    page = _tap_twice(client, url, data)
    assert "Kontrollen är registrerad." in page
    assert "redan kontrollerat" not in page
    assert _events(app, "catchup_verify", case_id) == 1
    assert _status(app, case_id) == "closed"


def test_a_check_from_another_page_of_a_checked_case_is_refused(
    app: Flask, client: FlaskClient, auth, world, sek2, user_factory
) -> None:
    case_id = world["ids"][0]
    _keyed(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/verify"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    user_factory(role="secretary", username="sek3")
    _as(client, auth, "sek3")
    other = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert other["form_key"] != data["form_key"]
    _as(client, auth, "sek2")
    assert client.post(url, data=data).status_code == 302
    _as(client, auth, "sek3")
    page = client.post(url, data=other, follow_redirects=True).get_data(as_text=True)
    assert "Ärendet är redan kontrollerat." in page
    assert _record(app, case_id).verified_by_id == sek2.id


def test_a_waiver_tapped_twice_is_made_once_and_says_so(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    url = f"/catchup/cases/{case_id}/waive"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert data.get("form_key")
    page = _tap_twice(client, url, {**data, "reason": REASON})
    assert "Undantaget är registrerat och väntar på att någon annan bekräftar det." in page
    assert "redan undantaget" not in page
    assert _events(app, "catchup_waive", case_id) == 1


def test_a_waiver_form_sent_again_with_another_reason_is_refused(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    url = f"/catchup/cases/{case_id}/waive"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert client.post(url, data={**data, "reason": REASON}).status_code == 302
    client.get(f"/catchup/cases/{case_id}")  # the first answer's message is read
    response = client.post(url, data={**data, "reason": "Fel patient"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Ärendet är redan undantaget med orsaken som skickades först." in page
    assert "Undantaget är registrerat" not in page
    assert _record(app, case_id).waive_reason == REASON
    assert _events(app, "catchup_waive", case_id) == 1


def test_a_waiver_from_another_page_of_a_waived_case_is_refused(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    url = f"/catchup/cases/{case_id}/waive"
    first = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    second = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert client.post(url, data={**first, "reason": REASON}).status_code == 302
    response = client.post(url, data={**second, "reason": "Fel patient"})
    assert response.status_code == 409
    assert "Ärendet är redan undantaget." in response.get_data(as_text=True)
    assert _record(app, case_id).waive_reason == REASON


def _waived(client: FlaskClient, auth, case_id: int) -> None:
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    assert response.status_code == 302
    _as(client, auth, "sek2")


def test_a_confirmation_tapped_twice_is_made_once_and_says_so(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waived(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/waive/confirm"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert data.get("form_key")
    page = _tap_twice(client, url, data)
    assert "Undantaget är bekräftat." in page
    assert "Undantaget gäller redan" not in page
    assert _events(app, "catchup_waive_confirm", case_id) == 1


def test_a_confirmation_from_another_page_of_a_confirmed_waiver_is_refused(
    app: Flask, client: FlaskClient, auth, world, sek2, user_factory
) -> None:
    case_id = world["ids"][1]
    _waived(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/waive/confirm"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    user_factory(role="secretary", username="sek3")
    _as(client, auth, "sek3")
    other = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    _as(client, auth, "sek2")
    assert client.post(url, data=data).status_code == 302
    _as(client, auth, "sek3")
    page = client.post(url, data=other, follow_redirects=True).get_data(as_text=True)
    assert "Undantaget gäller redan: ärendet är avstämt." in page
    assert _record(app, case_id).waiver_confirmed_by_id == sek2.id


def test_a_lift_tapped_twice_is_made_once_and_says_so(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waived(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/waive/lift"
    data = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert data.get("form_key")
    page = _tap_twice(client, url, data)
    assert "Undantaget är hävt: ärendet ska läggas in i RIS." in page
    assert "Ärendet är inte undantaget." not in page
    assert _events(app, "catchup_unwaive", case_id) == 1
    assert _record(app, case_id).waived_at is None


def test_a_lift_from_another_page_of_a_lifted_waiver_is_refused(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waived(client, auth, case_id)
    url = f"/catchup/cases/{case_id}/waive/lift"
    first = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    second = form_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), url)
    assert client.post(url, data=first).status_code == 302
    page = client.post(url, data=second, follow_redirects=True).get_data(as_text=True)
    assert "Ärendet är inte undantaget." in page
    assert _events(app, "catchup_unwaive", case_id) == 1
