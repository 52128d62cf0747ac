"""Every release of images made in an outage is written in the referral notes (remissanteckning)
in RIS, which is down then: the case's catch-up page gives the note to copy and the tick that
records it as entered (who, when, audited, undoable), the batch lists the notes not yet in RIS,
and the incident cannot end over one. A release made with RIS up (no outage open) is written
in RIS at once and tracked nowhere, as is one made in an outage whose scenario has RIS working
(test_release_note_ris_up)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, ImageRelease, Incident, utcnow

from .catchup_support import close_incident, incident_ended, waive
from .factories import audit_events, case_code
from .routines_support import make_case, release_data
from .test_catchup_double_tap import form_fields

TICK_LABEL = "Remissanteckning införd i RIS"
TASK = "Utlämnandet av bilder är inte infört i remissanteckningen i RIS"


def _release(client: FlaskClient, auth, case_id: int, **overrides: str) -> int:
    """A secretary releases the case's images (CD for pickup unless told otherwise); its id."""
    auth.logout()
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _released(client: FlaskClient, auth, scenario: str = "om_ris") -> tuple[int, int, int]:
    """A definitively reported case of an open outage (by default one with RIS down), its
    images released; (incident, case, release), the secretary logged in."""
    case_id = make_case(client, auth, report="definitive", scenario=scenario)
    release_id = _release(client, auth, case_id)
    with client.application.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    return incident_id, case_id, release_id


def _note(app: Flask, release_id: int) -> str:
    with app.app_context():
        return db.session.get(ImageRelease, release_id).referral_note


def _tick_form(client: FlaskClient, case_id: int, release_id: int) -> dict[str, str]:
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    return form_fields(page, f"/catchup/releases/{release_id}/ris-note")


def _tick(client: FlaskClient, case_id: int, release_id: int, **fields: str):  # type: ignore[no-untyped-def]
    data = _tick_form(client, case_id, release_id) | fields
    return client.post(f"/catchup/releases/{release_id}/ris-note", data=data)


def _reconciled(client: FlaskClient, auth, case_id: int) -> None:
    """The case waived (confirmed by a second secretary): reconciled; a secretary logged in."""
    auth.logout()
    waive(client, auth, case_id, "Inlagd i RIS direkt")


def _close(client: FlaskClient, auth, incident_id: int) -> str:
    """The admin closes the incident, its systems marked working again and its follow-up made
    (the scenarios with RIS down have one); the page shown after, a secretary logged in."""
    auth.logout()
    auth.login("admin")
    client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    ticked = client.post(
        f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
    )
    assert ticked.status_code < 500
    page = close_incident(client, auth, incident_id, confirm_unfaxed="y", confirm_unidentified="y")
    auth.logout()
    auth.login("secretary")
    return html.unescape(page)


def test_the_case_catch_up_page_shows_the_note_to_copy_and_the_tick(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert _note(app, release_id) in section and "copy-btn" in section
    assert TICK_LABEL in section and "Ej gjort" in section


def test_an_outage_release_holds_the_close_until_its_note_is_recorded_in_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _released(client, auth)
    _reconciled(client, auth, case_id)
    page = _close(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    error = page.split('id="close-error"', 1)[1].split("</div>", 1)[0]
    assert case_code(app, case_id) in error
    assert f'href="/catchup/cases/{case_id}#release-notes"' in error
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    tasks = batch.split('id="open-tasks"', 1)[1].split("</ul>", 1)[0]
    # Named by the code, the patient's name and number, like every other task.
    assert case_code(app, case_id) in tasks and TASK in tasks
    assert "Örjan Älvström" in tasks and "19121212-1212" in tasks
    assert _tick(client, case_id, release_id).status_code == 302
    _close(client, auth, incident_id)
    assert incident_ended(app, incident_id)


def test_the_tick_records_who_and_when_and_is_audited(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _released(client, auth)
    response = _tick(client, case_id, release_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}#release-{release_id}")
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert "Klart" in section and "Testa Secretary Åström" in section
    [event] = audit_events(app, "release_ris_note")
    assert event.detail.startswith(f"#{release_id} ") and "införd" in event.detail
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert TASK not in batch


def test_a_tick_made_by_mistake_is_undone_and_holds_the_close_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _released(client, auth)
    _tick(client, case_id, release_id)
    assert _tick(client, case_id, release_id).status_code == 302  # the undo the page offers
    details = [e.detail for e in audit_events(app, "release_ris_note")]
    assert len(details) == 2 and "ångrad" in details[1]
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    assert "Ej gjort" in page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    _reconciled(client, auth, case_id)
    _close(client, auth, incident_id)
    assert not incident_ended(app, incident_id)


def test_the_same_tick_sent_twice_is_one_tick(app: Flask, client: FlaskClient, auth) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    data = _tick_form(client, case_id, release_id)
    url = f"/catchup/releases/{release_id}/ris-note"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(audit_events(app, "release_ris_note")) == 1
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Klart" in page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_clinical_roles_cannot_record_the_note_on_the_server(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    data = _tick_form(client, case_id, release_id)
    auth.logout()
    auth.login(role)
    response = client.post(f"/catchup/releases/{release_id}/ris-note", data=data)
    assert response.status_code == 403
    assert audit_events(app, "release_ris_note") == []


def test_a_note_that_changed_since_the_tick_is_outstanding_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Handed over after the tick, the note gains the ID check: RIS is to hold that too."""
    incident_id, case_id, release_id = _released(client, auth)
    _tick(client, case_id, release_id)
    response = client.post(
        f"/routines/releases/{release_id}/handover", data={"patient_id_checked": "y"}
    )
    assert response.status_code == 302
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert "Remissanteckningen har ändrats sedan den fördes in i RIS" in batch
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert "Utlämnat till patienten" in section and "Ej gjort" in section
    assert _tick(client, case_id, release_id).status_code == 302
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    assert "ändrats sedan" not in batch


def test_a_tick_from_a_page_older_than_the_note_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident_id, case_id, release_id = _released(client, auth)
    data = _tick_form(client, case_id, release_id)
    client.post(f"/routines/releases/{release_id}/handover", data={"patient_id_checked": "y"})
    response = client.post(
        f"/catchup/releases/{release_id}/ris-note", data=data, follow_redirects=True
    )
    assert "Texten har ändrats sedan sidan visades" in html.unescape(
        response.get_data(as_text=True)
    )
    assert audit_events(app, "release_ris_note") == []


def test_the_batch_lists_the_notes_not_yet_in_ris(app: Flask, client: FlaskClient, auth) -> None:
    incident_id, case_id, release_id = _released(client, auth)
    url = f"/catchup/incidents/{incident_id}"
    page = html.unescape(client.get(url).get_data(as_text=True))
    section = page.split('id="release-notes-in-ris"', 1)[1].split("</section>", 1)[0]
    assert case_code(app, case_id) in section
    assert f'href="/catchup/cases/{case_id}#release-{release_id}"' in section
    _tick(client, case_id, release_id)
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert 'id="release-notes-in-ris"' not in page


def _exported(client: FlaskClient, incident_id: int, fmt: str) -> str:
    response = client.get(f"/catchup/incidents/{incident_id}/export/{fmt}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_exports_carry_every_note_of_the_case_in_order(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, first = _released(client, auth)
    second = _release(
        client,
        auth,
        case_id,
        recipient_kind="other_region_hospital",
        channel="iep",
        recipient_name="Storstad sjukhus",
    )
    notes = [_note(app, first), _note(app, second)]
    _tick(client, case_id, first)
    text = _exported(client, incident_id, "csv").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows[0], rows[1]
    assert header[-3:-1] == ["ungefärlig ålder (år)", "anteckningar undersökning"]
    assert header[-1] == "remissanteckningar utlämnande"
    assert row[-1] == "\n".join(notes)

    document = json.loads(_exported(client, incident_id, "json"))
    schema = json.loads((Path(__file__).parent.parent / "docs" / "batch-schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    [case] = document["cases"]
    assert [n["text"] for n in case["release_notes"]] == notes
    assert [n["in_ris"] for n in case["release_notes"]] == [True, False]
    assert case["release_notes"][0]["in_ris_by"] == "Testa Secretary Åström"

    bundle = json.loads(_exported(client, incident_id, "fhir"))
    [request] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    texts = [n["text"] for n in request["note"]]
    assert [t for t in texts if t.startswith("Remissanteckning, utlämnande:")] == [
        f"Remissanteckning, utlämnande: {n}" for n in notes
    ]


def test_a_release_with_no_outage_open_is_not_tracked(
    app: Flask, client: FlaskClient, auth
) -> None:
    """RIS is up: the note is written there at once, as the release's page says."""
    incident_id, case_id, first = _released(client, auth)
    _tick(client, case_id, first)
    _reconciled(client, auth, case_id)
    _close(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    later = _release(client, auth, case_id)
    with app.app_context():
        release = db.session.get(ImageRelease, later)
        assert release.incident_id == incident_id and not release.ris_note_due
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert f'id="release-{later}"' in section
    assert f"/catchup/releases/{later}/ris-note" not in section
    assert "skrivs in i RIS direkt" in section
    response = client.post(
        f"/catchup/releases/{later}/ris-note", data={"is_done": "1"}, follow_redirects=True
    )
    assert "skrivs in i RIS direkt" in html.unescape(response.get_data(as_text=True))
    assert len(audit_events(app, "release_ris_note")) == 1


def test_a_release_filed_under_a_new_outage_is_tracked_there(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, first = _released(client, auth)
    _tick(client, case_id, first)
    _reconciled(client, auth, case_id)
    _close(client, auth, incident_id)
    auth.logout()
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    later = _release(client, auth, case_id)
    with app.app_context():
        release = db.session.get(ImageRelease, later)
        new_incident = db.session.scalar(select(Incident.id).where(Incident.ended_at.is_(None)))
        assert release.incident_id == new_incident and release.ris_note_due
    assert new_incident != incident_id and release.created_at <= utcnow()
    batch = html.unescape(client.get(f"/catchup/incidents/{new_incident}").get_data(as_text=True))
    assert re.search(rf"{case_code(app, case_id)}.*{TASK}", batch)
