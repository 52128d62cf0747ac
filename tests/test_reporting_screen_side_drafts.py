"""The report screen's instruction to the radiographer and the priority change's reason autosave
as drafts of their case: each form is marked for drafts.js, ?draft= continues its own form (the
editor keeps its stored text), and sending it finishes its draft in the same transaction."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Draft

from .routines_support import make_case
from .statements import sent_statements

KEY = "screenside-" + "s" * 20
TEXT = "Ring mig när patienten är på plats – Åsa"
FORMS = {
    "protocol": ("protocol-panel", "protocol", {"protocol": TEXT}),
    "priority": ("priority-change", "priority", {"priority": "rutin", "reason": TEXT}),
}


def _form_of(page: str, kind: str) -> str:
    match = re.search(rf'<form(?=[^>]*data-draft-kind="{kind}")[^>]*>(.*?)</form>', page, re.S)
    assert match is not None, f"no autosaved {kind} form on the screen"
    return html.unescape(match.group(0))


def _value(form: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', form)
    assert match is not None, name
    return match.group(1)


def _screen(client: FlaskClient, auth) -> int:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    return case_id


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_the_screen_form_autosaves_as_a_draft_of_its_case(
    client: FlaskClient, auth, kind: str
) -> None:
    case_id = _screen(client, auth)
    form = _form_of(client.get(f"/reporting/{case_id}").get_data(as_text=True), kind)
    assert f'data-case-id="{case_id}"' in form
    assert "draft-status" in form


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_screen_draft_is_continued_in_its_own_form(client: FlaskClient, auth, kind: str) -> None:
    case_id = _screen(client, auth)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    version = _value(_form_of(page, kind), "case_version")
    data = FORMS[kind][2] | {"case_version": version, "form_key": KEY}
    body = {"kind": kind, "case_id": case_id, "seq": 1, "label": "x", "data": data}
    assert client.put(f"/api/drafts/{KEY}", json=body).status_code == 200
    page = client.get(f"/reporting/{case_id}?draft={KEY}").get_data(as_text=True)
    form = _form_of(page, kind)
    assert TEXT in form
    assert _value(form, "form_key") == KEY
    # The editor autosaves under a key of its own, never the other form's.
    editor = _form_of(page, "report")
    assert _value(editor, "form_key") != KEY


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_sending_the_screen_form_finishes_its_draft(
    app: Flask, client: FlaskClient, auth, kind: str
) -> None:
    case_id = _screen(client, auth)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    form = _form_of(page, kind)
    data = FORMS[kind][2] | {"case_version": _value(form, "case_version"), "form_key": KEY}
    body = {"kind": kind, "case_id": case_id, "seq": 1, "label": "x", "data": data}
    assert client.put(f"/api/drafts/{KEY}", json=body).status_code == 200
    sent = client.post(f"/reporting/{case_id}/{FORMS[kind][1]}", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
        case = db.session.get(Case, case_id)
        assert case is not None
        assert (case.protocol if kind == "protocol" else case.priority) == data.get(
            "protocol", data.get("priority")
        )


def test_the_screen_reads_the_drafts_of_all_its_forms_in_one_statement(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _screen(client, auth)
    with sent_statements(app) as statements:
        assert client.get(f"/reporting/{case_id}").status_code == 200
    offers = [s for s in statements if re.search(r"FROM draft\b", s) and "is_done" in s]
    assert len(offers) == 1, offers
