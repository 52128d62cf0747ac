"""'Changed only' exports: each starts where the previous export of its format read the cases."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import webapp.catchup.exporting as exporting
from webapp.catchup.ris_numbers import save_ris_ids
from webapp.extensions import db
from webapp.models import Case, ExportBatch, Incident, User, utcnow
from webapp.storage import update_by_key, write_transaction

from .catchup_support import book
from .export_support import export_now
from .factories import exam_data, local_minute, referral_data
from .printforms.conftest import pdf_text


@pytest.fixture
def batch(app: Flask, client: FlaskClient, auth) -> dict[str, Any]:
    """Two examined cases; logged in as secretary."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    patients = [
        {},
        {"patient_name": "Åsa Öberg", "personal_number": "19800101-0027", "pregnancy": "no"},
    ]
    for suffix, patient in zip("ab", patients, strict=True):
        location = client.post(
            "/cases/new", data=referral_data(key_suffix=suffix, **patient)
        ).headers["Location"]
        client.post(location + "/exam", data=exam_data(key_suffix=suffix))
    auth.logout()
    colleague = auth.login("secretary", username="sek2")
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        return {
            "incident_id": db.session.scalar(select(Incident.id)),
            "ids": [c.id for c in cases],
            "codes": [c.code for c in cases],
            "colleague_id": colleague.id,
        }


def _export(client: FlaskClient, batch: dict[str, Any], fmt: str, changed: bool = False) -> Any:
    query = "?changed=1" if changed else ""
    response = client.get(f"/catchup/incidents/{batch['incident_id']}/export/{fmt}{query}")
    assert response.status_code == 200
    return response


def _csv_codes(client: FlaskClient, batch: dict[str, Any]) -> list[str]:
    """The codes in a 'changed only' CSV export; none if nothing changed (no file is sent)."""
    url = f"/catchup/incidents/{batch['incident_id']}/export/csv?changed=1"
    response = client.get(url)
    if response.status_code == 302:
        return []
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]]


def _while_rendering(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run action after the next export has read its cases, before its batch row is written."""
    render = exporting.render_export

    def render_then_act(*args: Any, **kwargs: Any) -> bytes:
        content = render(*args, **kwargs)
        action()
        monkeypatch.setattr(exporting, "render_export", render)
        return content

    monkeypatch.setattr(exporting, "render_export", render_then_act)


def test_changed_only_export_has_only_cases_changed_since(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "json")
    book(client, batch["ids"][1])
    document = _export(client, batch, "json", changed=True).get_json()
    assert [c["code"] for c in document["cases"]] == [batch["codes"][1]]


def test_change_made_while_an_export_is_written_is_in_the_next_changed_only_export(
    client: FlaskClient, batch: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def colleague_saves_ris_numbers() -> None:
        save_ris_ids(
            case_id=batch["ids"][0],
            user=db.session.get(User, batch["colleague_id"]),
            accession="ACC-1",
            exam_number="U1",
            allow_duplicate=False,
        )

    _while_rendering(monkeypatch, colleague_saves_ris_numbers)
    _export(client, batch, "csv")
    assert _csv_codes(client, batch) == [batch["codes"][0]]


def test_write_in_progress_when_an_export_starts_is_in_that_export_or_the_next(
    app: Flask, client: FlaskClient, batch: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _export(client, batch, "csv")
    book(client, batch["ids"][0])
    stamped, committed = threading.Event(), threading.Event()

    def slow_write() -> None:
        with app.app_context(), write_transaction() as session:
            update_by_key(session, Case.__table__, batch["ids"][1], {"updated_at": utcnow()})
            stamped.set()
            # Commits once the export has read its cases, or after a while if it waits for it.
            committed.wait(3)

    writer = threading.Thread(target=slow_write)
    writer.start()
    assert stamped.wait(5)
    _while_rendering(monkeypatch, committed.set)
    first = export_now(
        app, batch["incident_id"], "csv", changed_only=True, system_base=None
    ).content.decode("utf-8-sig")
    writer.join()
    assert batch["codes"][1] in first + "".join(_csv_codes(client, batch))


def test_change_just_before_an_export_does_not_come_again_in_the_next_changes(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    book(client, batch["ids"][0])
    _export(client, batch, "csv")
    book(client, batch["ids"][1])
    assert _csv_codes(client, batch) == [batch["codes"][1]]


def test_printing_the_checklist_does_not_hide_a_change_from_the_csv_import(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "csv")
    book(client, batch["ids"][0])
    _export(client, batch, "pdf")
    assert _csv_codes(client, batch) == [batch["codes"][0]]


def test_printing_the_checklist_moves_only_the_checklists_own_baseline(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    book(client, batch["ids"][0])
    _export(client, batch, "pdf")
    # Nothing changed since the checklist was printed: no second one is made.
    response = client.get(f"/catchup/incidents/{batch['incident_id']}/export/pdf?changed=1")
    assert response.status_code == 302


def test_changes_only_is_offered_for_the_formats_exported_before(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    page = client.get(f"/catchup/incidents/{batch['incident_id']}").get_data(as_text=True)
    assert "changed=1" not in page
    _export(client, batch, "csv")
    page = client.get(f"/catchup/incidents/{batch['incident_id']}").get_data(as_text=True)
    assert "/export/csv?changed=1" in page
    assert "/export/json?changed=1" not in page and "/export/fhir?changed=1" not in page


def test_changed_only_checklist_lists_only_the_changed_cases(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "pdf")
    book(client, batch["ids"][1])
    text = pdf_text(_export(client, batch, "pdf", changed=True).data)
    assert batch["codes"][1] in text
    # The unchanged case is not on the list of changes, and the count says how many are.
    assert batch["codes"][0] not in text
    assert "Antal ärenden 1" in " ".join(text.split())


def test_checklist_says_why_a_case_was_cancelled(
    client: FlaskClient, batch: dict[str, Any], auth
) -> None:
    auth.logout()
    auth.login("radiographer")
    reason = "Dubblett av annat ärende"
    client.post(
        f"/cases/{batch['ids'][1]}/cancel", data={"confirm_ris_pacs": "y", "reason": reason}
    )
    auth.logout()
    auth.login("secretary")
    text = " ".join(pdf_text(_export(client, batch, "pdf").data).split())
    assert f"Makulerad: {reason}" in text


def _batches(app: Flask) -> list[ExportBatch]:
    with app.app_context():
        return list(db.session.scalars(select(ExportBatch).order_by(ExportBatch.id)))


def test_changed_only_export_with_nothing_changed_sends_no_empty_file(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    _export(client, batch, "csv")
    url = f"/catchup/incidents/{batch['incident_id']}/export/csv?changed=1"
    response = client.get(url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == f"/catchup/incidents/{batch['incident_id']}"
    assert "Inget ärende har ändrats sedan förra exporten" in page
    # Not recorded as an export: the batch history lists only files someone received.
    assert len(_batches(app)) == 1


def test_first_changed_only_export_is_the_whole_batch_and_named_so(
    app: Flask, client: FlaskClient, batch: dict[str, Any]
) -> None:
    response = _export(client, batch, "csv", changed=True)
    disposition = response.headers["Content-Disposition"]
    assert "andringar" not in disposition
    text = response.data.decode("utf-8-sig")
    assert all(code in text for code in batch["codes"])
    assert "andringar" not in _batches(app)[0].filename


def test_cli_first_changed_export_says_it_wrote_the_whole_batch(
    app: Flask, runner: Any, batch: dict[str, Any], tmp_path: Any
) -> None:
    target = tmp_path / "andringar.csv"
    result = runner.invoke(args=["export-batch", "--format", "csv", "--changed", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Ingen tidigare export i formatet csv" in result.output
    assert "hela avstämningen" in result.output
    assert all(code in target.read_text(encoding="utf-8-sig") for code in batch["codes"])
    assert "andringar" not in _batches(app)[0].filename


def test_cli_changed_export_names_the_time_it_starts_from(
    app: Flask, client: FlaskClient, runner: Any, batch: dict[str, Any], tmp_path: Any
) -> None:
    runner.invoke(args=["export-batch", "--format", "csv", "-o", str(tmp_path / "alla.csv")])
    book(client, batch["ids"][1])
    target = tmp_path / "andringar.csv"
    result = runner.invoke(args=["export-batch", "--format", "csv", "--changed", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 ärende ändrat sedan förra exporten i formatet csv" in result.output
    assert batch["codes"][0] not in target.read_text(encoding="utf-8-sig")
    assert "-andringar-" in _batches(app)[-1].filename


def test_cli_changed_export_with_nothing_changed_keeps_the_earlier_file(
    app: Flask, runner: Any, batch: dict[str, Any], tmp_path: Any
) -> None:
    target = tmp_path / "andringar.csv"
    args = ["export-batch", "--format", "csv", "--changed", "-o", str(target)]
    runner.invoke(args=args)
    earlier = target.read_bytes()
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Inget ärende har ändrats sedan förra exporten i formatet csv" in result.output
    assert "Ingen fil skrevs" in result.output
    # The file from the first run (not yet imported, perhaps) is not replaced by an empty one.
    assert target.read_bytes() == earlier
    assert len(_batches(app)) == 1


def test_report_faxed_after_an_export_is_in_the_next_changes(
    client: FlaskClient, batch: dict[str, Any], auth
) -> None:
    case_id = batch["ids"][1]
    auth.logout()
    auth.login("radiologist")
    report = {"sections-0-heading": "Bedömning", "sections-0-text": "Normalt.", "read_on": "pacs"}
    client.post(
        f"/reporting/{case_id}", data=report | {"form_key": "f" * 20, "action": "definitive"}
    )
    auth.logout()
    auth.login("secretary")
    _export(client, batch, "csv")
    client.post(
        f"/reporting/{case_id}/dispatch",
        data={"fax_number": "035-123 45 67", "faxed_at": local_minute()},
    )
    text = _export(client, batch, "csv", changed=True).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["ärendekod"] for row in rows] == [batch["codes"][1]]
    assert "035-123 45 67" in rows[0]["faxat till remittent"]


def test_cli_export_that_cannot_be_written_is_not_recorded(
    app: Flask, runner: Any, batch: dict[str, Any], tmp_path: Any
) -> None:
    target = tmp_path / "usb-minnet-saknas" / "batch.csv"
    result = runner.invoke(args=["export-batch", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 2
    assert "kunde inte skrivas" in result.output
    # Recorded, the next 'changed only' export would start after cases nobody received.
    assert _batches(app) == []


def test_changes_only_says_since_when_without_a_hover(
    client: FlaskClient, batch: dict[str, Any]
) -> None:
    # A tablet shows no tooltip: what "bara ändrade" counts from is written beside it.
    _export(client, batch, "csv")
    page = client.get(f"/catchup/incidents/{batch['incident_id']}").get_data(as_text=True)
    link = re.search(r'<a [^>]*/export/csv\?changed=1"[^>]*>', page)
    assert link is not None and "title=" not in link.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', link.group(0))
    assert described is not None
    hint = re.search(rf'<span [^>]*id="{described.group(1)}"[^>]*>([^<]*)</span>', page)
    assert hint is not None
    assert "Ändrat sedan förra exporten i samma format" in hint.group(1)
