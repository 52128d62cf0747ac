"""A "changed only" PDF checklist says on its paper that it holds only the changes: read as the
incident's list, its few rows would pass for every case there is, and the rest go unticked."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExportBatch

from .factories import declare_incident, referral_data

SCOPE = "Bara ärenden ändrade sedan förra PDF-exporten"


def _text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _changes_after_a_whole_checklist(client: FlaskClient, auth: Any) -> tuple[int, bytes, bytes]:
    """Two cases printed on a whole checklist, a third made, then a changed-only checklist:
    (incident, whole, changes)."""
    auth.login("radiographer")
    incident = declare_incident(client, "om_ris")
    for n in range(2):
        client.post("/cases/new", data=referral_data(key_suffix=str(n)))
    auth.logout()
    auth.login("secretary")
    whole = client.get(f"/catchup/incidents/{incident}/export/pdf")
    assert whole.status_code == 200
    auth.logout()
    auth.login("radiographer")
    client.post("/cases/new", data=referral_data(key_suffix="ny"))
    auth.logout()
    auth.login("secretary")
    changes = client.get(f"/catchup/incidents/{incident}/export/pdf?changed=1")
    assert changes.status_code == 200
    return incident, whole.data, changes.data


def test_a_changed_only_checklist_says_it_holds_only_the_changes(
    client: FlaskClient, auth: Any
) -> None:
    _incident, whole, changes = _changes_after_a_whole_checklist(client, auth)
    assert SCOPE not in _text(whole)
    text = _text(changes)
    assert SCOPE in text
    assert re.search(r"1 av 3 ärenden", text), text


def test_a_changed_only_checklist_downloaded_again_still_says_so(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    incident, _whole, _changes = _changes_after_a_whole_checklist(client, auth)
    with app.app_context():
        last = db.session.scalars(select(ExportBatch.id).order_by(ExportBatch.id.desc())).first()
    again = client.get(f"/catchup/incidents/{incident}/exports/{last}")
    assert again.status_code == 200
    assert SCOPE in _text(again.data)
