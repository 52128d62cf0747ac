"""Which drafts a later save overtook: a referral edit draft is judged by the rule the save itself
applies (cases/versions.case_form_stale), and only that kind reads the case's history."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event

from webapp.cases.versions import case_form_stale
from webapp.draft_versions import is_superseded, stored_versions
from webapp.extensions import db
from webapp.models import Case, RecordVersion

from .factories import referral_data
from .statements import sent_statements

# Per case version (the change that moved the case on from it): the columns it changed, as the
# writers record them (writing the instruction records "protocol" alone); None: no history row
# for that version. The last entry's version + 1 is the stored version.
HISTORIES: dict[str, list[Any]] = {
    "instruction only": [["protocol"], ["protocol"]],
    "priority, then the instruction": [["priority", "priority_reason"], ["protocol"]],
    "the instruction, then the identity": [["protocol"], ["patient_name", "patient_id"]],
    "status, then the instruction twice": [["status"], ["protocol"], ["protocol"]],
    "the modality": [["modality"]],
    "a row missing among instructions": [["protocol"], None, ["protocol"]],
    "no history at all": [None, None],
    "a change of nothing": [[], ["protocol"]],
    "never changed": [],
}


def _write_history(case_id: int, history: list[Any]) -> int:
    """Replace the case's history with the given one; the stored version it leads to."""
    db.session.execute(
        delete(RecordVersion).where(
            RecordVersion.entity == "case", RecordVersion.entity_id == case_id
        )
    )
    for version, columns in enumerate(history, start=1):
        if columns is not None:
            db.session.add(
                RecordVersion(
                    entity="case",
                    entity_id=case_id,
                    version=version,
                    case_id=case_id,
                    data={},
                    changes={column: ["före", "efter"] for column in columns},
                )
            )
    stored = len(history) + 1
    case = db.session.get(Case, case_id)
    assert case is not None
    case.version = stored
    db.session.commit()
    return stored


def test_a_referral_edit_draft_is_superseded_exactly_when_its_save_would_be_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_ids = [
        int(
            client.post("/cases/new", data=referral_data(key_suffix=f"h{n}"))
            .headers["Location"]
            .rsplit("/", 1)[-1]
        )
        for n in range(len(HISTORIES))
    ]
    with app.app_context():
        stored = {
            case_id: _write_history(case_id, history)
            for case_id, history in zip(case_ids, HISTORIES.values(), strict=True)
        }
        # All cases at once, as the drafts list and the close judge them.
        versions = stored_versions((case_id, "referral_edit") for case_id in case_ids)
        for name, case_id in zip(HISTORIES, case_ids, strict=True):
            for shown in [None, *range(-1, stored[case_id] + 3)]:
                draft = {"case_version": "" if shown is None else str(shown)}
                refused = case_form_stale(db.session, case_id, shown, stored[case_id])
                superseded = is_superseded("referral_edit", draft, versions[case_id])
                assert superseded == refused, (name, shown)


def test_the_rule_tells_instruction_only_changes_from_the_rest(app: Flask, client, auth) -> None:
    # The parity above could hold with both rules wrong alike: what they must say.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    with app.app_context():
        expected = {
            "instruction only": {1, 2, 3},
            "priority, then the instruction": {2, 3},
            "the instruction, then the identity": {3},
            "status, then the instruction twice": {2, 3, 4},
            "the modality": {2},
            "a row missing among instructions": {3, 4},
            "no history at all": {3},
            "a change of nothing": {1, 2, 3},
            "never changed": {1},
        }
        for name, history in HISTORIES.items():
            stored = _write_history(case_id, history)
            versions = stored_versions([(case_id, "referral_edit")])[case_id]
            current = {
                shown
                for shown in range(0, stored + 2)
                if not is_superseded("referral_edit", {"case_version": str(shown)}, versions)
            }
            assert current == expected[name], name


def _put_draft(client: FlaskClient, kind: str, case_id: int, data: dict[str, str]) -> None:
    body = {"kind": kind, "case_id": str(case_id), "data": data, "label": kind, "seq": 1}
    response = client.put(f"/api/drafts/{kind}-{case_id}-" + "k" * 16, json=body)
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def other_drafts(client: FlaskClient, auth, case_id: int) -> int:
    """An exam and a report draft of a case with history; a radiologist logged in. (An
    identity draft's form leaves the instruction alone as a referral edit's does: its case's
    history is read, test_referral_edit_beside_instruction.py.)"""
    auth.login("radiologist")
    moved = client.post(
        f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Stabil"}
    )
    assert moved.status_code == 302
    client.post(f"/reporting/{case_id}/protocol", data={"protocol": "Utan kontrast."})
    _put_draft(client, "exam", case_id, {"version": "1", "notes": "Kontrast given"})
    _put_draft(client, "report", case_id, {"version": "", "findings": "Normalt"})
    return case_id


def _history_reads(statements: list[str]) -> list[str]:
    """Reads of the case versions of a set of cases (the identity history the case pages show
    is read by case_id, a statement of its own)."""
    return [s for s in statements if "record_version.entity_id IN" in s]


@pytest.mark.parametrize(
    "page", ["/drafts", "/cases/{id}/exam", "/cases/{id}/identity", "/reporting/{id}"]
)
def test_drafts_of_other_kinds_read_no_case_history(
    app: Flask, client: FlaskClient, other_drafts: int, page: str
) -> None:
    with sent_statements(app) as statements:
        response = client.get(page.format(id=other_drafts))
    assert response.status_code == 200
    assert _history_reads(statements) == []


def test_only_the_cases_with_a_referral_edit_draft_have_their_history_read(
    app: Flask, client: FlaskClient, other_drafts: int
) -> None:
    edited = client.post("/cases/new", data=referral_data(key_suffix="re")).headers["Location"]
    edited_id = int(edited.rsplit("/", 1)[-1])
    _put_draft(client, "referral_edit", edited_id, {"version": "1", "case_version": "1"})
    reads: list[tuple[str, Any]] = []

    def collect(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "record_version.entity_id IN" in statement:
            reads.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", collect)
        try:
            versions = stored_versions(
                [(other_drafts, "exam"), (other_drafts, "report"), (edited_id, "referral_edit")]
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", collect)
        assert versions[edited_id]["case_base"] == 1
        assert versions[other_drafts]["case"] == db.session.get(Case, other_drafts).version
    assert len(reads) == 1, reads
    # SQLite binds a tuple, PostgreSQL a dict of named values: the ids bound, either way.
    bound = reads[0][1]
    ids = list(bound.values() if isinstance(bound, dict) else bound)
    assert other_drafts not in ids and edited_id in ids
    with sent_statements(app) as statements:
        assert client.get("/drafts").status_code == 200
    assert len(_history_reads(statements)) == 1
