"""Every audit action the app writes has a Swedish name on the access log page and in its CSV."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp.audit_labels import ACTION_LABELS
from webapp.extensions import db
from webapp.models import AuditEvent

from .conftest import AuthActions

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
# Audit writers and the index of their action argument.
WRITERS = {
    "log_event": 0,
    "log_read": 0,
    "read_event_row": 0,
    "record_view": 2,
    "log_list_read": 0,
    "log_log_read": 0,
}
DEFAULT_ACTIONS = {"record_view": "case_view"}


def _strings(node: ast.AST) -> set[str]:
    """The string values an action expression can take: a literal, a choice or a lookup table."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    if isinstance(node, ast.Subscript):
        return _strings(node.value)
    if isinstance(node, ast.Dict):
        return set().union(*(_strings(v) for v in node.values))
    return set()


def _assigned(func: ast.FunctionDef, name: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                found |= _strings(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for element, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(element, ast.Name) and element.id == name:
                        found |= _strings(value)
    return found


def _argument(call: ast.Call, index: int, keyword: str) -> ast.AST | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _called_name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def written_actions() -> dict[str, str]:
    """Every action string passed to an audit writer in webapp, with where it is written."""
    found: dict[str, str] = {}
    for path in sorted(WEBAPP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for func in funcs:
            if func.name in WRITERS:
                continue
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or _called_name(call) not in WRITERS:
                    continue
                writer = str(_called_name(call))
                arg = _argument(call, WRITERS[writer], "action")
                where = f"{path.relative_to(WEBAPP)}:{call.lineno}"
                if arg is None:
                    values = {DEFAULT_ACTIONS[writer]}
                elif isinstance(arg, ast.Name):
                    values = _assigned(func, arg.id)
                    params = [a.arg for a in func.args.args]
                    if not values and arg.id in params:
                        # A helper that takes the action from its callers in the same module.
                        index = params.index(arg.id)
                        for caller in ast.walk(tree):
                            if isinstance(caller, ast.Call) and _called_name(caller) == func.name:
                                passed = _argument(caller, index, arg.id)
                                values |= _strings(passed) if passed is not None else set()
                else:
                    values = _strings(arg)
                assert values, f"{where}: cannot tell which action is written"
                for value in values:
                    found.setdefault(value, where)
    return found


def test_collector_finds_actions_written_through_variables_and_helpers() -> None:
    actions = written_actions()
    assert {"report_sign_definitive", "exam_change", "release_refused", "case_view"} <= set(actions)


def test_every_written_action_has_a_swedish_label() -> None:
    missing = {a: where for a, where in written_actions().items() if a not in ACTION_LABELS}
    assert not missing, f"actions without a label in webapp/audit_labels.py: {missing}"


def test_access_log_shows_swedish_role_and_action(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login(role="admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "<td>Administratör</td><td>Inloggning</td>" in page
    assert "<td>admin</td>" not in page
    assert 'class="table-wrap"' in page


def _csv(client: FlaskClient, query: str = "") -> tuple[list[str], list[dict[str, str]]]:
    text = client.get("/admin/audit.csv" + query).get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]), delimiter=";")
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_access_log_csv_names_the_action_beside_its_code(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login(role="admin")
    header, rows = _csv(client, "?action=login")
    # The code stays in its own column for the auditors' filters; its name comes right after.
    assert header[header.index("händelse") + 1] == "händelsebeskrivning"
    assert {(r["händelse"], r["händelsebeskrivning"]) for r in rows} == {("login", "Inloggning")}


def test_access_log_csv_names_every_written_action_as_the_page_does(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    actions = sorted(written_actions())
    with app.app_context():
        db.session.add_all(AuditEvent(action=a, site_id=1, username="granskad") for a in actions)
        db.session.commit()
    auth.login(role="admin")
    _, rows = _csv(client, "?username=granskad")
    named = {r["händelse"]: r["händelsebeskrivning"] for r in rows}
    assert sorted(named) == actions
    assert named == {a: ACTION_LABELS[a] for a in actions}
    page = client.get("/admin/audit?username=granskad&action=catchup_step").get_data(as_text=True)
    assert f"<td>{named['catchup_step']}</td>" in page
