"""What follows a case moved to another incident: its drafts, however a tablet saves them."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webapp.incidents.close_drafts import cancelled_case_drafts, unsent_drafts

from .factories import incident_of
from .test_cancel_forms_drafts import _form_of, _key_of
from .test_cases_move import _moved, drill_case_beside_outage

MOVE_KEY = "movefollow-" + "m" * 20


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


def _cancelled_drill_case_with_move_draft(client: FlaskClient, auth: Any) -> tuple[int, int]:
    """A drill's case cancelled, a move's reason typed for it and not sent: (case, real)."""
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    url = f"/cases/{case_id}"
    key = _key_of(_form_of(client.get(url).get_data(as_text=True), "cancel"))
    assert client.post(url + "/cancel", data={"reason": "Fel", "form_key": key}).status_code == 302
    draft = {
        "kind": "move",
        "case_id": case_id,
        "data": {"target": str(real), "reason": "Riktig patient"},
        "seq": 1,
    }
    assert client.put(f"/api/drafts/{MOVE_KEY}", json=draft).get_json()["state"] == "created"
    return case_id, real


def test_a_cancelled_cases_move_draft_is_continued_as_its_move_is_sent(
    client: FlaskClient, auth: Any
) -> None:
    # A cancelled case moves as a live one does (the page draws its move form): its move's
    # draft is no form that waits for the cancellation to be undone.
    case_id, _real = _cancelled_drill_case_with_move_draft(client, auth)
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert f"draft={MOVE_KEY}" in page
    assert "formuläret kan inte sparas förrän makuleringen ångras" not in page
    row = next(
        r for r in client.get("/drafts").get_data(as_text=True).split("<tr>") if MOVE_KEY in r
    )
    assert "kan inte sparas förrän makuleringen ångras" not in html.unescape(row)


def test_a_cancelled_cases_unsent_move_holds_the_close(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, _real = _cancelled_drill_case_with_move_draft(client, auth)
    with app.app_context():
        assert [d.form_key for d in unsent_drafts(incident_of(app, case_id))] == [MOVE_KEY]
        assert cancelled_case_drafts(incident_of(app, case_id)) == []
