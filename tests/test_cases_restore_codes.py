"""Undoing a cancellation is refused while the case holds a code the configuration dropped."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import AuditEvent, Case

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


def _save_config(client: FlaskClient, auth, text: str) -> None:
    auth.login("admin")
    # A cancelled case does not count among the codes in use: the save goes through.
    assert client.post("/admin/site", data={"config_toml": text}).status_code == 302
    auth.logout()


def _cancelled(client: FlaskClient, auth, case_id: int) -> str:
    location = f"/cases/{case_id}"
    auth.login("radiographer")
    assert (
        client.post(
            location + "/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel ärende"}
        ).status_code
        == 302
    )
    auth.logout()
    return location


@pytest.mark.parametrize(
    ("replaced", "typed", "named"),
    [
        ('code = "akut"', 'code = "akut_ny"', "prioriteten akut"),
        ('code = "CT"\nname = "Datortomografi"', 'code = "DT"\nname = "Datortomografi"',
         "modaliteten CT"),
        ('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]', "rummet DT 1"),
        ('code = "CT-HJ"', 'code = "CT-HJ-NY"', "undersökningen CT-HJ"),
    ],
    ids=["priority", "modality", "room", "exam"],
)  # fmt: skip
def test_a_cancelled_case_whose_code_was_dropped_is_not_restored_and_says_which(
    app: Flask, client: FlaskClient, auth, case_id: int, replaced: str, typed: str, named: str
) -> None:
    location = _cancelled(client, auth, case_id)
    # Exams of a dropped modality go too, so the rest of the config stays valid.
    text = EXAMPLE.replace(replaced, typed, 1).replace('modality = "CT"', 'modality = "CR"')
    _save_config(client, auth, text)
    auth.login("radiographer")
    refused = client.post(location + "/restore", data={"reason": "Makulerade fel patient"})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert f"enhetens konfiguration saknar nu {named}" in page
    assert "Be en administratör lägga tillbaka koden" in page
    # The reason typed is kept for the next try.
    assert "Makulerade fel patient" in page
    with app.app_context():
        assert db.session.get(Case, case_id).status == "cancelled"
        restores = select(AuditEvent.id).where(AuditEvent.action == "case_restore")
        assert db.session.scalar(restores) is None
    auth.logout()
    # With the code back the cancellation is undone as before.
    _save_config(client, auth, EXAMPLE)
    auth.login("radiographer")
    assert client.post(location + "/restore", data={"reason": "Fel patient"}).status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).status == "exam_done"


def test_every_dropped_code_of_the_case_is_named_at_once(
    client: FlaskClient, auth, case_id: int
) -> None:
    location = _cancelled(client, auth, case_id)
    text = EXAMPLE.replace('code = "akut"', 'code = "akut_ny"', 1).replace(
        'rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]', 1
    )
    _save_config(client, auth, text)
    auth.login("radiographer")
    refused = client.post(location + "/restore", data={"reason": "Fel patient"})
    assert refused.status_code == 409
    assert "saknar nu prioriteten akut, rummet DT 1, som" in html.unescape(
        refused.get_data(as_text=True)
    )


def test_the_refusal_reads_in_english_for_an_english_user(
    client: FlaskClient, auth, case_id: int
) -> None:
    location = _cancelled(client, auth, case_id)
    _save_config(client, auth, EXAMPLE.replace('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]', 1))
    auth.login("radiographer")
    client.post("/language", data={"lang": "en", "next": "/"})
    refused = client.post(location + "/restore", data={"reason": "Wrong patient"})
    assert "the site configuration no longer has the room DT 1" in html.unescape(
        refused.get_data(as_text=True)
    )
