"""Every saved edit of the site configuration keeps the text it replaced, with who and when."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import RecordVersion, Site
from webapp.startup import prepare

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
OLD_FAX = 'fax = "0999-500 01"'
NEW_FAX = 'fax = "0999-500 09"'


def _save(client: FlaskClient, text: str) -> None:
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_saved_edit_keeps_the_text_it_replaced(app: Flask, client: FlaskClient, auth) -> None:
    admin = auth.login("admin")
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    with app.app_context():
        versions = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "site_config")
        ).all()
    assert len(versions) == 1
    assert versions[0].data["config_toml"] == EXAMPLE
    assert versions[0].changed_by_id == admin.id
    assert versions[0].version == 1


def test_each_save_is_a_new_version(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    _save(client, EXAMPLE)
    with app.app_context():
        numbers = db.session.scalars(
            select(RecordVersion.version)
            .where(RecordVersion.entity == "site_config")
            .order_by(RecordVersion.id)
        ).all()
    assert numbers == [1, 2]


def test_saving_the_same_text_makes_no_version(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    _save(client, EXAMPLE)
    with app.app_context():
        assert (
            db.session.scalars(
                select(RecordVersion).where(RecordVersion.entity == "site_config")
            ).all()
            == []
        )


def test_history_page_shows_what_changed_and_who_changed_it(client: FlaskClient, auth) -> None:
    auth.login("admin")
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    page = html.unescape(client.get("/admin/site/history").get_data(as_text=True))
    assert f"-{OLD_FAX}" in page
    assert f"+{NEW_FAX}" in page
    assert "test-admin" in page


def test_the_audit_log_names_the_changed_lines(client: FlaskClient, auth) -> None:
    auth.login("admin")
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    page = html.unescape(
        client.get("/admin/audit?action=site_config_change").get_data(as_text=True)
    )
    assert "EXS version 2" in page


def test_history_page_is_for_admins_only(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    assert client.get("/admin/site/history").status_code == 403


def test_a_file_edited_by_hand_and_read_at_start_up_keeps_the_text_it_replaced(
    app: Flask,
) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace(OLD_FAX, NEW_FAX, 1), encoding="utf-8")
    prepare(app)
    with app.app_context():
        version = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "site_config")
        ).one()
    assert version.data["config_toml"] == before
    assert version.changed_by_id is None
    assert str(path) in version.reason


def _base_of_page(client: FlaskClient) -> str:
    page = client.get("/admin/site").get_data(as_text=True)
    found = re.search(r'name="base_hash"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="base_hash"', page
    )
    assert found, "the page carries the version it was opened at"
    return found.group(1)


def test_a_save_from_a_page_opened_before_another_edit_does_not_undo_that_edit(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    stale_base = _base_of_page(client)
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))  # another admin's edit
    mine = EXAMPLE.replace('phone = "0999-100 00"', 'phone = "0999-100 07"', 1)
    response = client.post("/admin/site", data={"config_toml": mine, "base_hash": stale_base})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Konfigurationen har ändrats sedan du öppnade den" in page
    assert 'phone = "0999-100 07"' in page  # the typed text is kept
    with app.app_context():
        assert NEW_FAX in db.session.get(Site, 1).config_toml


def test_saving_again_after_the_warning_replaces_the_other_edit(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    stale_base = _base_of_page(client)
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    mine = EXAMPLE.replace('phone = "0999-100 00"', 'phone = "0999-100 07"', 1)
    refused = client.post("/admin/site", data={"config_toml": mine, "base_hash": stale_base})
    page = refused.get_data(as_text=True)
    new_base = re.search(r'name="base_hash"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="base_hash"', page
    )
    assert new_base and new_base.group(1) != stale_base
    response = client.post(
        "/admin/site", data={"config_toml": mine, "base_hash": new_base.group(1)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == mine


def test_a_save_from_an_up_to_date_page_is_stored(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    base = _base_of_page(client)
    edited = EXAMPLE.replace(OLD_FAX, NEW_FAX, 1)
    response = client.post("/admin/site", data={"config_toml": edited, "base_hash": base})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == edited


def test_a_save_from_a_browser_with_the_same_text_makes_no_version(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A browser sends a textarea's lines ended by CR LF.
    auth.login("admin")
    _save(client, EXAMPLE.replace("\n", "\r\n"))
    with app.app_context():
        versions = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "site_config")
        ).all()
        assert versions == []
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_an_earlier_version_is_put_back_through_the_editor(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    _save(client, EXAMPLE.replace(OLD_FAX, NEW_FAX, 1))
    history = client.get("/admin/site/history").get_data(as_text=True)
    assert "/admin/site?version=1" in history
    page = client.get("/admin/site?version=1")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "Version 1 är inlagd nedan men inte sparad" in text
    assert OLD_FAX in text and NEW_FAX not in text
    base = re.search(r'name="base_hash"[^>]*value="([0-9a-f]+)"', page.get_data(as_text=True))
    assert base
    response = client.post("/admin/site", data={"config_toml": EXAMPLE, "base_hash": base[1]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


@pytest.mark.parametrize("version", ["7", "0", "-1", "99999999999999999999999"])
def test_a_version_that_does_not_exist_is_not_found(
    client: FlaskClient, auth, version: str
) -> None:
    auth.login("admin")
    assert client.get(f"/admin/site?version={version}").status_code == 404
