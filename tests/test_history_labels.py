"""The case history names records, fields and values in Swedish, not by their column names."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import inspect

from webapp.history_labels import ENTITY_LABELS, ENTITY_MODELS, FIELD_LABELS

from .conftest import AuthActions
from .factories import identity_data, referral_data, unidentified_referral_data

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
# Writer: index of its `before` snapshot argument.
WRITERS = {"record_version": 1, "record_change": 2}
# `_changes` in webapp/audit.py never lists these.
NEVER_LISTED = {"version", "updated_at"}
# Set when a record is created and never changed by an edit, so never in a version's changes.
WRITTEN_ONCE = {"id", "case_id", "created_at", "received_by_id", "documented_by_id"}


def _module(path: Path) -> object:
    parts = path.relative_to(WEBAPP.parent).with_suffix("").parts
    return importlib.import_module(".".join(parts))


def _snapshot_fields(call: ast.Call, path: Path, entity: str) -> set[str]:
    """The fields a snapshot(obj, fields) / snapshot_row(row, fields, prefix) call takes."""
    if len(call.args) < 2:
        return {c.key for c in inspect(ENTITY_MODELS[entity]).columns}
    fields = call.args[1]
    if isinstance(fields, ast.Tuple):
        return {e.value for e in fields.elts if isinstance(e, ast.Constant)}
    assert isinstance(fields, ast.Name), ast.dump(fields)
    return set(getattr(_module(path), fields.id))


def _before_call(func: ast.FunctionDef, arg: ast.expr) -> ast.Call:
    if isinstance(arg, ast.Call):
        return arg
    assert isinstance(arg, ast.Name), ast.dump(arg)
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets)
        ):
            return node.value
    raise AssertionError(f"no snapshot assigned to {arg.id} in {func.name}")


def versioned_fields() -> dict[str, set[str]]:
    """Entity: every field a service versions, found from the record_version/change calls."""
    found: dict[str, set[str]] = {}
    for path in sorted(WEBAPP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            if func.name in WRITERS:
                continue
            for call in ast.walk(func):
                name = getattr(getattr(call, "func", None), "id", None)
                if not isinstance(call, ast.Call) or name not in WRITERS:
                    continue
                entity = next(k.value for k in call.keywords if k.arg == "entity")
                assert isinstance(entity, ast.Constant), f"{path}:{call.lineno}"
                before = _before_call(func, call.args[WRITERS[name]])
                fields = _snapshot_fields(before, path, entity.value)
                found.setdefault(entity.value, set()).update(fields)
    return {e: f - NEVER_LISTED - WRITTEN_ONCE for e, f in found.items()}


def test_every_versioned_field_has_a_swedish_label() -> None:
    fields = versioned_fields()
    assert {"case", "referral", "exam", "report", "catchup"} <= set(fields)
    missing = {
        entity: sorted(names - set(FIELD_LABELS.get(entity, {})))
        for entity, names in fields.items()
    }
    assert not any(missing.values()), missing
    assert set(fields) <= set(ENTITY_LABELS)


def _sign(client: FlaskClient, case_id: int, action: str, version: str) -> None:
    client.post(
        f"/reporting/{case_id}",
        data={
            "form_key": action[0] * 20,
            "version": version,
            "action": action,
            "read_on": "pacs",
            "sections-0-heading": "Bedömning",
            "sections-0-text": "Ingen akut patologi.",
        },
    )


def test_history_shows_swedish_record_field_and_state_names(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login("radiologist")
    _sign(client, case_id, "preliminary", "")
    _sign(client, case_id, "definitive", "1")
    page = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    assert "Utlåtande, version 1" in page
    assert "<td>Signerat som</td>" in page
    assert "Preliminärt signerat" in page and "Definitivt signerat" in page
    for raw in ("report version", ">state<", ">preliminary<", ">definitive<"):
        assert raw not in page


def test_history_shows_answers_booleans_and_times_as_staff_read_them(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    edit = referral_data(
        key_suffix="x",
        version="1",
        case_version="1",
        metformin="yes",
        kidney_unknown="y",
        arrived_at="2026-01-15T09:05",
    )
    assert client.post(location + "/referral", data=edit).status_code == 302
    page = client.get(location + "/history").get_data(as_text=True)
    assert "Remiss, version 1" in page
    assert "<td>Metformin</td>" in page and "<td>Njurfunktion okänd</td>" in page
    assert ">Ja<" in page and ">Nej<" in page
    assert "2026-01-15 09:05" in page
    for raw in (">metformin<", ">kidney_unknown<", ">True<", ">False<", ">yes<", "T09:05"):
        assert raw not in page


def test_history_writes_an_identity_number_as_staff_write_it(
    client: FlaskClient, auth: AuthActions
) -> None:
    # 19121212-1212 as on every other screen, not 191212121212; a reserve number as typed.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert (
        client.post(location + "/identity", data=identity_data(case_version="1")).status_code == 302
    )
    corrected = identity_data(
        personal_number="19800101-0019", patient_name="Örjan Älvström", case_version="2"
    )
    assert client.post(location + "/identity", data=corrected).status_code == 302
    page = client.get(location + "/history").get_data(as_text=True)
    for shown in ("RES-0007", "19121212-1212", "19800101-0019"):
        assert f'<td class="history-value">{shown}</td>' in page
    assert "191212121212" not in page and "198001010019" not in page
