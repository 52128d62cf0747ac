"""The collector of every Swedish UI string, for the catalogue tests in test_i18n.py.

It gathers what can reach the screen through gettext (`_`):
- string literals in `_(...)` in the templates and in the Python modules that use gettext;
- the label dicts that templates translate (`_(STATUS_LABELS[...])` and friends);
- WTForms field labels, validator messages and choice labels (`_(f.label.text)`, `_(e)`);
- the fixed error messages of validators and services that end up in a form's errors or in a
  translated flash (`_(str(exc))`, `_(e)`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wtforms import SelectChoice
from wtforms.fields.core import UnboundField

from webapp.formutil import BaseForm

ROOT = Path(__file__).resolve().parents[1]
WEBAPP = ROOT / "webapp"
TEMPLATES = ROOT / "templates"

TEMPLATE_CALL_RES = (
    re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"'),
    re.compile(r"_\(\s*'((?:[^'\\]|\\.)*)'"),
)
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")
LETTER_RE = re.compile(r"[^\W\d_]")

# Label dicts rendered through `_(...)` in the templates: (module, names).
LABEL_DICTS = (
    ("webapp.web", ("STATUS_LABELS",)),
    ("webapp.role_labels", ("ROLE_LABELS",)),
    ("webapp.backup_errors", ("FAILURE_REASONS",)),
    ("webapp.blanks.kinds", ("BLANK_KIND_NAMES",)),
    ("webapp.audit_labels", ("ACTION_LABELS",)),
    ("webapp.history_labels", ("ENTITY_LABELS", "FIELD_LABELS", "REPORT_STATE_LABELS")),
    (
        "webapp.cases.display",
        (
            "ANSWER_LABELS",
            "ARRIVAL_LABELS",
            "PACS_LABELS",
            "SEX_LABELS",
            "ID_KIND_LABELS",
            "CONTRAST_ROUTE_LABELS",
        ),
    ),
    ("webapp.catchup.case_views", ("STEP_LABELS",)),
    ("webapp.draft_kinds", ("KIND_LABELS",)),
    # The incident log's own entries, read back from their stored Swedish (by kind).
    ("webapp.incident_log_labels", ("LOG_LABELS", "LOG_NOTES", "ANY_KEY_LABELS")),
    (
        "webapp.routines.labels",
        (
            "REVIEWER_LABELS",
            "DIRECTION_LABELS",
            "ROUTE_LABELS",
            "OUTCOME_LABELS",
            "TRANSFER_STATUS_LABELS",
            "RELEASE_STATUS_LABELS",
        ),
    ),
    (
        "webapp.release_terms",
        ("RECIPIENT_LABELS", "CHANNEL_LABELS", "MEDIA_LABELS", "DELIVERY_LABELS"),
    ),
)
# Exceptions whose messages are for developers and logs, never for staff.
DEVELOPER_ERRORS = {"RuntimeError", "PermissionError", "AssertionError", "NotImplementedError"}
# Functions whose returned strings are user messages (e.g. shown as a form error).
MESSAGE_FUNCTIONS = {
    "webapp/auth/lockout.py": ("locked_message",),
    "webapp/auth/passwords.py": ("validate_secret",),
    "webapp/routines/rules.py": ("rule_summary",),
}
# Calls whose positional arguments at these indexes are user messages, e.g. the release
# routine's Refusal(rule, field, message, instead): templates shown by `r.text(_)`, `r.advice(_)`;
# a close's ConfirmationMissing(field, message, **values), shown beside its box; a Message
# (webapp/refusal.py), a phrase or template inside a refusal, translated with it; a broken rule
# of the site configuration, rule(template, **values), and how a site file's block is named,
# block_where(table, key, i, named, numbered) (webapp/siteconfig_values.py).
MESSAGE_CALLS = {
    "Refusal": (2, 3),
    "ConfirmationMissing": (1,),
    "Message": (0,),
    "rule": (0,),
    "block_where": (3, 4),
}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _is_ui_text(text: object) -> bool:
    # A label that is only a placeholder (the site's name for the image portal) has no word
    # of its own to translate.
    return isinstance(text, str) and bool(LETTER_RE.search(PLACEHOLDER_RE.sub("", text)))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- templates -------------------------------------------------------------------------------


def template_strings() -> Iterator[tuple[str, str]]:
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for pattern in TEMPLATE_CALL_RES:
            for match in pattern.finditer(source):
                yield _unescape(match.group(1)), _rel(path)


# --- Python sources --------------------------------------------------------------------------


def _constants(node: ast.AST | None, names: dict[str, str]) -> Iterator[str]:
    """String values an expression can take: literals, module constants, both arms of an if."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Name) and node.id in names:
        yield names[node.id]
    elif isinstance(node, ast.IfExp):
        yield from _constants(node.body, names)
        yield from _constants(node.orelse, names)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _constants(value, names)


def _module_constants(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _gettext_names(tree: ast.Module) -> set[str]:
    """Local names bound to webapp.i18n.gettext in a module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("i18n"):
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "gettext"}
    return names


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_error_list_target(target: ast.expr) -> bool:
    return isinstance(target, ast.Attribute) and target.attr == "errors"


def python_strings() -> Iterator[tuple[str, str]]:
    for path in sorted(WEBAPP.rglob("*.py")):
        rel = _rel(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _module_constants(tree)
        gettext_names = _gettext_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = _call_name(node)
                is_gettext = isinstance(node.func, ast.Name) and name in gettext_names
                if is_gettext or name in {"ValidationError", "StopValidation"}:
                    for text in _constants(node.args[0], names):
                        yield text, rel
                for index in MESSAGE_CALLS.get(name, ()):
                    if index < len(node.args):
                        for text in _constants(node.args[index], names):
                            yield text, rel
            raised = node.exc if isinstance(node, ast.Raise) else None
            if isinstance(node, ast.Call) and _call_name(node) == "__init__":
                # A refusal that sets its own message: super().__init__(TEMPLATE, **values).
                raised = node
            if isinstance(raised, ast.Call) and raised.args:
                if _call_name(raised) in DEVELOPER_ERRORS:
                    continue
                for text in _constants(raised.args[0], names):
                    # Developer messages start in lower case ("unknown format ..."); staff
                    # messages are Swedish sentences, or templates that may begin with a count.
                    if text[:1].isupper() or text[:1].isdigit() or PLACEHOLDER_RE.search(text):
                        yield text, rel
            if (
                isinstance(node, ast.Assign)
                and any(map(_is_error_list_target, node.targets))
                and isinstance(node.value, ast.List)
            ):
                for element in node.value.elts:
                    for text in _constants(element, names):
                        yield text, rel
            if isinstance(node, ast.FunctionDef) and node.name in MESSAGE_FUNCTIONS.get(rel, ()):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return):
                        value = inner.value
                        values = value.elts if isinstance(value, ast.Tuple) else [value]
                        for element in values:
                            for text in _constants(element, names):
                                yield text, rel
            if isinstance(node, ast.FunctionDef) and path.name in {"fields.py", "forms.py"}:
                # Validator factories: def phone_number(message="Ange ...").
                for arg, default in zip(
                    reversed(node.args.args), reversed(node.args.defaults), strict=False
                ):
                    if arg.arg == "message":
                        for text in _constants(default, names):
                            yield text, rel


def label_dict_strings() -> Iterator[tuple[str, str]]:
    for module_name, dict_names in LABEL_DICTS:
        module = importlib.import_module(module_name)
        for dict_name in dict_names:
            for label in getattr(module, dict_name).values():
                # The history's field names come per record: {entity: {field: label}}.
                for text in label.values() if isinstance(label, dict) else (label,):
                    yield text, f"{module_name}.{dict_name}"


# --- forms -----------------------------------------------------------------------------------


def _choice_labels(choices: Any) -> Iterator[str]:
    if not isinstance(choices, list | tuple):
        return
    for choice in choices:
        if isinstance(choice, SelectChoice):
            yield choice.label
        elif isinstance(choice, list | tuple) and len(choice) >= 2:
            yield choice[1]


def _unbound_field_strings(field: UnboundField) -> Iterator[str]:
    args, kwargs = field.args, field.kwargs
    label = args[0] if args else kwargs.get("label")
    if isinstance(label, UnboundField):  # FieldList(StringField("..."))
        yield from _unbound_field_strings(label)
    elif isinstance(label, str):
        yield label
    validators = kwargs.get("validators")
    if validators is None and len(args) > 1 and isinstance(args[1], list | tuple):
        validators = args[1]
    for validator in validators or ():
        message = getattr(validator, "message", None)
        if isinstance(message, str):
            yield message
        closure = getattr(validator, "__closure__", None) or ()
        for cell in closure:  # custom validator factories keep their message in a closure
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, str) and getattr(validator, "__name__", "") == "check":
                yield value
    yield from _choice_labels(kwargs.get("choices"))
    for key in ("description", "false_values"):
        if isinstance(kwargs.get(key), str):
            yield kwargs[key]


def form_modules() -> list[Any]:
    modules = []
    for path in sorted(WEBAPP.glob("*/*forms.py")):
        modules.append(importlib.import_module(f"webapp.{path.parent.name}.{path.stem}"))
    return modules


def form_strings() -> Iterator[tuple[str, str]]:
    for module in form_modules():
        for name, value in vars(module).items():
            if name.endswith("_CHOICES"):
                for label in _choice_labels(value):
                    yield label, f"{module.__name__}.{name}"
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, BaseForm) or cls.__module__ != module.__name__:
                continue
            for attr in dir(cls):
                value = getattr(cls, attr, None)
                if isinstance(value, UnboundField):
                    for text in _unbound_field_strings(value):
                        yield text, f"{module.__name__}.{cls_name}.{attr}"


# --- every source ----------------------------------------------------------------------------


def all_ui_strings() -> dict[str, str]:
    """Every Swedish UI string, with one place it comes from."""
    found: dict[str, str] = {}
    sources: Iterable[Iterator[tuple[str, str]]] = (
        template_strings(),
        python_strings(),
        label_dict_strings(),
        form_strings(),
    )
    for source in sources:
        for text, where in source:
            if _is_ui_text(text):
                found.setdefault(text, where)
    return found
