"""A message shown to a user is translated as a template, and its values filled in after.

A Swedish text with its values already in it (an f-string, `%` or `.format()` before the
lookup) never matches the English catalogue: an English page shows it in Swedish. The sweep
finds such texts where they become a refusal, a translation or a flash; the console (cli.py)
speaks Swedish only.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from webapp.refusal import Refused

ROOT = Path(__file__).resolve().parents[1]
WEBAPP = ROOT / "webapp"
CONSOLE_ONLY = {"cli.py", "cli_messages.py"}
# Calls whose first argument is a UI text to be looked up in the catalogue.
LOOKUPS = {"_", "gettext", "flash"}


def _filled(node: ast.AST) -> bool:
    """A text with values already put into it."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


def _is_refusal(module: object, func: ast.expr) -> bool:
    found = getattr(module, func.id, None) if isinstance(func, ast.Name) else None
    return isinstance(found, type) and issubclass(found, Refused)


def _filled_messages(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).with_suffix("")
    module = importlib.import_module(".".join(rel.parts))
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args or not _filled(node.args[0]):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name in LOOKUPS or _is_refusal(module, node.func):
            found.append(f"{rel}.py:{node.lineno}")
    return found


def test_no_message_is_filled_in_before_it_is_translated() -> None:
    found = [
        place
        for path in sorted(WEBAPP.rglob("*.py"))
        if path.name not in CONSOLE_ONLY
        for place in _filled_messages(path)
    ]
    assert not found, "a message filled in before translation:\n" + "\n".join(found)
