"""A waiver's reason typed and never sent, on a case since reconciled: the drafts list shows it
to read and to throw away, saying the case is reconciled so the waiver is no longer needed, and
offers no way on to the catch-up page (which draws no waiver form for a reconciled case). Its
own page offers no "Fortsätt i formuläret" either. A waiver of a case still to key is continued
as before."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .catchup_support import reconcile_world
from .catchup_world_support import world as world  # the fixture

KEY = "waiverlist-" + "w" * 20
RECONCILED = "Ärendet är avstämt"
NOT_NEEDED = (
    "Ärendet är redan avstämt, så undantaget behövs inte längre: utkastet kan inte skickas."
)


def _typed_waiver(client: FlaskClient, case_id: int) -> int:
    """The logged-in secretary begins a waiver of the case (autosaved); the draft's id."""
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "waiver",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": KEY, "reason": "Registrerad direkt i RIS"},
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    assert draft_id is not None
    return int(draft_id)


def _row(page: str, draft_id: int) -> str:
    """The drafts list's row of the draft (its discard form names the draft's id)."""
    rows = [r for r in page.split("<tr>") if f"/drafts/{draft_id}/" in r]
    assert len(rows) == 1, page
    return rows[0].split("</tr>", 1)[0]


def test_a_waiver_draft_of_a_reconciled_case_is_listed_to_read_and_discard(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        draft_id = _typed_waiver(client, case_id)
    reconcile_world(client, auth, world)
    auth.login("secretary")
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id)
    assert RECONCILED in row and NOT_NEEDED in row
    assert f"/catchup/cases/{case_id}" not in row and "Fortsätt" not in row
    assert f'href="/drafts/{draft_id}"' in row and f"/drafts/{draft_id}/discard" in row


def test_a_waiver_draft_of_a_reconciled_case_reads_without_a_way_on_to_the_form(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        draft_id = _typed_waiver(client, case_id)
    reconcile_world(client, auth, world)
    auth.login("secretary")
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert NOT_NEEDED in page and "Registrerad direkt i RIS" in page
    assert "Fortsätt i formuläret" not in page and f"/catchup/cases/{case_id}?" not in page


def test_a_waiver_draft_of_a_case_still_to_key_is_continued(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    with app.app_context():
        draft_id = _typed_waiver(client, case_id)
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id)
    assert RECONCILED not in row and f"/catchup/cases/{case_id}?draft={KEY}" in row
