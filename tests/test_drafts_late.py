"""Forms that reach the laptop after their incident ended (a tablet offline during the close):
kept, logged, and shown to those who key everything into RIS, with a way to read each."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.late_drafts import late_drafts
from webapp.models import Draft, Incident

from .catchup_support import close_incident, incident_ended, new_case, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .clock_support import clock_set_back
from .factories import audit_events

REFERRAL_KEY = "late-referral-" + "r" * 12
REPORT_KEY = "late-report-" + "q" * 12
EXAM_KEY = "late-exam-" + "e" * 12
HEADING = "Utkast har kommit in efter att driftstoppet avslutades"
REFERRAL = {
    "id_mode": "pnr",
    "personal_number": "19121212-1212",
    "patient_name": "Sen Sendberg",
    "clinical_question": "Lungemboli?",
    "contrast_allergy": "no",
    "priority": "akut",
    "arrived_at": "2026-12-03T14:05",
    "arrived_at_utc": "2026-12-03T13:05:00+00:00",
}


def _put(client: FlaskClient, key: str, seq: int = 1, **body: Any) -> Any:
    response = client.put(f"/api/drafts/{key}", json={"seq": seq, "label": "", **body})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _ended(client: FlaskClient, auth, app: Flask, world: dict[str, Any]) -> int:
    """The world's incident reconciled and closed; nobody logged in. Returns the incident."""
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    auth.logout()
    return int(world["incident_id"])


def _late_referral(client: FlaskClient, auth, incident_id: int, **data: str) -> dict[str, Any]:
    """The radiographer's tablet, back on the network, sends the referral it kept offline."""
    auth.login("radiographer")
    answer = _put(
        client,
        REFERRAL_KEY,
        kind="referral",
        incident_id=incident_id,
        data=REFERRAL | data,
    )
    auth.logout()
    return dict(answer)


def _draft_id(app: Flask, key: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Draft.id).where(Draft.form_key == key)) or 0)


def _start_page(client: FlaskClient, auth, role: str) -> str:
    auth.logout()
    auth.login(role)
    return client.get("/").get_data(as_text=True)


def _panel(page: str) -> str:
    return page[page.index('id="late-drafts"') :].split("</section>", 1)[0]


def test_a_draft_arriving_after_the_end_is_kept_and_its_arrival_logged_once(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    assert _late_referral(client, auth, incident_id)["state"] == "created"
    auth.login("radiographer")
    assert (
        _put(client, REFERRAL_KEY, 2, kind="referral", incident_id=incident_id, data=REFERRAL)[
            "state"
        ]
        == "saved"
    )
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == REFERRAL_KEY))
        assert draft is not None and not draft.is_done
    (event,) = audit_events(app, "draft_after_end")
    assert event.incident_id == incident_id
    assert event.patient_ref == "191212121212"
    assert REFERRAL_KEY in event.detail


def test_a_save_after_the_end_tells_the_tablet_its_form_cannot_be_sent(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    answer = _late_referral(client, auth, incident_id)
    assert answer["state"] == "created" and answer["incident_ended"] is True
    # The same text again (its first answer lost on the way): still kept, still said.
    auth.login("radiographer")
    again = _put(client, REFERRAL_KEY, kind="referral", incident_id=incident_id, data=REFERRAL)
    assert again["state"] == "held" and again["incident_ended"] is True


def test_a_save_of_a_case_form_after_the_end_tells_the_tablet_so(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _ended(client, auth, app, world)
    auth.login("radiographer")
    answer = _put(
        client, EXAM_KEY, kind="exam", case_id=world["ids"][0], data={"notes": "Sent skrivet"}
    )
    assert answer["state"] == "created" and answer["incident_ended"] is True


def test_a_save_in_an_open_incident_says_nothing_of_an_end(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    assert _late_referral(client, auth, world["incident_id"])["incident_ended"] is False


def test_a_transfer_saved_after_the_end_is_not_called_unsendable(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A transfer request needs no open incident: its form can still be sent.
    incident_id = _ended(client, auth, app, world)
    auth.login("radiographer")
    answer = _put(
        client,
        "late-transfer-" + "t" * 12,
        kind="transfer",
        incident_id=incident_id,
        data={"patient_name": "Sen Sendberg"},
    )
    assert answer["state"] == "created" and answer["incident_ended"] is False
    # Nor logged as come too late: the access log would tell of a problem there is none of.
    assert audit_events(app, "draft_after_end") == []


@pytest.mark.parametrize("role", ["secretary", "admin"])
def test_the_start_page_of_secretaries_and_admins_warns_of_each_late_draft(
    app: Flask, client: FlaskClient, auth, world, role: str
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    draft_id = _draft_id(app, REFERRAL_KEY)
    page = _start_page(client, auth, role)
    panel = _panel(page)
    assert HEADING in panel
    assert "Sen Sendberg" in panel and "19121212-****" in panel
    assert "Testa Radiographer Åström" in panel
    assert "Senast sparat" in panel
    assert f'href="/drafts/{draft_id}?next=/"' in panel
    assert f'action="/drafts/{draft_id}/discard"' in panel
    # The list's row, and one naming the patient typed into the referral (it has no case).
    reads = audit_events(app, "late_drafts_view")
    assert {read.username for read in reads} == {f"test-{role}"}
    assert [read.patient_ref for read in reads if read.patient_ref] == ["191212121212"]


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_the_start_page_of_other_roles_shows_no_such_warning(
    app: Flask, client: FlaskClient, auth, world, role: str
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    assert HEADING not in _start_page(client, auth, role)


def test_the_ended_incidents_page_and_its_batch_warn_of_the_late_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    auth.login("secretary")
    incident_page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Sen Sendberg" in _panel(incident_page)
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Sen Sendberg" in _panel(batch)
    # Not as a form to send before closing: the incident is closed.
    assert 'id="unsent-drafts"' not in batch


def test_a_late_referral_is_read_under_its_forms_labels_and_the_read_is_logged(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    auth.login("secretary")
    page = client.get(f"/drafts/{_draft_id(app, REFERRAL_KEY)}").get_data(as_text=True)
    assert '<dt>Frågeställning</dt><dd class="typed">Lungemboli?</dd>' in page
    assert '<dt>Kontrastmedelsallergi</dt><dd class="typed">Nej</dd>' in page
    assert '<dt>Mottagen</dt><dd class="typed">2026-12-03 14:05</dd>' in page
    assert "arrived_at_utc" not in page
    assert "avslutades" in page and "För in uppgifterna direkt i RIS" in page
    # The form is not offered: a referral sent from it would land in another incident.
    assert "Fortsätt i formuläret" not in page
    (read,) = audit_events(app, "draft_view")
    assert read.patient_ref == "191212121212"


def test_a_late_report_is_named_to_a_secretary_but_read_by_a_radiologist(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _ended(client, auth, app, world)
    case_id = world["ids"][0]
    auth.login("radiologist")
    _put(
        client,
        REPORT_KEY,
        kind="report",
        case_id=case_id,
        data={"sections-0-heading": "Fynd", "sections-0-text": "Liten embolus höger."},
    )
    draft_id = _draft_id(app, REPORT_KEY)
    panel = _panel(_start_page(client, auth, "secretary"))
    assert world["codes"][0] in panel and "Örjan Älvström" in panel
    assert "Utlåtandet läses av en radiolog" in panel
    assert f'href="/drafts/{draft_id}' not in panel
    assert client.get(f"/drafts/{draft_id}").status_code == 403
    auth.logout()
    auth.login("radiologist")
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert '<dt>Fynd</dt><dd class="typed">Liten embolus höger.</dd>' in page


def test_the_drafts_list_offers_a_late_draft_to_read_not_to_continue(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    auth.login("radiographer")
    row = client.get("/drafts").get_data(as_text=True).split("<tbody>", 1)[1]
    assert "Driftstoppet är avslutat" in row
    assert f'href="/drafts/{_draft_id(app, REFERRAL_KEY)}"' in row
    assert f"/cases/new?draft={REFERRAL_KEY}" not in row


def test_a_late_draft_thrown_away_once_keyed_into_ris_leaves_the_warning(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    assert HEADING in _start_page(client, auth, "secretary")
    response = client.post(f"/drafts/{_draft_id(app, REFERRAL_KEY)}/discard", data={"next": "/"})
    assert response.headers["Location"] == "/"
    assert HEADING not in client.get("/").get_data(as_text=True)
    assert len(audit_events(app, "draft_discard")) == 1


def test_a_draft_of_an_open_incident_is_no_late_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _late_referral(client, auth, world["incident_id"])
    assert HEADING not in _start_page(client, auth, "secretary")
    assert audit_events(app, "draft_after_end") == []


def test_a_draft_the_close_showed_is_no_late_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A form of a cancelled case does not hold the close, which lists it; it was there before.
    case_id = new_case(client, auth, key_suffix="x", patient_name="Maja Makulerad")
    auth.login("radiographer")
    _put(client, EXAM_KEY, kind="exam", case_id=case_id, data={"notes": "Avbruten"})
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient vald"})
    auth.logout()
    incident_id = _ended(client, auth, app, world)
    assert HEADING not in _start_page(client, auth, "secretary")
    auth.logout()
    auth.login("secretary")
    assert HEADING not in client.get(f"/incidents/{incident_id}").get_data(as_text=True)


def test_a_transfer_saved_after_the_end_is_no_late_draft_and_still_continued(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A transfer needs no open incident: it is sent from its own form, not keyed into RIS.
    key = "late-transfer-" + "t" * 12
    incident_id = _ended(client, auth, app, world)
    auth.login("radiographer")
    _put(client, key, kind="transfer", incident_id=incident_id, data={"patient_name": "Tove Flytt"})
    row = client.get("/drafts").get_data(as_text=True).split("<tbody>", 1)[1]
    assert "Tove Flytt" in row or "Bildöverföring" in row
    assert "Driftstoppet är avslutat" not in row
    page = client.get(f"/drafts/{_draft_id(app, key)}").get_data(as_text=True)
    assert "avslutades" not in page and "Fortsätt i formuläret" in page
    assert HEADING not in _start_page(client, auth, "secretary")
    auth.logout()
    auth.login("secretary")
    assert HEADING not in client.get(f"/incidents/{incident_id}").get_data(as_text=True)


def test_a_draft_arriving_after_the_end_under_a_clock_set_back_is_still_a_late_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A time sync set the laptop's clock back after the close: the draft's save reads earlier
    # than the end. It came after all the same, as the close refused while any such one was
    # there.
    incident_id = _ended(client, auth, app, world)
    with clock_set_back(3):
        _late_referral(client, auth, incident_id)
    with app.app_context():
        draft = db.session.get(Draft, _draft_id(app, REFERRAL_KEY))
        ended_at = db.session.get(Incident, incident_id).ended_at
        assert draft is not None and draft.updated_at < ended_at
    assert HEADING in _panel(_start_page(client, auth, "secretary"))
    auth.logout()
    auth.login("secretary")
    assert HEADING in client.get(f"/incidents/{incident_id}").get_data(as_text=True)


def test_a_case_form_saved_after_the_end_under_a_clock_set_back_is_still_a_late_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _ended(client, auth, app, world)
    auth.login("radiographer")
    with clock_set_back(3):
        _put(client, EXAM_KEY, kind="exam", case_id=world["ids"][0], data={"notes": "Sent"})
    with app.app_context():
        assert [d.form_key for d in late_drafts(1)] == [EXAM_KEY]


NOTE_KEY = "late-note-" + "n" * 14
NOTE = "IT ringde: RIS uppe igen 14:00"


def _late_note(client: FlaskClient, auth, incident_id: int) -> None:
    """A note typed into the outage's log on a tablet offline at the close, sent once back."""
    auth.login("radiographer")
    data = {"note": NOTE, "incident_id": str(incident_id), "form_key": NOTE_KEY}
    _put(client, NOTE_KEY, kind="incident_note", incident_id=incident_id, data=data)
    auth.logout()


def _title(app: Flask, incident_id: int) -> str:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        return incident.title


def _wording(app: Flask, incident_id: int, text: str) -> str:
    """What the page says of its own, without the note or the outage's title (both may name
    RIS, as the world's does)."""
    return text.replace(NOTE, "").replace(_title(app, incident_id), "")


def test_a_late_note_is_named_by_its_outage_and_not_sent_to_ris(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A note of the outage's log goes into no RIS: it missed the log, which takes no note once
    # the outage has ended. Read, what matters is passed on by hand.
    incident_id = _ended(client, auth, app, world)
    _late_note(client, auth, incident_id)
    panel = _panel(_start_page(client, auth, "secretary"))
    assert HEADING in panel and "Anteckning i loggen" in panel
    assert "kom inte med i driftstoppets logg" in panel
    assert "för vidare för hand" in panel
    assert "RIS" not in _wording(app, incident_id, panel)
    # No patient to name: its outage is what names it.
    assert "Namn okänt" not in panel and _title(app, incident_id) in panel
    auth.logout()
    auth.login("secretary")
    incident_panel = _panel(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert "kom inte med i driftstoppets logg" in incident_panel
    assert "RIS" not in _wording(app, incident_id, incident_panel)
    assert "Namn okänt" not in incident_panel and _title(app, incident_id) in incident_panel


def test_a_late_note_beside_a_late_referral_gets_each_its_own_word(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_referral(client, auth, incident_id)
    _late_note(client, auth, incident_id)
    panel = _panel(_start_page(client, auth, "secretary"))
    assert "det som står i dem når inte RIS av sig självt" in panel
    assert "Så kommer det in i RIS" in panel
    assert "kom inte med i driftstoppets logg" in panel
    assert "Sen Sendberg" in panel and "Namn okänt" not in panel


def test_a_late_notes_own_page_and_row_say_it_missed_the_log_not_ris(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    incident_id = _ended(client, auth, app, world)
    _late_note(client, auth, incident_id)
    auth.login("radiographer")
    row = client.get("/drafts").get_data(as_text=True).split("<tbody>", 1)[1]
    assert "Driftstoppet är avslutat" in row and "kom inte med i driftstoppets logg" in row
    assert "RIS" not in _wording(app, incident_id, row)
    page = client.get(f"/drafts/{_draft_id(app, NOTE_KEY)}").get_data(as_text=True)
    alert = page.split('role="alert"', 1)[1].split("</p>", 1)[0]
    assert "kom inte med i driftstoppets logg" in alert
    assert "RIS" not in _wording(app, incident_id, alert)
