"""A site configuration save and the undoing of a cancellation at the same moment (PostgreSQL):
the code the save removes is either found in use by the restored case (the save is refused)
or refused to the restore, with the code named."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Site

from .dbsetup import using_postgres
from .factories import declare_incident, exam_data, referral_data
from .row_held import sent_while_stopped_before
from .test_site_config_codes_edits_race import WITHOUT_ROOM

pytestmark = pytest.mark.skipif(not using_postgres(), reason="SQLite runs the writes one at a time")


@pytest.fixture
def race(
    client: FlaskClient, auth, tablet_factory: Callable[..., FlaskClient]
) -> tuple[str, FlaskClient]:
    """A case documented in room DT 2 (the room the save removes) and cancelled; the
    radiographer logged in, and the admin's tablet."""
    auth.login("radiographer")
    declare_incident(client, "om_ris")
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(room="DT 2")).status_code == 302
    # Its images are in PACS: the cancel is confirmed as to be cleaned up there.
    cancel = {"reason": "Fel ärende", "confirm_ris_pacs": "y"}
    assert client.post(location + "/cancel", data=cancel).status_code == 302
    return location, tablet_factory("admin-anna", role="admin")


def _status(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Case.status)))


def test_a_save_while_a_case_holding_its_code_is_restored_is_refused(
    app: Flask, client: FlaskClient, race: tuple[str, FlaskClient]
) -> None:
    """The restore has checked its codes before the save checks the codes in use."""
    location, admin = race
    restored, saved = sent_while_stopped_before(
        app,
        re.compile(r'UPDATE "?case"? SET', re.I),
        lambda: client.post(location + "/restore", data={"reason": "Fel patient"}),
        lambda: admin.post("/admin/site", data={"config_toml": WITHOUT_ROOM}),
    )
    assert restored.status_code == 302
    assert saved.status_code == 400
    assert "rummet DT 2" in html.unescape(saved.get_data(as_text=True))
    assert _status(app) == "exam_done"
    with app.app_context():
        assert db.session.scalar(select(Site.config_toml)) != WITHOUT_ROOM


def test_a_restore_while_a_save_removes_its_code_is_refused_naming_it(
    app: Flask, client: FlaskClient, race: tuple[str, FlaskClient]
) -> None:
    """The save has checked the codes in use (the case still cancelled) before the restore
    reads the configuration."""
    location, admin = race
    saved, restored = sent_while_stopped_before(
        app,
        re.compile(r'UPDATE "?site"? SET', re.I),
        lambda: admin.post("/admin/site", data={"config_toml": WITHOUT_ROOM}),
        lambda: client.post(location + "/restore", data={"reason": "Fel patient"}),
    )
    assert saved.status_code == 302
    assert restored.status_code == 409
    assert "saknar nu rummet DT 2" in html.unescape(restored.get_data(as_text=True))
    assert _status(app) == "cancelled"
