"""A refusal that names a value reads in English on an English page wherever a view shows it:
in a flash, beside a field, beside a catch-up step.

A view that shows str() of a refusal hands the page its Swedish text with the values already
filled in; the page's lookup in the English catalogue then never finds it. The sweep below
finds every such view; the journeys raise a refusal with values on the flash paths (the
service stubbed to refuse, as the rules reach those paths only rarely) and read the page.
"""

from __future__ import annotations

import ast
import html
import importlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.blanks.errors import BlankError
from webapp.blanks.over_signed import OVER_SIGNED_NOT_CONFIRMED
from webapp.cases.cancelling import CASE_PART, CHANGED_SINCE_OPENED
from webapp.cases.errors import CaseError
from webapp.catchup.clean_up import ALREADY_CLEANED
from webapp.catchup.services import CatchupError
from webapp.extensions import db
from webapp.models import ReservedCode
from webapp.refusal import Message, Refused

from .catchup_world_support import world as world  # the fixture

ROOT = Path(__file__).resolve().parents[1]
WEBAPP = ROOT / "webapp"


def _caught_refusal(module: object, handler: ast.ExceptHandler) -> bool:
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for node in types:
        found = getattr(module, node.id, None) if isinstance(node, ast.Name) else None
        if isinstance(found, type) and issubclass(found, Refused):
            return True
    return False


def _str_of(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "str"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
    )


def _shown_str_uses(path: Path) -> list[str]:
    """str(exc) of a caught refusal, used as text (not compared or looked up by)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT).with_suffix("")
    module = importlib.import_module(".".join(rel.parts))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for handler in ast.walk(tree):
        if not isinstance(handler, ast.ExceptHandler) or handler.name is None:
            continue
        if not _caught_refusal(module, handler):
            continue
        for statement in handler.body:
            for node in ast.walk(statement):
                if not _str_of(node, handler.name):
                    continue
                parent = parents[node]
                # Which message it is, asked of the text: the text itself is not shown. A
                # helper that hands the text back (identity.personal_number_problem) leaves
                # the showing to its callers.
                if isinstance(parent, ast.Compare | ast.Attribute | ast.IfExp | ast.Return):
                    continue
                if isinstance(parent, ast.Call) and getattr(parent.func, "id", "") == "field_for":
                    continue
                found.append(f"{rel}.py:{node.lineno}")
    return found


def test_no_view_shows_a_refusal_by_its_swedish_text() -> None:
    found = [
        place
        for path in sorted(WEBAPP.rglob("*.py"))
        if path.name != "cli.py"  # the console speaks Swedish
        for place in _shown_str_uses(path)
    ]
    assert not found, "str() of a refusal shown, not its template translated:\n" + "\n".join(found)


def _in_english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def _refuse(monkeypatch: pytest.MonkeyPatch, where: str, exc: Exception) -> None:
    def refused(**_kwargs: object) -> None:
        raise exc

    module, name = where.rsplit(".", 1)
    monkeypatch.setattr(importlib.import_module(module), name, refused)


def test_a_restore_refused_with_values_is_flashed_in_english(
    client: FlaskClient, auth, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.logout()
    auth.login("radiographer")
    _in_english(client)
    case_id = world["ids"][0]
    exc = CaseError(CHANGED_SINCE_OPENED, what=Message.joined([Message(CASE_PART)]))
    _refuse(monkeypatch, "webapp.cases.cancel_views.restore_case", exc)
    response = client.post(
        f"/cases/{case_id}/restore", data={"reason": "Fel ärende"}, follow_redirects=True
    )
    page = _page(response)
    assert "The case has changed since the page was opened:" in page
    assert "Ärendet har ändrats sedan sidan öppnades" not in page


def test_a_void_refused_with_values_is_flashed_in_english(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    with app.app_context():
        code = db.session.scalars(select(ReservedCode.code)).one()
    _in_english(client)
    _refuse(
        monkeypatch,
        "webapp.blanks.views.void_code",
        BlankError(OVER_SIGNED_NOT_CONFIRMED, code="ABC-123"),
    )
    response = client.post(
        f"/blanks/{code}/void", data={"reason": "Bladet förstört"}, follow_redirects=True
    )
    page = _page(response)
    assert "Tick Link anyway to link the report blank to case ABC-123" in page
    assert "Bocka i Koppla ändå" not in page


def test_a_step_refused_with_values_is_said_beside_it_in_english(
    client: FlaskClient, auth, world, monkeypatch: pytest.MonkeyPatch
) -> None:
    _in_english(client)
    case_id = world["ids"][0]
    exc = CatchupError(ALREADY_CLEANED, name="Testa Sekreterare Åberg")
    _refuse(monkeypatch, "webapp.catchup.case_views.tick_step", exc)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    page = _page(response)
    assert response.status_code == 409
    assert "The clean-up in RIS/PACS has already been recorded by Testa Sekreterare Åberg." in page
    assert ALREADY_CLEANED.split(" %", 1)[0] not in page
