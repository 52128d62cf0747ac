"""An incident ends only when nothing is outstanding: no case, no RIS booking, no unsent form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.backup import list_backups
from webapp.catchup.closing import close_incident as close_service
from webapp.extensions import db
from webapp.incidents.close_checks import CloseConfirmations
from webapp.models import AuditEvent, CatchupTick, ExportBatch, Incident, User
from webapp.sites import site_config

from .catchup_support import (
    book,
    close_incident,
    fax_to_referrer,
    incident_ended,
    listed_now,
    new_case,
    reconcile_world,
    record_clean_up,
    tick_all,
    waive,
    with_page_lists,
)
from .catchup_world_support import _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, report_data, unidentified_referral_data


def _reconciled_with_a_patient_on_a_reserve_number(
    app: Flask, client: FlaskClient, auth, world
) -> str:
    """The world reconciled beside a third case, waived, whose patient has only a reserve
    number; its code."""
    case_id = new_case(client, auth, **unidentified_referral_data(key_suffix="u"))
    waive(client, auth, case_id, reason="Registrerad direkt i RIS")
    reconcile_world(client, auth, world)
    return case_code(app, case_id)


def test_a_case_already_booked_in_ris_is_not_cancelled_here(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = new_case(client, auth, key_suffix="c", patient_name="Tora Tresson")
    auth.login("secretary")
    book(client, case_id)
    auth.logout()
    auth.login("radiographer")
    page = client.post(
        f"/cases/{case_id}/cancel",
        data={"confirm_ris_pacs": "y", "reason": "Fel patient"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "redan bokat i RIS" in page
    assert _status(app, case_id) == "referral_received"
    # Once the booking is undone in RIS and the step unticked, the case can be cancelled.
    auth.logout()
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "0"})
    auth.logout()
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"})
    assert _status(app, case_id) == "cancelled"
    # Its accession stays saved: the booking undone in RIS is recorded as cleaned up there.
    auth.logout()
    auth.login("secretary")
    record_clean_up(client, case_id)
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_form_typed_but_never_sent_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiographer")
    draft = {
        "kind": "referral",
        "incident_id": world["incident_id"],
        "data": {"patient_name": "Greta Utkastsson"},
        "label": "Greta Utkastsson",
        "seq": 1,
    }
    assert client.put("/api/drafts/" + "u" * 20, json=draft).status_code == 200
    reconcile_world(client, auth, world)
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "Greta Utkastsson" in batch and "Ja, avsluta driftstoppet" not in batch
    page = close_incident(client, auth, world["incident_id"])
    assert "inte skickats" in page and "Greta Utkastsson" in page
    assert not incident_ended(app, world["incident_id"])
    # Thrown away on the drafts list, it no longer holds the incident open.
    with app.app_context():
        from webapp.models import Draft

        draft_id = db.session.scalar(select(Draft.id))
    client.post(f"/drafts/{draft_id}/discard")
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_report_draft_of_a_reconciled_case_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    auth.login("radiologist")
    first = world["ids"][0]
    draft = {"kind": "report", "case_id": first, "data": {"text": "Tillägg på gång"}, "seq": 1}
    assert client.put("/api/drafts/" + "r" * 20, json=draft).status_code == 200
    page = close_incident(client, auth, world["incident_id"])
    assert "inte skickats" in page and world["codes"][0] in page
    assert not incident_ended(app, world["incident_id"])


def test_a_patient_still_on_a_reserve_number_is_confirmed_before_the_end(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = _reconciled_with_a_patient_on_a_reserve_number(app, client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert "reservnummer" in page and code in page
    assert not incident_ended(app, world["incident_id"])
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert 'name="confirm_unidentified"' in batch and code in batch
    close_incident(client, auth, world["incident_id"], confirm_unidentified="y")
    assert incident_ended(app, world["incident_id"])
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "incident_end")
        )
    assert code in detail


@pytest.mark.sqlite_only  # the app backs up SQLite only; PostgreSQL is backed up with pg_dump
def test_closing_says_so_when_no_backup_could_be_taken(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    app.config["BACKUP_DIR"] = Path(app.config["DATA_DIR"]) / "usb-removed"
    reconcile_world(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    assert "Säkerhetskopian kunde inte tas" in page


@pytest.mark.sqlite_only  # the app backs up SQLite only; PostgreSQL is backed up with pg_dump
def test_a_final_batch_that_cannot_be_written_still_ends_with_a_backup_and_a_message(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    backups = Path(app.config["DATA_DIR"]) / "usb"
    backups.mkdir()
    app.config["BACKUP_DIR"] = backups
    (Path(app.config["DATA_DIR"]) / "exports").write_text("a file where the folder should be")
    reconcile_world(client, auth, world)
    auth.login("admin")
    response = client.post(
        f"/catchup/incidents/{world['incident_id']}/close",
        data=with_page_lists(client, world["incident_id"], {"confirm_unnotified": "y"}),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert incident_ended(app, world["incident_id"])
    assert "Den slutliga avstämningen kunde inte sparas" in response.get_data(as_text=True)
    assert list_backups(backups)


def test_a_preliminary_report_changed_but_not_signed_again_is_not_keyed(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]  # preliminary report
    book(client, second)
    auth.logout()
    auth.login("radiologist")
    edited = report_data("save", "s" * 20) | _shown(app, second, "report")
    edited["sections-1-text"] = "Misstänkt subduralhematom."
    assert client.post(f"/reporting/{second}", data=edited).status_code == 302
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "ändrats efter signeringen" in page
    response = client.post(
        f"/catchup/cases/{second}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y"},
        follow_redirects=True,
    )
    assert "ändrats efter signeringen" in response.get_data(as_text=True)
    with app.app_context():
        query = select(CatchupTick.step).where(CatchupTick.case_id == second)
        assert list(db.session.scalars(query)) == ["booked"]


def test_a_keyed_preliminary_report_changed_but_not_signed_again_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # Keyed into RIS as preliminary, then changed by the radiologist without a new signature:
    # the change is in no signed report, and after the end it could never reach RIS.
    first, second = world["ids"]
    reconcile_world(client, auth, world)
    auth.login("secretary")
    client.post(f"/catchup/cases/{second}/waive/lift")
    tick_all(client, second, confirm_preliminary="y")
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{second}/verify")
    assert _status(app, second) == "closed"
    auth.logout()
    auth.login("radiologist")
    edited = report_data("save", "unsigned-edit-" + "x" * 10) | _shown(app, second, "report")
    edited["sections-1-text"] = "Misstänkt subduralhematom."
    assert client.post(f"/reporting/{second}", data=edited).status_code == 302
    auth.logout()
    auth.login("admin")
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert world["codes"][1] in batch.split("Kvar att göra", 1)[1].split("Exportera", 1)[0]
    assert "Ja, avsluta driftstoppet" not in batch
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    # The case is named with its patient (name, number) before the message.
    assert re.search(
        rf"{world['codes'][1]} \([^,)]+, [0-9]{{8}}-[0-9]{{4}}\): Utlåtandet har ändrats", page
    )
    # Signed again, the case is back in the catch-up, keyed anew, and the incident can end.
    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "signed-again-" + "x" * 10) | _shown(app, second, "report")
    signed["sections-1-text"] = "Misstänkt subduralhematom."
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    tick_all(client, second)
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{second}/verify")
    fax_to_referrer(client, second)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    assert first


def test_a_patient_still_on_a_reserve_number_is_named_by_the_number_beside_the_code(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # No name: without the reserve number the code would be the only identifier on the page.
    code = _reconciled_with_a_patient_on_a_reserve_number(app, client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert f"{code} (Namn okänt, RES-0007)" in page
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    warning = batch.split("Patienter som fortfarande bara har reservnummer:", 1)[1]
    warning = warning.split("</p>", 1)[0]
    assert code in warning and "RES-0007" in warning and "Namn okänt" in warning


def test_a_final_batch_that_cannot_be_made_still_ends_with_a_backup_and_a_message(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    """A checklist that cannot be drawn fails after the incident has ended: the other files
    are kept, the backup is taken, and the admin is told instead of shown an error page."""
    reconcile_world(client, auth, world)
    admin = auth.login("admin")
    taken: list[bool] = []

    def broken_checklist(_cases: object, _withdrawn: object, _since: object) -> bytes:
        raise RuntimeError("too large on page 2")

    def backup() -> Path:
        taken.append(True)
        return Path("backup.db")

    with app.test_request_context():
        incident = db.session.get(Incident, world["incident_id"])
        closed = close_service(
            incident_id=incident.id,
            user=db.session.get(User, admin.id),
            config=site_config(incident.site),
            export_dir=Path(app.config["DATA_DIR"]) / "exports",
            pdf_renderer=broken_checklist,
            backup=backup,
            confirmed=CloseConfirmations(
                unfaxed=True,
                unnotified=True,
                shown=listed_now(incident.id, site_config(incident.site)),
            ),
        )
    assert incident_ended(app, world["incident_id"])
    assert closed.export_problem == "other"  # the drawing's own words go to the log
    assert [p.suffix for p in closed.files] == [".csv", ".json", ".json"]
    assert taken == [True] and closed.backup == Path("backup.db")


def test_a_final_file_that_cannot_be_written_is_not_recorded_as_exported(
    app: Flask, client: FlaskClient, auth, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A final file lost to a full disk was never exported: no export of it in the batch's
    list of exports nor in the access log, so nothing says it reached anyone."""
    from webapp.catchup import closing

    written = closing.write_atomically

    def disk_full_at_json(target: Path, content: str | bytes) -> None:
        if target.name.endswith(".json") and not target.name.endswith(".fhir.json"):
            raise OSError(28, "No space left on device")
        written(target, content)

    monkeypatch.setattr(closing, "write_atomically", disk_full_at_json)
    reconcile_world(client, auth, world)
    admin = auth.login("admin")
    with app.test_request_context():
        incident = db.session.get(Incident, world["incident_id"])
        closed = close_service(
            incident_id=incident.id,
            user=db.session.get(User, admin.id),
            config=site_config(incident.site),
            export_dir=Path(app.config["DATA_DIR"]) / "exports",
            pdf_renderer=None,
            confirmed=CloseConfirmations(
                unfaxed=True,
                unnotified=True,
                shown=listed_now(incident.id, site_config(incident.site)),
            ),
        )
    assert closed.export_problem == "full"
    assert [p.suffix for p in closed.files] == [".csv"]
    with app.app_context():
        recorded = db.session.scalars(select(ExportBatch.format).where(ExportBatch.is_final))
        assert list(recorded) == ["csv"]
        logged = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "export")
        ).all()
        assert logged == ["csv, 2 ärenden (slutlig)"]
