"""A one-line field stays one line, whatever a script or a synced draft sent for it.

Browsers drop line breaks from an <input>; a crafted POST or a tablet's draft need not, and a
name or a fax number with a line break in it broke the sheets, the exports and the QR payloads.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, FormField, PasswordField, StringField, TextAreaField
from wtforms.form import BaseForm as WTFormsBase

import webapp
from webapp.drafts.reading import typed_values
from webapp.extensions import db
from webapp.models import Case, Draft
from webapp.text_lines import one_line

from .factories import referral_data

# Every character a single-line value must not keep, in one value.
BROKEN = "A\r\nB\tC\x00D\x7fE\u2028F\u2029G\x85H\x0bI\x1fJ"
CONTROL = {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}
CONTROL |= {"\u2028", "\u2029"}


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Anna\r\nSvensson", "Anna Svensson"),
        ("Anna\nSvensson", "Anna Svensson"),
        ("Anna\rSvensson", "Anna Svensson"),
        ("Anna\tSvensson", "Anna Svensson"),
        ("Anna \r\n Svensson", "Anna Svensson"),  # the break and its indent are one space
        ("Anna\u2028Svensson", "Anna Svensson"),
        ("Anna\u2029Svensson", "Anna Svensson"),
        ("Anna\x85Svensson", "Anna Svensson"),
        ("An\x00na\x7f Svensson\x1b", "Anna Svensson"),  # no space for what stood for none
        ("\r\nAnna Svensson\r\n", "Anna Svensson"),
        ("Anna  Svensson", "Anna  Svensson"),  # typed spaces are the typist's
        (None, None),
    ],
)
def test_a_line_break_or_control_character_is_not_kept(sent: Any, kept: Any) -> None:
    assert one_line(sent) == kept


def test_a_name_sent_with_a_line_break_is_saved_on_one_line(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        patient_name="Anna\r\nSvensson",
        referrer_unit="Kirurgen\navd 12",
        history="Waran.\r\nVaken.",
    )
    location = client.post("/cases/new", data=data).headers["Location"]
    with app.app_context():
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        assert case is not None
        assert case.patient_name == "Anna Svensson"
        assert case.referral.referrer_unit == "Kirurgen avd 12"
        assert case.referral.history == "Waran.\nVaken."  # a text area keeps its lines


def _form_classes() -> Iterator[type[WTFormsBase]]:
    for info in pkgutil.walk_packages(webapp.__path__, "webapp."):
        importlib.import_module(info.name)
    seen: set[type] = set()
    todo: list[type] = [WTFormsBase]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    yield from sorted(
        (c for c in seen if c.__module__.startswith("webapp.")),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _leaves(fields: Any) -> Iterator[Field]:
    """Every input of a form, into its nested forms and lists."""
    for field in fields:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            if not field.entries:
                field.append_entry()
            yield from _leaves(field.entries)
        else:
            yield field


def _single_line(field: Field) -> bool:
    return isinstance(field, StringField) and not isinstance(field, (TextAreaField, PasswordField))


def _build(form_class: type[WTFormsBase], formdata: MultiDict[str, str] | None) -> Any:
    kwargs: dict[str, Any] = {"formdata": formdata}
    if hasattr(form_class.Meta, "csrf"):
        kwargs["meta"] = {"csrf": False}
    return form_class(**kwargs)  # type: ignore[call-arg]


def test_every_single_line_field_of_every_form_keeps_one_line(app: Flask) -> None:
    classes = list(_form_classes())
    assert len(classes) > 40  # the walk found the app's forms
    checked = 0
    with app.test_request_context("/", method="POST"):
        for form_class in classes:
            empty = _build(form_class, MultiDict())
            names = [f.name for f in _leaves(empty) if _single_line(f)]
            if not names:
                continue
            form = _build(form_class, MultiDict({n: BROKEN for n in names}))
            for field in _leaves(form):
                if field.name not in names:
                    continue
                checked += 1
                data = field.data or ""
                kept = sorted(repr(ch) for ch in set(data) & CONTROL)
                assert not kept, f"{form_class.__qualname__}.{field.name} kept {kept}"
                assert "A B" in data and "I J" in data, f"{form_class.__qualname__}.{field.name}"
    assert checked > 50


def test_a_text_area_keeps_its_lines(app: Flask) -> None:
    from webapp.cases.notice_forms import CancelForm

    with app.test_request_context("/", method="POST"):
        form = CancelForm(
            formdata=MultiDict({"reason": "rad ett\r\nrad två"}), meta={"csrf": False}
        )
        assert form.reason.data == "rad ett\nrad två"


def test_a_drafts_single_line_value_is_read_out_on_one_line() -> None:
    data = {"patient_name": "Anna\r\nSvensson", "history": "Waran.\nVaken."}
    shown = {v.label: v.value for v in typed_values("referral", data)}
    assert shown["Namn"] == "Anna Svensson"
    assert shown["Anamnes"] == "Waran.\nVaken."


def test_a_draft_keeps_what_was_typed_and_its_form_takes_it_as_one_line(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    key = "draftkey-" + "x" * 16
    client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": "Anna\r\nSvensson",
            "data": {"patient_name": "Anna\r\nSvensson", "personal_number": "19121212-1212"},
        },
    )
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == key))
        assert draft is not None
        assert draft.data["patient_name"] == "Anna\r\nSvensson"
        assert draft.label == "Anna Svensson"  # every list of drafts shows it in one cell
    page = client.get(f"/cases/new?draft={key}").get_data(as_text=True)
    assert 'value="Anna Svensson"' in page
