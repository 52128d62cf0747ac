"""What follows a case moved to another incident: its drafts, however a tablet saves them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webapp.incidents.close_drafts import unsent_drafts

from .test_cases_move import _moved


def test_a_draft_begun_on_a_page_from_before_the_move_holds_only_the_target(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _moved(client, auth)
    # The referral's edit page was opened before the move: its form names the drill.
    draft = {
        "kind": "referral_edit",
        "incident_id": drill,
        "case_id": case_id,
        "data": {"question": "Frågeställning ändras"},
        "label": "Ändring",
        "seq": 1,
    }
    assert client.put("/api/drafts/" + "m" * 20, json=draft).status_code == 200
    with app.app_context():
        assert [d.case_id for d in unsent_drafts(real)] == [case_id]
        assert unsent_drafts(drill) == []
