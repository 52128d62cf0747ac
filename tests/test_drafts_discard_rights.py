"""Who may throw a draft away: its writer; another's only an admin, or a secretary where the
catch-up lists it (the close's unsent forms, the forms that came after the end)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ROLES, AuditEvent, Draft

from .catchup_support import reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import audit_events
from .test_drafts_late import REFERRAL_KEY, _draft_id, _ended, _late_referral
from .test_incidents_close_drafts import _exam_draft

KEY = "rights-transfer-" + "t" * 12
REFUSAL = "Utkastet skrevs av någon annan"


def _transfer_draft(tablet: FlaskClient, key: str = KEY) -> int:
    """An image transfer's form begun on the tablet: a draft of no incident, on no batch."""
    body = {
        "kind": "transfer",
        "seq": 1,
        "label": "Bildöverföring",
        "data": {"patient_name": "Tove Överföring", "patient_ref": "19121212-1212"},
    }
    response = tablet.put(f"/api/drafts/{key}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(db.session.scalar(select(Draft.id).where(Draft.form_key == key)) or 0)


def _is_done(draft_id: int) -> bool:
    db.session.expire_all()
    draft = db.session.get(Draft, draft_id)
    assert draft is not None
    return draft.is_done


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_throw_away_its_own_draft(
    app: Flask, tablet_factory: Any, role: str
) -> None:
    tablet = tablet_factory(f"own-{role}", role=role)
    with app.app_context():
        draft_id = _transfer_draft(tablet)
        assert tablet.post(f"/drafts/{draft_id}/discard").status_code == 302
        assert _is_done(draft_id)
        assert len(audit_events(app, "draft_discard")) == 1


@pytest.mark.parametrize("owner", ROLES)
@pytest.mark.parametrize("role", ROLES)
def test_another_users_draft_is_thrown_away_only_by_an_admin(
    app: Flask, tablet_factory: Any, owner: str, role: str
) -> None:
    writer = tablet_factory(f"writer-{owner}", role=owner)
    other = tablet_factory(f"other-{role}", role=role)
    with app.app_context():
        draft_id = _transfer_draft(writer)
        response = other.post(f"/drafts/{draft_id}/discard")
        if role == "admin":
            assert response.status_code == 302
            assert _is_done(draft_id)
            return
        assert response.status_code == 403
        assert REFUSAL in response.get_data(as_text=True)
        assert not _is_done(draft_id)
        assert audit_events(app, "draft_discard") == []
        refused = audit_events(app, "draft_discard_refused")
        assert [(r.action, r.detail) for r in refused] == [
            ("draft_discard_refused", "Bildöverföring: Bildöverföring")
        ]


def test_the_drafts_list_offers_slang_only_on_what_the_user_may_throw_away(
    app: Flask, tablet_factory: Any
) -> None:
    writer = tablet_factory("writer", role="radiographer")
    colleague = tablet_factory("colleague", role="radiographer")
    admin = tablet_factory("chief", role="admin")
    with app.app_context():
        foreign = _transfer_draft(writer)
        own = _transfer_draft(colleague, "rights-own-" + "o" * 16)
    page = colleague.get("/drafts").get_data(as_text=True)
    assert f'action="/drafts/{own}/discard"' in page
    assert f'action="/drafts/{foreign}/discard"' not in page
    page = admin.get("/drafts").get_data(as_text=True)
    assert f'action="/drafts/{own}/discard"' in page
    assert f'action="/drafts/{foreign}/discard"' in page


def test_a_refused_discard_of_a_case_draft_is_logged_against_its_case(
    app: Flask, client: FlaskClient, tablet_factory: Any, case_id: int
) -> None:
    writer = tablet_factory("writer", role="radiographer")
    body = {"kind": "exam", "case_id": case_id, "seq": 1, "label": "Dokumentation"}
    key = "rights-exam-" + "e" * 14
    assert writer.put(f"/api/drafts/{key}", json=body | {"data": {"notes": "x"}}).status_code == 200
    other = tablet_factory("radiologist", role="radiologist")
    with app.app_context():
        draft_id = int(db.session.scalar(select(Draft.id).where(Draft.form_key == key)) or 0)
    assert other.post(f"/drafts/{draft_id}/discard").status_code == 403
    with app.app_context():
        row = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "draft_discard_refused")
        )
        assert row is not None and row.case_id == case_id
        assert not _is_done(draft_id)


def test_a_secretary_throws_away_a_colleagues_draft_the_batch_lists(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    with app.app_context():
        draft_id = _exam_draft(client, auth, world["ids"][0])
    auth.login("secretary")
    batch = f"/catchup/incidents/{world['incident_id']}"
    assert f'action="/drafts/{draft_id}/discard"' in client.get(batch).get_data(as_text=True)
    # The same draft on the drafts list is its writer's: the secretary throws it away at the batch.
    assert f'action="/drafts/{draft_id}/discard"' not in client.get("/drafts").get_data(
        as_text=True
    )
    assert client.post(f"/drafts/{draft_id}/discard", data={"next": batch}).status_code == 302
    with app.app_context():
        assert _is_done(draft_id)


def test_a_secretary_may_not_throw_away_a_colleagues_draft_off_the_batch(
    app: Flask, tablet_factory: Any
) -> None:
    writer = tablet_factory("writer", role="radiographer")
    secretary = tablet_factory("sekr", role="secretary")
    with app.app_context():
        draft_id = _transfer_draft(writer)
    response = secretary.post(f"/drafts/{draft_id}/discard")
    assert response.status_code == 403
    with app.app_context():
        assert not _is_done(draft_id)


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_a_late_draft_of_a_colleague_is_neither_offered_nor_thrown_away_by_other_roles(
    app: Flask, client: FlaskClient, auth, world, role: str
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    draft_id = _draft_id(app, REFERRAL_KEY)
    auth.login(role, username=f"another-{role}")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert 'id="late-drafts"' in page
    assert f'action="/drafts/{draft_id}/discard"' not in page
    assert client.post(f"/drafts/{draft_id}/discard").status_code == 403
    with app.app_context():
        assert not _is_done(draft_id)
