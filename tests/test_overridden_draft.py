"""A form sent knowingly over a newer copy of its draft (the refusal's "send this one anyway"):
the other tablet's text is named on the case page and readable, the reading logged."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Draft, utcnow

from .test_submit_older_copy_sweep import KEY, TABLET_A, TABLET_B, WORLDS, _form

B_TEXT = "Skrivet vidare på platta B: patienten fastande"


def _sent_anyway(app: Flask, client: FlaskClient, auth: Any, kind: str = "cancel") -> int:
    """A form of the kind (its text in "reason") sent from tablet A after tablet B typed on in
    its draft; the case's id."""
    world = WORLDS[kind](app, client, auth)
    action, fields = _form(client.get(world.page).get_data(as_text=True), kind)
    data = fields | {k: str(v) for k, v in world.typed.items()} | {"form_key": KEY}
    body: dict[str, Any] = {"kind": kind, "label": "x", "case_id": str(world.case_id)}
    for seq, writer, base, typed in ((4, TABLET_A, 0, data), (6, TABLET_B, 4, B_TEXT)):
        saved_data = typed if isinstance(typed, dict) else data | {"reason": typed}
        saved = client.put(
            f"/api/drafts/{KEY}",
            json={**body, "data": saved_data, "seq": seq, "writer": writer, "base": base},
        )
        assert saved.status_code == 200, saved.get_data(as_text=True)
    copy = {"draft_writer": TABLET_A, "draft_base": "4", "draft_seq": "4"}
    sent = client.post(action, data=data | copy | {"draft_send_anyway": "1"})
    assert sent.status_code == 302
    assert world.case_id is not None
    return world.case_id


def test_a_newer_text_sent_over_is_named_on_the_case_page_and_readable(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _sent_anyway(app, client, auth)
    with app.app_context():
        draft = db.session.scalars(select(Draft).where(Draft.form_key == KEY)).one()
        draft_id, name = draft.id, draft.user.display_name
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    notice = re.search(r'<p class="[^"]*overridden-draft[^"]*"[^>]*>(.*?)</p>', page, re.S)
    assert notice is not None
    assert name in notice.group(1)
    assert f'href="/drafts/{draft_id}"' in notice.group(1)

    read = client.get(f"/drafts/{draft_id}")
    assert read.status_code == 200
    text = html.unescape(read.get_data(as_text=True))
    assert B_TEXT in text
    assert "Fortsätt i formuläret" not in text  # read only: the form is sent
    with app.app_context():
        logged = db.session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "draft_view", AuditEvent.case_id == case_id
            )
        ).all()
    assert any(KEY in detail for detail in logged)


def test_a_text_sent_over_is_not_told_as_a_late_draft_once_its_incident_ended(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # Its form was sent and reconciled: the page must not ask to key the draft into RIS and
    # throw it away (there is no Släng on it), as it asks of a draft the close left behind.
    case_id = _sent_anyway(app, client, auth)
    with app.app_context():
        draft_id = db.session.scalars(select(Draft.id).where(Draft.form_key == KEY)).one()
        case = db.session.get(Case, case_id)
        assert case is not None
        case.incident.ended_at = utcnow()
        db.session.commit()
    text = html.unescape(client.get(f"/drafts/{draft_id}").get_data(as_text=True))
    assert B_TEXT in text
    assert "Nyare text som inte kom med" in text
    assert "finns inte med i avstämningen" not in text


def test_the_link_to_a_text_sent_over_is_offered_only_to_roles_that_may_read_it(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # A waiver's text is the secretaries' and admins': a radiographer on the case page is told
    # a newer text was sent over, but not led to a page that would refuse them.
    case_id = _sent_anyway(app, client, auth, "waiver")
    with app.app_context():
        draft_id = db.session.scalars(select(Draft.id).where(Draft.form_key == KEY)).one()
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/drafts/{draft_id}"' in page
    auth.login("radiographer")
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    notice = re.search(r'<p class="[^"]*overridden-draft[^"]*"[^>]*>(.*?)</p>', page, re.S)
    assert notice is not None
    assert f'href="/drafts/{draft_id}"' not in page
    assert client.get(f"/drafts/{draft_id}").status_code == 403
