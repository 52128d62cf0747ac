"""Bad input on every form POST: never a 500, never unescaped HTML, what was typed kept.

The table below names every form of the app outside the routines blueprint (its forms are in
test_fuzz_routines.py); the first test checks that the two tables cover every POST route.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from webapp.cases import formdata

from .factories import exam_data, local_minute, referral_data, report_data
from .fuzz_harness import (
    FUZZ,
    VALUE,
    Form,
    check_response,
    clients_for,
    example_counter,
    fill_path,
    fresh_key,
    spoil,
)
from .test_access_wall import World, build_world
from .test_fuzz_routines import ROUTINE_FORMS

RUNS, _report_total = example_counter()


# The case forms' own field lists, with the identity, priority and modality fields beside them.
REFERRAL_FIELDS = (
    "form_key",
    "id_mode",
    "personal_number",
    "reserve_number",
    "sex",
    "approx_age",
    "patient_name",
    "priority",
    "modality",
    *formdata.REFERRAL_FIELDS,
)
REFERRAL_ECHO = (
    "personal_number",
    "patient_name",
    "referrer_unit",
    "referrer_clinician",
    "referrer_phone",
    "reply_fax",
    "exam_text",
    "clinical_question",
    "history",
    "implants_note",
    "arrived_at",
)
EXAM_FIELDS = ("form_key", *formdata.EXAM_FIELDS)
EXAM_ECHO = (
    "exam_text",
    "radiographers",
    "modality_temp_id",
    "contrast_agent",
    "complications",
    "notes",
    "started_at",
)


def _referral(world: World) -> dict[str, Any]:
    return referral_data(form_key=fresh_key())


FORMS = (
    Form("cases.new", "/cases/new", "radiographer", _referral, REFERRAL_FIELDS, REFERRAL_ECHO),
    Form(
        "cases.edit_referral",
        "/cases/{case_id}/referral",
        "radiographer",
        _referral,
        REFERRAL_FIELDS,
        REFERRAL_ECHO,
    ),
    Form(
        "blanks.open_blank",
        "/blanks/{reserved_code}/open",
        "radiographer",
        _referral,
        REFERRAL_FIELDS,
        REFERRAL_ECHO,
    ),
    Form(
        "cases.identity",
        "/cases/{case_id}/identity",
        "radiographer",
        lambda w: {
            "id_mode": "pnr",
            "personal_number": "19121212-1212",
            "patient_name": "Örjan Älvström",
            "reason": "Stavning",
        },
        ("id_mode", "personal_number", "reserve_number", "sex", "approx_age", "patient_name"),
        ("personal_number", "patient_name", "reason"),
    ),
    Form(
        "cases.exam",
        "/cases/{case_id}/exam",
        "radiographer",
        lambda w: exam_data(form_key=fresh_key()),
        EXAM_FIELDS,
        EXAM_ECHO,
    ),
    Form("cases.cancel", "/cases/{case_id}/cancel", "radiographer", lambda w: {}, ("reason",)),
    Form("cases.restore", "/cases/{case_id}/restore", "radiographer", lambda w: {}, ("reason",)),
    Form(
        "reporting.screen",
        "/reporting/{open_case_id}",
        "radiologist",
        lambda w: report_data("save", fresh_key()),
        (
            "form_key",
            "action",
            "template_id",
            "sections-0-heading",
            "sections-0-text",
            "sections-1-text",
            "sections-25-text",
            "is_urgent",
        ),
        ("sections-0-text", "sections-1-text"),
    ),
    Form(
        "reporting.priority",
        "/reporting/{case_id}/priority",
        "radiologist",
        lambda w: {"priority": "akut", "reason": ""},
        ("priority", "reason"),
        ("reason",),
    ),
    Form(
        "reporting.addendum",
        "/reporting/{case_id}/addendum",
        "radiologist",
        lambda w: {"text": ""},
        ("text",),
        ("text",),
    ),
    Form(
        "reporting.call",
        "/reporting/{case_id}/call",
        "radiologist",
        lambda w: {
            "called_person": "Dr Åberg",
            "phone_number": "0999-123 45",
            "called_at": "2026-01-15T11:30",
            "note": "",
        },
        ("called_person", "phone_number", "called_at", "note"),
        ("called_person", "phone_number", "called_at", "note"),
    ),
    Form(
        "reporting.fax",
        "/reporting/{case_id}/fax",
        "secretary",
        lambda w: {
            "author_name": "Dr Natt",
            "received_at": "2026-01-15T11:30",
            "state": "preliminary",
            "findings": "Inga fynd.",
            "conclusion": "",
        },
        ("author_name", "received_at", "state", "findings", "conclusion", "is_urgent"),
        ("author_name", "received_at", "findings", "conclusion"),
    ),
    Form(
        "reporting.paper",
        "/reporting/{case_id}/paper",
        "secretary",
        lambda w: {
            "author_id": "",
            "author_name": "Dr Papper",
            "written_at": "2026-01-15T11:30",
            "state": "definitive",
            "findings": "Inga fynd.",
            "conclusion": "",
            "already_faxed": "y",
            "faxed_at": "2026-01-15T11:40",
            "fax_number": "035-123 45 67",
        },
        (
            "author_id",
            "author_name",
            "written_at",
            "state",
            "findings",
            "conclusion",
            "is_urgent",
            "already_faxed",
            "faxed_at",
            "fax_number",
        ),
        ("author_name", "written_at", "findings", "conclusion", "faxed_at", "fax_number"),
    ),
    Form(
        "reporting.dispatch",
        "/reporting/{case_id}/dispatch",
        "secretary",
        lambda w: {"fax_number": "035-123 45 67", "faxed_at": local_minute(), "note": ""},
        ("fax_number", "faxed_at", "note", "back"),
        ("fax_number", "note"),
    ),
    Form(
        "catchup.ris_ids",
        "/catchup/cases/{case_id}/ris",
        "secretary",
        lambda w: {"ris_accession": "", "ris_exam_number": "U-1"},
        ("ris_accession", "ris_exam_number", "allow_duplicate"),
        ("ris_accession", "ris_exam_number"),
    ),
    Form(
        "catchup.step",
        "/catchup/cases/{case_id}/steps",
        "secretary",
        lambda w: {"step": "booked", "is_done": "1"},
        ("step", "is_done", "confirm_preliminary"),
    ),
    Form("catchup.verify", "/catchup/cases/{case_id}/verify", "secretary", lambda w: {}, ("x",)),
    Form("catchup.lift", "/catchup/cases/{case_id}/waive/lift", "secretary", lambda w: {}, ("x",)),
    Form(
        "catchup.waive",
        "/catchup/cases/{case_id}/waive",
        "secretary",
        lambda w: {"reason": ""},
        ("reason",),
        ("reason",),
    ),
    Form(
        "blanks.reserve",
        "/blanks/reserve",
        "admin",
        lambda w: {"doc_kind": "BLR", "count": "0", "batch_label": "Pärm 1"},
        ("doc_kind", "count", "batch_label"),
        ("batch_label",),
    ),
    Form(
        "blanks.attach",
        "/blanks/{reserved_code}/attach",
        "radiographer",
        lambda w: {"typed": "19121212-1212"},
        ("typed",),
        ("typed",),
    ),
    Form(
        "blanks.void",
        "/blanks/{reserved_code}/void",
        "admin",
        lambda w: {},
        ("reason",),
    ),
    Form(
        "incidents.declare",
        "/incidents/new",
        "radiographer",
        lambda w: {"scenario": "", "notes": "Larm 10:02"},
        ("scenario", "is_drill", "notes"),
        ("notes",),
    ),
    Form(
        "incidents.tick",
        "/incidents/{incident_id}/steps",
        "radiographer",
        lambda w: {"step_key": "step0", "is_done": "1"},
        ("step_key", "is_done", "note"),
    ),
    Form(
        "incidents.scenario",
        "/incidents/{incident_id}/scenario",
        "radiographer",
        lambda w: {"scenario": "om_ris"},
        ("scenario",),
    ),
    Form(
        "incidents.restored",
        "/incidents/{incident_id}/restored",
        "radiographer",
        lambda w: {"restored": "1"},
        ("restored",),
    ),
    Form(
        "incidents.note",
        "/incidents/{incident_id}/notes",
        "radiographer",
        lambda w: {"note": ""},
        ("note",),
        ("note",),
    ),
    Form(
        "admin.users",
        "/admin/users",
        "admin",
        lambda w: {
            "display_name": "Ny Person",
            "username": "ny.person",
            "role": "radiographer",
            "kind": "pin",
            "secret": "1",
        },
        ("display_name", "username", "role", "kind", "secret"),
        ("display_name", "username"),
    ),
    Form(
        "admin.edit_user",
        "/admin/users/{user_id}",
        "admin",
        lambda w: {
            "display_name": "Testa Röntgen",
            "role": "radiographer",
            "is_active": "y",
            "kind": "pin",
            "secret": "1",
        },
        ("display_name", "role", "is_active", "kind", "secret"),
        ("display_name",),
    ),
    Form(
        "admin.site",
        "/admin/site",
        "admin",
        lambda w: {"config_toml": "[site]"},
        ("config_toml",),
        ("config_toml",),
    ),
    Form(
        "reporting.edit_template",
        "/reporting/templates/new",
        "admin",
        lambda w: {
            "name": "Mall",
            "modality": "CT",
            "sections": "Fynd\nBedömning",
            "phrases": "Okänd: text",
            "is_active": "y",
        },
        ("name", "modality", "exam_codes", "sections", "phrases", "is_active"),
        ("name", "sections"),
    ),
    Form(
        "auth.own_secret",
        "/me/secret",
        "radiologist",
        lambda w: {"current": "000000", "kind": "pin", "new": "1", "confirm": "1"},
        ("current", "kind", "new", "confirm"),
        # Secrets are never written back into a page.
        (),
    ),
    Form(
        "auth.login",
        "/login",
        "",
        lambda w: {"username": "test-radiographer", "secret": "000000"},
        ("username", "secret"),
        ("username",),
    ),
)
# POST routes with nothing to type (a confirm button), or fuzzed in a test of their own.
NOT_FORMS = {
    "admin.backup_now": "confirm button only",
    "admin.unlock": "confirm button only",
    "admin.end_user_logins": "confirm button only",
    "auth.logout": "ends the session; no fields",
    "auth.language": "one choice, checked against a list",
    "auth.setup": "fuzzed in its own test (needs an empty user table)",
    "blanks.attach_confirm": "confirm button only (the case id of a listed case)",
    "catchup.close": "confirm button only",
    "drafts.discard": "confirm button only",
    "drafts.put": "JSON API, fuzzed in its own test",
    "incidents.select_current": "confirm button only",
}


def test_every_post_route_is_fuzzed(app: Flask) -> None:
    posts = {r.endpoint for r in app.url_map.iter_rules() if {"POST", "PUT"} & (r.methods or set())}
    fuzzed = {f.endpoint for f in (*FORMS, *ROUTINE_FORMS)}
    assert sorted(posts - fuzzed - set(NOT_FORMS)) == []
    assert sorted((fuzzed | set(NOT_FORMS)) - posts) == []
    assert not fuzzed & set(NOT_FORMS)


@pytest.mark.parametrize("group", ["radiographer", "radiologist", "secretary", "admin", ""])
def test_form_posts_survive_bad_input(app: Flask, group: str) -> None:
    world = build_world(app)
    forms = [f for f in FORMS if f.role == group]
    clients = clients_for(app, {group})

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        sent = spoil(data, form, world)
        response = clients[group].post(fill_path(form.path, world), data=sent)
        check_response(response, sent, form.echo, form.endpoint)
        RUNS[f"form:{group or 'anonymous'}"] += 1

    run()
    assert RUNS[f"form:{group or 'anonymous'}"] >= 40


def test_setup_survives_bad_input(app: Flask) -> None:
    client = app.test_client()
    fields = ("display_name", "username", "kind", "secret", "confirm")

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        # The two secrets never match, so the first administrator is never created.
        sent: dict[str, Any] = {
            "display_name": "Första Admin",
            "username": "forsta",
            "kind": "password",
            "secret": "ett långt lösenord",
            "confirm": "ett annat lösenord",
        }
        name = data.draw(st.sampled_from(fields), label="field")
        value = data.draw(VALUE, label=name)
        if name == "confirm" and value == sent["secret"]:
            value = "x"
        if value is None:
            sent.pop(name)
        else:
            sent[name] = value
        response = client.post("/setup", data=sent)
        check_response(response, sent, ("display_name", "username"), "auth.setup")
        RUNS["setup"] += 1

    run()
    assert RUNS["setup"] >= 40
