"""A priority change from a reporting screen opened before someone else changed the case is
refused, not put over theirs: the case's version shown travels with the form."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import hidden_value

CHANGED = "Någon annan har ändrat ärendet sedan du öppnade sidan. Prioriteten är inte ändrad"


def _priority(app: Flask, case_id: int) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Case.priority).where(Case.id == case_id)))


def test_a_priority_change_from_a_screen_opened_before_anothers_change_is_refused(
    app: Flask, case_id: int, tablet_factory
) -> None:
    first = tablet_factory("rad-asa", role="radiologist")
    second = tablet_factory("rad-bo", role="radiologist")
    shown = hidden_value(first.get(f"/reporting/{case_id}").get_data(as_text=True), "case_version")
    assert shown == hidden_value(
        second.get(f"/reporting/{case_id}").get_data(as_text=True), "case_version"
    )
    url = f"/reporting/{case_id}/priority"
    done = first.post(url, data={"priority": "rutin", "reason": "Stabil", "case_version": shown})
    assert done.status_code == 302
    response = second.post(
        url, data={"priority": "inom_timmar", "reason": "Sjunkande Hb", "case_version": shown}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert CHANGED in page
    assert 'value="Sjunkande Hb"' in page  # the reason typed is kept
    assert _priority(app, case_id) == "rutin"
    with app.app_context():
        changes = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "priority_change")
        ).all()
        assert len(changes) == 1
    # The page refused now shows the version saved: sent again, the change is made.
    again = hidden_value(page, "case_version")
    assert again != shown
    response = second.post(
        url, data={"priority": "inom_timmar", "reason": "Sjunkande Hb", "case_version": again}
    )
    assert response.status_code == 302
    assert _priority(app, case_id) == "inom_timmar"


def test_a_priority_change_resent_with_another_reason_keeps_it_beside_the_choice(
    app: Flask, case_id: int, tablet_factory
) -> None:
    tablet = tablet_factory("rad-asa", role="radiologist")
    page = tablet.get(f"/reporting/{case_id}").get_data(as_text=True)
    panel = page[page.index('id="priority-change"') :]
    shown = {
        "form_key": hidden_value(panel, "form_key"),
        "case_version": hidden_value(panel, "case_version"),
    }
    url = f"/reporting/{case_id}/priority"
    assert tablet.post(url, data={"priority": "rutin", "reason": "Stabil", **shown}).status_code
    # The answer never reached the tablet; the reason is made clearer and sent again.
    again = {"priority": "rutin", "reason": "Stabil, Hb oförändrat", **shown}
    response = tablet.post(url, data=again)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Formuläret har redan skickats med annat innehåll" in page
    assert 'value="Stabil, Hb oförändrat"' in page
