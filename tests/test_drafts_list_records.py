"""Drafts of a record that is no case (a transfer's try, an outage's deviation number or log
note): every list of drafts names the record and, for a transfer with no case, its patient; one
whose form is no longer drawn (a closed transfer, a number recorded meanwhile) is only to read
and throw away; neither a try nor a number is on the close's or the late drafts' lists."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.close_drafts import drafts_at_close
from webapp.late_drafts import late_drafts
from webapp.models import Draft, ImageTransfer, Incident, utcnow

from .factories import DEFAULT_PIN, declare_incident
from .followup_support import seed_ended_incident
from .routines_support import transfer_data

TRY_KEY = "recordtry-" + "t" * 20
DEV_KEY = "recorddev-" + "d" * 20
NOTE = "Länkdatorn omstartad"
NUMBER = "AV-2026-4711"


def _transfer(app: Flask, client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    declare_incident(client)
    sent = client.post("/routines/transfers/new", data=transfer_data())
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(select(ImageTransfer.id)).all()[-1]


def _save_try(client: FlaskClient, transfer_id: int) -> None:
    data = {"route": "direct", "outcome": "failed", "note": NOTE, "transfer_id": str(transfer_id)}
    body = {"kind": "transfer_attempt", "seq": 1, "label": "", "data": data | {"form_key": TRY_KEY}}
    saved = client.put(f"/api/drafts/{TRY_KEY}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def _draft_id(app: Flask, key: str) -> int:
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == key))
        assert draft is not None
        return draft.id


def _row(page: str, draft_id: int, kind: str = "") -> str:
    """The drafts list's row of one draft: its discard form or read link names its id (or,
    kind: the only row of that kind's label)."""
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    return next(r for r in rows if (kind in r if kind else f"/drafts/{draft_id}" in r))


def _actions(client: FlaskClient, query: str) -> list[str]:
    text = client.get("/admin/audit.csv?" + query).get_data().decode("utf-8")
    return [row["händelse"] for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")]


def _login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
    assert response.status_code == 302


def _save_deviation(client: FlaskClient, incident_id: int) -> None:
    data = {"deviation_number": NUMBER, "incident_id": str(incident_id), "form_key": DEV_KEY}
    body = {"kind": "deviation", "seq": 1, "label": "", "incident_id": incident_id, "data": data}
    saved = client.put(f"/api/drafts/{DEV_KEY}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def test_a_try_on_a_transfer_with_no_case_is_listed_by_its_transfer_and_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    row = _row(client.get("/drafts").get_data(as_text=True), _draft_id(app, TRY_KEY))
    assert f"#{transfer_id}" in row
    assert "Grannby" in row
    assert "Tolvan Tolvansson" in row
    # Masked as every list of drafts masks a number; the transfer's page shows it whole.
    assert "19121212-****" in row
    assert "19121212-1212" not in row
    assert f"/routines/transfers/{transfer_id}?draft={TRY_KEY}" in row


def test_the_drafts_list_showing_a_transfers_patient_is_in_its_extract(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    client.get("/drafts")
    auth.logout()
    auth.login("admin")
    assert "drafts_view" in _actions(client, "patient=19121212-1212")


def test_a_try_draft_read_alone_names_the_transfers_patient_and_logs_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    page = client.get(f"/drafts/{_draft_id(app, TRY_KEY)}").get_data(as_text=True)
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert "Tolvan Tolvansson" in heading
    # As the transfer's page shows it to the same role.
    assert "19121212-1212" in heading
    auth.logout()
    auth.login("admin")
    assert "draft_view" in _actions(client, "patient=19121212-1212")


def test_a_try_on_a_closed_transfer_is_only_to_read_and_throw_away(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    data = {"close-status": "abandoned", "close-note": "Patienten fick en DVD med sig"}
    closed = client.post(f"/routines/transfers/{transfer_id}/close", data=data)
    assert closed.status_code == 302, closed.get_data(as_text=True)
    client.get(closed.headers["Location"])  # its flash said so already
    draft_id = _draft_id(app, TRY_KEY)
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id)
    assert "Överföringen är avslutad" in row
    assert "Försöket kan inte loggas" in row
    assert "?draft=" not in row
    assert f'href="/drafts/{draft_id}"' in row
    assert f"/drafts/{draft_id}/discard" in row
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "Försöket kan inte loggas" in page
    assert "?draft=" not in page
    assert NOTE in page


def test_a_deviation_draft_is_listed_by_its_incident(app: Flask, client: FlaskClient) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    _save_deviation(client, incident_id)
    draft_id = _draft_id(app, DEV_KEY)
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id)
    assert f"Driftstopp {incident_id}" in row
    assert "Beställningsverktyget eller RIS nere" in row
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert f"Driftstopp {incident_id}" in page.split("<h1>")[1].split("</h1>")[0]


def test_a_deviation_draft_whose_number_was_recorded_meanwhile_is_only_to_throw_away(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    _save_deviation(client, incident_id)
    # Recorded from another tablet (its own form key): this draft stays unsent.
    other = {"deviation_number": NUMBER, "form_key": "otherdev-" + "o" * 20}
    sent = client.post(f"/incidents/{incident_id}/followup/deviation", data=other)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    draft_id = _draft_id(app, DEV_KEY)
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id)
    assert "Avvikelsenumret är redan sparat" in row
    assert "?draft=" not in row
    assert f'href="/drafts/{draft_id}"' in row
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "Avvikelsenumret är redan sparat" in page
    assert "?draft=" not in page


def test_a_deviation_draft_is_read_only_by_the_followups_roles(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = seed_ended_incident(app).incident_id
    _login(client, "fu-sara")
    _save_deviation(client, incident_id)
    draft_id = _draft_id(app, DEV_KEY)
    client.post("/logout")
    _login(client, "fu-rtg")
    row = _row(client.get("/drafts").get_data(as_text=True), draft_id, "Avvikelsenummer")
    assert "?draft=" not in row
    assert f'href="/drafts/{draft_id}"' not in row
    assert "/discard" not in row
    assert client.get(f"/drafts/{draft_id}").status_code == 403


def test_neither_draft_holds_the_close_nor_is_a_late_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    with app.app_context():
        incident = db.session.scalars(select(Incident)).all()[-1]
        incident_id, site_id = incident.id, incident.site_id
    # Both opened during this incident: still sent after its end, so the close does not wait.
    _save_try(client, transfer_id)
    auth.logout()
    auth.login("admin")
    _save_deviation(client, incident_id)
    with app.app_context():
        drafts = db.session.scalars(select(Draft)).all()
        assert len(drafts) == 2
        for draft in drafts:
            draft.incident_id = incident_id
        db.session.commit()
        assert drafts_at_close(incident_id) == ([], [])
        db.session.get(Incident, incident_id).ended_at = utcnow()  # type: ignore[union-attr]
        db.session.commit()
    # Saved again after the end (a tablet back on the net): no late draft either.
    _save_deviation(client, incident_id)
    with app.app_context():
        assert late_drafts(site_id) == []
        assert late_drafts(site_id, incident_id) == []


def test_a_note_draft_of_an_incident_log_is_listed_by_its_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    incident_id = declare_incident(client)
    key = "recordnote-" + "n" * 20
    data = {"note": "Ringt IT, de kommer", "incident_id": str(incident_id), "form_key": key}
    body = {"kind": "incident_note", "seq": 1, "label": "", "incident_id": incident_id}
    saved = client.put(f"/api/drafts/{key}", json={**body, "data": data})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    row = _row(client.get("/drafts").get_data(as_text=True), _draft_id(app, key))
    assert f"Driftstopp {incident_id}" in row
    assert "Integrationsmotorn nere" in row
    assert "utan namn" not in row
    assert f"/incidents/{incident_id}?draft={key}" in row


def test_a_try_draft_thrown_away_is_in_the_transfers_patients_extract(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The drafts list named the transfer's patient beside its Släng: the discard is theirs too.
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    client.post(f"/drafts/{_draft_id(app, TRY_KEY)}/discard")
    auth.logout()
    auth.login("admin")
    assert "draft_discard" in _actions(client, "patient=19121212-1212")


def test_a_try_draft_fetched_by_a_tablet_is_in_the_transfers_patients_extract(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    _save_try(client, transfer_id)
    auth.logout()
    # Another tablet's page compares its own copy with the laptop's (draft-copies.js): the
    # answer is the text typed about this patient's transfer, as the draft's own page is.
    auth.login("secretary")
    fetched = client.get(f"/api/drafts/{TRY_KEY}")
    assert fetched.status_code == 200
    assert fetched.get_json()["data"]["note"] == NOTE
    auth.logout()
    auth.login("admin")
    assert "draft_view" in _actions(client, "patient=19121212-1212&username=test-secretary")
