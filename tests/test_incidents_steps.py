"""The routine's "Gör så här" steps on the incident page are ticked like its notifications."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.checklist_keys import STEP_PREFIX, text_key
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import IncidentLogEntry
from webapp.siteconfig import SiteConfigError, parse_site_config

from .catchup_support import with_page_lists
from .factories import audit_events, declare_incident

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
# The integration scenario's steps, as the example site lists them.
BOOK = "Boka patienten manuellt på modaliteten och skriv in tillfälligt ID."
FAX = "Remittenten skriver ut och faxar remissen (endast akuta)."
DOCUMENT = "Fyll i dokumentationen i appen och skicka bilderna till PACS."
INSERTED = "Ring modalitetens leverantör om modaliteten inte tar emot manuell bokning."
REMOVED_HEADING = "Avbockat men inte längre i rutinen"


def _key(text: str) -> str:
    return STEP_PREFIX + text_key(text)


def _tick(client: FlaskClient, incident_id: int, key: str, done: str = "1"):
    return client.post(f"/incidents/{incident_id}/steps", data={"step_key": key, "is_done": done})


def _page(client: FlaskClient, incident_id: int) -> str:
    return html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))


def _steps_panel(page: str) -> str:
    return page.split(">Gör så här</h2>", 1)[1].split('<section class="panel" id="calls">', 1)[0]


def _step_states(page: str) -> dict[str, bool]:
    """Each step shown with a tick, and whether it is shown as done."""
    found = re.findall(
        r'<li class="check-item( done)?">.*?<span class="tick-label">(.*?)</span>',
        _steps_panel(page),
        re.S,
    )
    return {label: bool(done) for done, label in found}


def _save(client: FlaskClient, auth, text: str) -> None:
    auth.login("admin")
    saved = client.post("/admin/site", data={"config_toml": text})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    auth.login("radiographer")


def test_every_step_of_the_routine_is_shown_as_a_tick_button(client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    page = _page(client, incident_id)
    for step in (FAX, BOOK, DOCUMENT):
        assert f'aria-pressed="false" data-step="{_key(step)}"' in page
    steps = list(_step_states(page))
    assert steps.index(FAX) < steps.index(BOOK) < steps.index(DOCUMENT)


def test_a_ticked_step_is_logged_and_shows_who_ticked_it_and_when(
    app: Flask, client: FlaskClient, auth
) -> None:
    info = auth.login()
    incident_id = declare_incident(client)
    response = _tick(client, incident_id, _key(BOOK))
    assert response.headers["Location"].endswith(f"/incidents/{incident_id}#steps")
    with app.app_context():
        entry = db.session.scalar(select(IncidentLogEntry))
        assert entry is not None
        assert (entry.step_key, entry.label, entry.user_id) == (_key(BOOK), BOOK, info.id)
        assert entry.is_done
    page = _page(client, incident_id)
    assert _step_states(page)[BOOK] is True and _step_states(page)[FAX] is False
    ticked = page.split(f'data-step="{_key(BOOK)}"', 1)[1].split("</button>", 1)[0]
    assert re.search(r"Klart \d\d:\d\d – ", ticked)
    assert "Testa Radiographer Åström" in ticked


def test_a_step_ticked_by_mistake_is_unticked_with_a_log_entry_of_its_own(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, _key(FAX))
    _tick(client, incident_id, _key(FAX), "0")
    with app.app_context():
        done = db.session.scalars(select(IncidentLogEntry.is_done).order_by(IncidentLogEntry.id))
        assert list(done) == [True, False]
    page = _page(client, incident_id)
    assert _step_states(page)[FAX] is False
    assert f'aria-pressed="false" data-step="{_key(FAX)}"' in page


def test_a_step_tick_is_audited_with_the_steps_text(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, _key(BOOK))
    _tick(client, incident_id, _key(BOOK), "0")
    events = audit_events(app, "incident_step")
    assert [e.incident_id for e in events] == [incident_id, incident_id]
    assert events[0].detail == f"{BOOK}: klar"
    assert events[1].detail == f"{BOOK}: ångrad"


def test_a_step_cannot_be_ticked_without_logging_in(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    incident_id = declare_incident(client)
    auth.logout()
    response = _tick(client, incident_id, _key(BOOK))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(IncidentLogEntry)) is None


def test_a_step_tick_stays_with_its_step_when_one_is_inserted_above(
    client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, _key(BOOK))
    _save(client, auth, EXAMPLE.replace(f'  "{BOOK}",\n', f'  "{INSERTED}",\n  "{BOOK}",\n', 1))
    states = _step_states(_page(client, incident_id))
    steps = list(states)
    assert steps.index(FAX) < steps.index(INSERTED) == steps.index(BOOK) - 1
    assert states[BOOK] is True
    assert states[INSERTED] is False and states[FAX] is False


def test_a_step_ticked_and_then_removed_from_the_routine_is_shown_under_the_steps(
    client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    _tick(client, incident_id, _key(BOOK))
    _save(client, auth, EXAMPLE.replace(f'  "{BOOK}",\n', "", 1))
    page = _page(client, incident_id)
    assert BOOK not in _step_states(page)
    steps = _steps_panel(page)
    assert BOOK in steps.split(REMOVED_HEADING, 1)[1]
    # Once only: not again under the notifications.
    assert page.count(REMOVED_HEADING) == 1


def test_a_step_of_the_old_routine_is_to_be_done_again_after_a_changed_scenario(
    client: FlaskClient, auth
) -> None:
    # The scenarios share a step ("Utlåtanden faxas till remittenten."); the new routine's
    # steps start unticked, as its notifications do.
    shared = "Utlåtanden faxas till remittenten."
    auth.login()
    incident_id = declare_incident(client, "pacs")
    _tick(client, incident_id, _key(shared))
    assert _step_states(_page(client, incident_id))[shared] is True
    client.post(f"/incidents/{incident_id}/scenario", data={"scenario": "total"})
    assert _step_states(_page(client, incident_id))[shared] is False


def test_the_steps_of_an_ended_incident_cannot_be_ticked(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    incident_id = declare_incident(client)
    _tick(client, incident_id, _key(FAX))
    client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, {"confirm_unnotified": "y"}),
    )
    page = _page(client, incident_id)
    assert f'disabled aria-pressed="true" data-step="{_key(FAX)}"' in page
    assert f'disabled aria-pressed="false" data-step="{_key(BOOK)}"' in page
    _tick(client, incident_id, _key(BOOK))
    with app.app_context():
        assert (
            db.session.scalar(
                select(IncidentLogEntry.label).where(IncidentLogEntry.step_key == _key(BOOK))
            )
            is None
        )


def test_a_call_of_the_ring_nu_list_is_not_a_tick_the_page_accepts(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Calling IT is ticked as the notification "IT-support kontaktad"; no page posts a tick of
    # the contact itself, so such a key is refused as any unknown one is.
    auth.login()
    incident_id = declare_incident(client)
    page = _page(client, incident_id)
    assert 'data-step="call_' not in page
    _tick(client, incident_id, "call_it_support")
    with app.app_context():
        assert db.session.scalar(select(IncidentLogEntry)) is None
    # Only a page drawn from another routine posts a key the routine lacks: it is told so.
    assert "Rutinen har ändrats sedan sidan öppnades" in _page(client, incident_id)


def test_a_step_listed_twice_is_refused_and_a_stored_one_still_loads() -> None:
    # One key per text: a tick of either copy would show on both, and the page lists it once.
    step = "Registrera remissen i appen när den kommer."
    twice = EXAMPLE.replace(f'  "{step}",\n', f'  "{step}",\n  "{step}",\n', 1)
    assert twice != EXAMPLE
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(twice)
    assert f"punkten ”{step}” står två gånger" in str(refused.value)
    assert "steps" in str(refused.value)
    stored = parse_site_config(twice, strict=False)
    assert any(s.steps.count(step) == 2 for s in stored.scenarios.values())
