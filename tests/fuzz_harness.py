"""Shared by the fuzz modules: nasty values, the form table's row type, and the response check.

Each fuzz test builds one app (the `app` fixture) and reuses it across its Hypothesis examples.
Every module counts the examples it runs; `-s` prints its total at the end of the module.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from markupsafe import escape

from webapp.cases.fields import clean_text

from .test_access_wall import login

SCRIPT = "<script>alert(1)</script>"
NASTY = (
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    '"; DROP TABLE case; --',
    "\x00",
    "a\x00b",
    "\x1b[2J\x1b[31mröd",
    "\u202egnp.exe",
    "a\r\nSet-Cookie: fz=1",  # ends up in a header if a view echoes it into a redirect
    "²",  # str.isdigit() says yes, int() says no
    "x" * 10_000,
    "Å" * 10_000,
    "",
    " ",
    "-1",
    "0",
    "9" * 40,
    "-" + "9" * 40,
    "1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "2026-02-30T25:61",
    "0000-00-00T00:00",
    "0001-01-01T00:00",  # the earliest a date picker offers; before year 1 in UTC
    "9999-12-31T23:59",
    "null",
    "[]",
    "{}",
    "%s%n%x",
    "../../etc/passwd",
    "😀",
)
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
SCALAR = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    TEXT,
    st.integers().map(str),
    st.floats().map(str),
)
# None leaves the field out; a list sends the field several times (wrong type).
VALUE = st.one_of(SCALAR, SCALAR, SCALAR, st.none(), st.lists(SCALAR, min_size=2, max_size=3))

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_keys = itertools.count()


def fresh_key(prefix: str = "fz") -> str:
    """A form key never used before, so a valid submit is not taken as a replay."""
    return f"{prefix}{next(_keys):018d}"


def example_counter() -> tuple[Counter[str], Callable[[], Iterator[None]]]:
    """A module's example counter, and the autouse fixture that prints its total (with -s)."""
    runs: Counter[str] = Counter()

    @pytest.fixture(scope="module", autouse=True)
    def report_total() -> Iterator[None]:
        yield
        print(f"\nfuzz: {sum(runs.values())} examples ({dict(sorted(runs.items()))})")

    return runs, report_total


WorldT = TypeVar("WorldT")


@dataclass(frozen=True)
class Form(Generic[WorldT]):
    """A form POST route: who posts it, valid data, the fields to spoil, those shown back."""

    endpoint: str
    path: str
    role: str
    base: Callable[[WorldT], dict[str, Any]]
    fields: tuple[str, ...]
    echo: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def spoil(data: st.DataObject, form: Form[WorldT], world: WorldT) -> dict[str, Any]:
    """The form's valid data with a few of its fields (sometimes all) bad or left out."""
    sent = form.base(world)
    some = st.lists(st.sampled_from(form.fields), min_size=1, max_size=3, unique=True)
    for name in data.draw(st.one_of(some, some, some, st.just(form.fields)), label="fields"):
        value = data.draw(VALUE, label=name)
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    return sent


def _is_echoable(value: Any) -> bool:
    """A printable value the user typed, which a re-rendered form must show back."""
    return (
        isinstance(value, str)
        and value != ""
        and value.isprintable()
        and value == clean_text(value)
        and value == value.strip()
    )


def check_response(response: Any, sent: dict[str, Any], echo: tuple[str, ...], where: str) -> None:
    body_bytes = response.get_data()
    response.close()
    assert response.status_code < 500, (where, response.status_code)
    if response.mimetype == "application/pdf":
        return
    body = body_bytes.decode("utf-8", "replace")
    assert SCRIPT not in body, where
    rerendered = response.status_code == 400 or (
        response.status_code == 200 and response.mimetype == "text/html"
    )
    if not rerendered:
        return
    for name in echo:
        value = sent.get(name)
        # Only where the page shows that field again (a closed case no longer offers it).
        if _is_echoable(value) and f'name="{name}"' in body:
            assert str(escape(value)) in body, (where, name, value[:80], response.status_code)


def fill_path(template: str, world: Any, segment: str = "") -> str:
    names = {f.name: getattr(world, f.name) for f in dataclasses.fields(world)}
    return template.replace("{}", "{segment}").format(segment=segment, **names)


def clients_for(app: Flask, roles: set[str]) -> dict[str, FlaskClient]:
    clients = {}
    for role in roles:
        clients[role] = app.test_client()
        if role:
            login(clients[role], app, role)
    return clients
