"""Drafts follow their forms' roles: the server refuses what the page would not let a role do."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.access import rule_for
from webapp.draft_kinds import DRAFT_KINDS
from webapp.extensions import db
from webapp.models import Draft

from .routines_support import make_case

KEY = "roledraft-" + "r" * 16


def _report_draft(client: FlaskClient, case_id: int, text: str, seq: int = 1):
    return client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "report", "case_id": case_id, "seq": seq, "data": {"text": text}},
    )


def _drafts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Draft.id))) or 0


@pytest.mark.parametrize("role", ["radiographer", "secretary", "admin"])
def test_a_role_that_cannot_open_the_report_screen_cannot_store_a_report_draft(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    case_id = make_case(client, auth)
    auth.login(role)
    refused = _report_draft(client, case_id, "Ingen blödning.")
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "Din roll får inte fylla i det här formuläret."
    assert _drafts(app) == 0


def test_a_report_draft_is_read_back_only_by_a_role_that_may_continue_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    assert _report_draft(client, case_id, "Ingen blödning.").status_code == 200
    assert client.get(f"/api/drafts/{KEY}").get_json()["data"]["text"] == "Ingen blödning."
    auth.logout()
    auth.login("radiographer")
    refused = client.get(f"/api/drafts/{KEY}")
    assert refused.status_code == 403
    assert "Ingen blödning" not in refused.get_data(as_text=True)
    # Nor can the refused role write over it.
    assert _report_draft(client, case_id, "Ändrat.", seq=2).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Draft.data))["text"] == "Ingen blödning."


def test_a_secretary_keys_a_faxed_report_as_a_draft(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "fax_report", "case_id": case_id, "seq": 1, "data": {"text": "Faxat."}},
    )
    assert saved.status_code == 200 and saved.get_json()["state"] == "created"
    assert client.get(f"/api/drafts/{KEY}").status_code == 200


@pytest.mark.parametrize("kind", sorted(DRAFT_KINDS))
def test_each_draft_kind_allows_the_roles_of_the_page_that_continues_it(
    app: Flask, kind: str
) -> None:
    rule = rule_for(app.view_functions[DRAFT_KINDS[kind].endpoint])
    assert rule is not None
    assert set(DRAFT_KINDS[kind].roles) == rule.roles
