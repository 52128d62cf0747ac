"""'Changed only' exports find a change whatever the laptop's clock said when it was made.

Set back after an export (by hand, or by a time sync after running fast), the clock stamps a
change with a time earlier than that export's: compared by time it would be in no batch of
changes, and never reach RIS before the final one.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.exporting import NothingChanged

from .clock_support import clock_set_back
from .export_support import export_now
from .factories import exam_data, incident_of, local_minute
from .routines_support import case_code, make_case


def _changed(app: Flask, incident_id: int) -> list[dict[str, str]]:
    """The rows of the next 'changed only' CSV export; none when nothing changed."""
    try:
        changes = export_now(app, incident_id, "csv", changed_only=True)
    except NothingChanged:
        return []
    text = changes.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _exported(app: Flask, client: FlaskClient, auth: Any, report: str = "") -> tuple[int, int]:
    """A case exported in CSV (by time, an hour ago), its id and its incident's id."""
    case_id = make_case(client, auth, report=report)
    incident_id = incident_of(app, case_id)
    export_now(app, incident_id, "csv")
    return case_id, incident_id


def test_an_exam_edited_after_the_clock_was_set_back_is_in_the_next_changes(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, incident_id = _exported(app, client, auth)
    with clock_set_back(hours=1):
        auth.login("radiographer")
        edit = exam_data(key_suffix="2", modality_temp_id="TMP-CT1-0099", version="1")
        assert client.post(f"/cases/{case_id}/exam", data=edit).status_code == 302
        rows = _changed(app, incident_id)
    assert [row["ärendekod"] for row in rows] == [case_code(app, case_id)]
    assert "TMP-CT1-0099" in rows[0].values()


def test_a_report_faxed_after_the_clock_was_set_back_is_in_the_next_changes(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # Signed two hours back by the clock, so the fax (an hour back) follows the signature.
    with clock_set_back(hours=2):
        case_id = make_case(client, auth, report="definitive")
    incident_id = incident_of(app, case_id)
    export_now(app, incident_id, "csv")
    with clock_set_back(hours=1):
        auth.login("secretary")
        sent = {"fax_number": "035-123 45 67", "faxed_at": local_minute(timedelta(hours=-1))}
        assert client.post(f"/reporting/{case_id}/dispatch", data=sent).status_code == 302
        rows = _changed(app, incident_id)
    assert [row["ärendekod"] for row in rows] == [case_code(app, case_id)]
    assert "035-123 45 67" in rows[0]["faxat till remittent"]


def test_an_urgent_call_logged_after_the_clock_was_set_back_is_in_the_next_changes(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, incident_id = _exported(app, client, auth, report="definitive")
    with clock_set_back(hours=1):
        auth.login("radiologist")
        call = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"}
        assert client.post(f"/reporting/{case_id}/call", data=call).status_code == 302
        rows = _changed(app, incident_id)
    assert [row["ärendekod"] for row in rows] == [case_code(app, case_id)]
    assert "Ringt om akut fynd" in rows[0]["utlåtande text"]


def test_a_case_made_while_the_clock_ran_fast_is_not_sent_again_unchanged(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # Stamped an hour ahead, then the clock is put right: the export after it is the newer,
    # though its time is earlier, and it already held the case as it still is.
    with clock_set_back(hours=-1):
        case_id = make_case(client, auth)
    incident_id = incident_of(app, case_id)
    export_now(app, incident_id, "csv")
    assert _changed(app, incident_id) == []
