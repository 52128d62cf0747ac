"""Bad input in query parameters, path segments and the JSON draft API; regressions found so far.

Never a 500, never unescaped HTML; a search form shows back what was typed.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from .factories import exam_data, hidden_value, referral_data, report_data
from .fuzz_harness import (
    FUZZ,
    NASTY,
    SCALAR,
    TEXT,
    VALUE,
    check_response,
    clients_for,
    example_counter,
    fill_path,
    fresh_key,
)
from .test_access_wall import World, build_world, login

RUNS, _report_total = example_counter()


@dataclass(frozen=True)
class Query:
    """A GET route and the query parameters it reads."""

    endpoint: str
    path: str
    role: str
    params: tuple[str, ...]
    echo: tuple[str, ...] = ()


QUERIES = (
    Query("board.index", "/board/", "radiographer", ("modality", "status", "all", "incident")),
    Query(
        "board.rows",
        "/board/rows",
        "radiographer",
        ("modality", "status", "all", "incident", "pinned"),
    ),
    Query("reporting.index", "/reporting/", "radiologist", ("all",)),
    Query(
        "admin.audit",
        "/admin/audit",
        "admin",
        ("username", "patient", "action", "case_code", "page"),
        # The action is picked from a list, so a made-up one cannot be shown back.
        ("username", "patient", "case_code"),
    ),
    Query(
        "admin.audit_export",
        "/admin/audit.csv",
        "admin",
        ("username", "patient", "action", "case_code"),
    ),
    Query("catchup.scan", "/scan", "secretary", ("code", "read"), ("code",)),
    Query("main.open_page", "/open", "radiographer", ("page",)),
    Query("admin.index", "/admin/", "admin", ("backup",)),
    Query(
        "catchup.export", "/catchup/incidents/{incident_id}/export/csv", "secretary", ("changed",)
    ),
    Query("reporting.screen", "/reporting/{case_id}", "radiologist", ("template", "draft")),
    Query("cases.new", "/cases/new", "radiographer", ("draft",)),
    # The binder's page of codes, and the batch just reserved, offered to print.
    Query("blanks.index", "/blanks/", "admin", ("page", "batch")),
    Query("blanks.open_blank", "/blanks/{reserved_code}/open", "radiographer", ("draft",)),
    Query("cases.exam", "/cases/{case_id}/exam", "radiographer", ("draft",)),
    Query("cases.edit_referral", "/cases/{case_id}/referral", "radiographer", ("draft",)),
    Query("cases.identity", "/cases/{case_id}/identity", "radiographer", ("draft",)),
    # The short forms' drafts (the cancel's reason, the waiver's, a release), continued there.
    Query("cases.show", "/cases/{case_id}", "radiographer", ("draft",)),
    # The incident log's note (its draft names the incident), continued on its page.
    Query("incidents.show", "/incidents/{incident_id}", "radiographer", ("draft",)),
    Query("catchup.case", "/catchup/cases/{case_id}", "secretary", ("draft",)),
    Query("routines.release_new", "/routines/releases/cases/{case_id}", "secretary", ("draft",)),
    Query("routines.release_billing", "/routines/releases/billing", "secretary", ("page",)),
    Query("reporting.fax", "/reporting/{case_id}/fax", "secretary", ("draft",)),
    Query("reporting.paper", "/reporting/{case_id}/paper", "secretary", ("draft",)),
    Query("reporting.addendum", "/reporting/{case_id}/addendum", "radiologist", ("draft",)),
    Query(
        "printing.incident_list",
        "/print/incidents/{incident_id}/list.pdf",
        "radiographer",
        ("masked",),
    ),
    Query("blanks.reprint_unused", "/blanks/unused.pdf", "admin", ("kind",)),
    Query("blanks.routines", "/blanks/routines.pdf", "admin", ("scenario",)),
    Query("auth.login", "/login", "", ("username", "next"), ("username",)),
    Query("routines.transfer_list", "/routines/transfers", "radiographer", ("all", "page")),
    Query(
        "routines.transfer_new", "/routines/transfers/new", "radiographer", ("direction", "code")
    ),
    Query("routines.reviewer", "/routines/reviewer", "radiographer", ("incident",)),
    Query("routines.reviewer_receive", "/routines/reviewer/receive", "secretary", ("code",)),
    # Where its discard returns to: only a path on this laptop is followed.
    Query("drafts.show", "/drafts/{draft_id}", "radiographer", ("next",)),
    # An earlier configuration put back into the editor, by its number in the history.
    Query("admin.site", "/admin/site", "admin", ("version",)),
)
# Path segments typed or scanned by people: fuzzed as part of the URL.
PATHS = (
    ("blanks.open_blank", "/blanks/{}/open", "radiographer"),
    ("blanks.attach", "/blanks/{}/attach", "radiographer"),
    ("drafts.get", "/api/drafts/{}", "radiographer"),
    ("catchup.export", "/catchup/incidents/{incident_id}/export/{}", "secretary"),
    ("printing.case_document", "/print/cases/{case_id}/{}.pdf", "radiographer"),
)


def test_every_view_reading_query_parameters_is_fuzzed(app: Flask) -> None:
    # A view that reads request.args itself must be in QUERIES; a new one fails here first.
    readers = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if "request.args" in inspect.getsource(inspect.unwrap(view))
    }
    assert sorted(readers - {q.endpoint for q in QUERIES}) == []


def test_query_parameters_survive_bad_input(app: Flask) -> None:
    world = build_world(app)
    clients = clients_for(app, {q.role for q in QUERIES} | {p[2] for p in PATHS})

    @settings(FUZZ, max_examples=120)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        if data.draw(st.integers(0, 3), label="kind") == 0:
            endpoint, template, role = data.draw(st.sampled_from(PATHS), label="path")
            segment = data.draw(SCALAR.filter(lambda v: v not in ("", ".", "..")), label="seg")
            path = fill_path(template, world, quote(segment, safe=""))
            response = clients[role].get(path)
            check_response(response, {}, (), endpoint)
        else:
            query = data.draw(st.sampled_from(QUERIES), label="query")
            sent = {}
            for name in data.draw(
                st.lists(st.sampled_from(query.params), min_size=1, unique=True), label="params"
            ):
                value = data.draw(VALUE, label=name)
                if value is not None:
                    sent[name] = value
            response = clients[query.role].get(fill_path(query.path, world), query_string=sent)
            echo = query.echo if all(len(str(v)) <= 64 for v in sent.values()) else ()
            check_response(response, sent, echo, query.endpoint)
        RUNS["query"] += 1

    run()
    assert RUNS["query"] >= 120


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(NASTY) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=8,
)


def test_draft_api_survives_bad_json(app: Flask) -> None:
    world = build_world(app)
    client = app.test_client()
    login(client, app, "radiographer")
    keys = ("kind", "seq", "data", "label", "case_id", "incident_id")

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        body: dict[str, Any] = {
            "kind": "referral",
            "seq": 1,
            "data": {"patient_name": "Utkast"},
            "label": "Utkast",
            "incident_id": world.incident_id,
        }
        for name in data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True)):
            body[name] = data.draw(JSON_VALUE, label=name)
        payload: Any = body if data.draw(st.booleans(), label="object") else body["data"]
        text = json.dumps(payload)  # allow_nan: a browser never sends NaN, a script might
        response = client.put(
            f"/api/drafts/{fresh_key('dr')}", data=text, content_type="application/json"
        )
        check_response(response, {}, (), "drafts.put")
        assert response.status_code in (200, 400), response.status_code
        RUNS["draft_api"] += 1

    run()
    assert RUNS["draft_api"] >= 40


# Regression tests: each input below once gave a 500.


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def test_report_with_unknown_template_id_is_saved_without_template(
    app: Flask, world: World
) -> None:
    client = app.test_client()
    login(client, app, "radiologist")
    path = f"/reporting/{world.open_case_id}"
    for template_id in ("0", "999999", "9" * 12, "²"):
        shown = hidden_value(client.get(path).get_data(as_text=True), "version")
        data = {**report_data("save", fresh_key()), "template_id": template_id, "version": shown}
        assert client.post(path, data=data).status_code == 302, template_id
        assert client.get(path, query_string={"template": template_id}).status_code == 200


def test_report_form_key_reused_with_other_text_is_refused(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, app, "radiologist")
    key = fresh_key()
    path = f"/reporting/{world.open_case_id}"
    assert client.post(path, data=report_data("save", key)).status_code == 302
    changed = {**report_data("save", key), "sections-1-text": "Ändrad bedömning."}
    response = client.post(path, data=changed)
    assert response.status_code == 409
    assert "Ändrad bedömning." in response.get_data(as_text=True)


def test_audit_page_number_beyond_range_shows_an_empty_page(app: Flask) -> None:
    client = app.test_client()
    login(client, app, "admin")
    assert client.get("/admin/audit?page=" + "9" * 40).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "referral", "seq": Infinity, "data": {}}',
        '{"kind": "referral", "seq": 1e400, "data": {}}',
        '{"kind": "referral", "seq": ' + "9" * 40 + ', "data": {}}',
        '{"kind": "referral", "seq": 1, "data": {}, "case_id": ' + "9" * 40 + "}",
        '{"kind": "referral", "seq": 1, "data": {}, "incident_id": ' + "9" * 40 + "}",
        '{"kind": "referral", "seq": 1, "data": {}, "incident_id": 999999}',
        '{"kind": "referral", "seq": 1, "data": ' + "[" * 600 + "]" * 600 + "}",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_draft_api_refuses_numbers_out_of_range_and_deep_json(app: Flask, body: str) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    response = client.put(
        f"/api/drafts/{fresh_key('dr')}", data=body, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("seq", ["<script>alert(1)</script>", "1.5x", [1], {"n": 1}])
def test_draft_api_answers_a_non_number_in_swedish_without_echoing_it(app: Flask, seq: Any) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    response = client.put(
        f"/api/drafts/{fresh_key('dr')}", json={"kind": "referral", "seq": seq, "data": {}}
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "Ogiltigt nummer i utkastet."}


def test_signalling_nan_in_a_number_field_is_a_validation_error(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    for name in ("egfr", "creatinine"):
        data = referral_data(
            form_key=fresh_key(), kidney_measured_on="2026-01-01", **{name: "sNaN"}
        )
        assert client.post("/cases/new", data=data).status_code == 400, name
    exam = exam_data(form_key=fresh_key(), dlp_mgycm="sNaN")
    assert client.post(f"/cases/{world.case_id}/exam", data=exam).status_code == 400


def test_nul_character_is_refused_anywhere(app: Flask, world: World) -> None:
    client = app.test_client()
    assert client.post("/login", data={"username": "a\x00b", "secret": "1"}).status_code == 400
    login(client, app, "radiographer")
    note = client.post(f"/incidents/{world.incident_id}/notes", data={"note": "a\x00b"})
    assert note.status_code == 400
    assert client.get("/board/?status=%00").status_code == 400
    assert client.get("/blanks/%00/open").status_code == 400
    draft = client.put(
        f"/api/drafts/{fresh_key('dr')}",
        json={"kind": "referral", "seq": 1, "data": {}, "label": "a\x00b"},
    )
    assert draft.status_code == 400
