"""Every look at patient data (view, print, export, scan) writes exactly one audit row."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .conftest import AuthActions
from .routines_support import make_case, release_data, transfer_data
from .test_access_wall import (
    EXPECTED,
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    ROLES,
    World,
    build_world,
    concrete_path,
    login,
    method_for,
)


@dataclass(frozen=True)
class Audited:
    """How to request an audited endpoint, and what its audit row must name."""

    role: str
    scope: str  # "case": case_id and patient_ref set; "incident": incident_id set; "" neither
    reason: str
    query: str = ""


AUDITED: dict[str, Audited] = {
    "cases.new": Audited(
        "radiographer", "", "lists open drafts by patient name; ?draft= fills one"
    ),
    "cases.show": Audited("radiographer", "case", "the whole case"),
    "cases.edit_referral": Audited("radiographer", "case", "form filled with the referral"),
    "cases.identity": Audited("radiographer", "case", "the patient's identity"),
    "cases.exam": Audited("radiographer", "case", "the exam documentation"),
    "cases.case_history": Audited("radiographer", "case", "earlier versions of the records"),
    "reporting.index": Audited("radiologist", "incident", "worklist of patients"),
    "reporting.screen": Audited("radiologist", "case", "referral, exam and report"),
    "reporting.addendum": Audited("radiologist", "case", "the report screen, its addendum form"),
    "reporting.call": Audited("radiologist", "case", "referrer call about a finding"),
    "reporting.fax": Audited("secretary", "case", "faxed report entry beside the case"),
    "reporting.paper": Audited("secretary", "case", "paper report entry beside the case"),
    "reporting.dispatch": Audited("secretary", "case", "the report's fax log beside the case"),
    "catchup.scan": Audited("secretary", "case", "a scanned sheet opens its case", "code={code}"),
    "catchup.case": Audited("secretary", "case", "everything to key into RIS"),
    "catchup.batch": Audited("secretary", "incident", "the batch's outstanding cases"),
    "catchup.export": Audited("secretary", "incident", "exports every case of the incident"),
    "catchup.export_again": Audited("secretary", "incident", "an earlier export's cases again"),
    "printing.case_document": Audited("radiographer", "case", "prints the case's sheets"),
    "printing.incident_list": Audited("radiographer", "incident", "prints the case list"),
    "board.index": Audited("radiographer", "incident", "the incident's patients (masked)"),
    "followup.show": Audited("secretary", "incident", "the outage's cases by their codes"),
    "followup.pdf": Audited("secretary", "incident", "prints the outage's follow-up"),
    "drafts.index": Audited("radiographer", "", "draft labels hold patient name and number"),
    "drafts.get": Audited("radiographer", "", "returns a draft's typed patient data"),
    "drafts.show": Audited("radiographer", "", "shows a draft's typed patient data"),
    "routines.reviewer": Audited("radiographer", "incident", "the cases sent to the reviewer"),
    "routines.admin_queue_view": Audited("admin", "", "case codes and notes of the RIS queue"),
    "routines.transfer_list": Audited("radiographer", "", "the transfers and their case codes"),
    "admin.audit": Audited("admin", "", "the log names patients"),
    "admin.audit_export": Audited("admin", "", "exports the log that names patients"),
}

# Reads logged once a while, not at each GET; each has tests of its own.
LOGGED_NOW_AND_THEN: dict[str, str] = {
    "board.rows": "the open board's refresh every 10 s: a row a quarter hour per login "
    "(tests/test_board_reads.py); board.index logs the look",
}

# Pages that show patient data only now and then, and log a read naming it when they do; each
# has tests of its own.
LOGGED_WHEN_SHOWN: dict[str, str] = {
    "incidents.show": "forms that came after the end (tests/test_drafts_late.py), cancelled "
    "cases without a notice, and the log's moves with their typed reasons "
    "(tests/test_incident_log_move_read.py); otherwise no case or patient",
}

NO_PATIENT_DATA: dict[str, str] = {
    "incidents.index": "the site's incidents: titles, times and counts, no case",
    "incidents.declare": "an empty form to declare an incident",
    "blanks.index": "codes of the binder, with a link only when used",
    "catchup.loose_blanks": "codes of the binder printed before the close, none used by a case",
    "blanks.reprint_unused": "blank sheets: codes and empty fields",
    "blanks.batch_pdf": "blank sheets of one batch: codes and empty fields",
    "blanks.routines": "the site's outage routines and contacts, no case or patient",
    "blanks.ward_referral": "the site's empty ward referral form and fax numbers, no patient",
    "blanks.open_blank": "an empty referral form for a binder code",
    "blanks.attach": "an empty search for a binder blank's case; the cases found log their read",
    "reporting.templates": "the template library",
    "reporting.edit_template": "one template of the library",
    "routines.index": "the routines menu",
    "routines.reviewer_receive": "an empty form for a faxed answer; the case code is typed",
    "routines.reviewer_routes": "the image routes to the reviewer and whether they work",
    "routines.reviewer_route_edit": "one image route's status",
    "routines.transfer_new": "an empty transfer form",
}
# Routine pages that show a patient, each with its own objects (made in `routines_world`).
ROUTINES_AUDITED: dict[str, Audited] = {
    "routines.reviewer_case": Audited("radiographer", "case", "the case beside its fax log"),
    "routines.release_new": Audited("secretary", "case", "release form beside the patient"),
    "routines.release_show": Audited("secretary", "case", "who received which images"),
    "routines.release_disc_label": Audited("radiographer", "case", "prints the disc's label"),
    "routines.release_billing": Audited("secretary", "", "releases for private use, by patient"),
    "routines.transfer_show": Audited("radiographer", "case", "a transfer and its patient"),
    "routines.transfer_disc_label": Audited("radiographer", "case", "prints the DVD's label"),
}

# A GET route under these paths may show patient data, so it must be classified above.
GUARDED = (
    "/cases",
    "/reporting",
    "/catchup",
    "/print",
    "/board",
    "/scan",
    "/blanks",
    "/drafts",
    "/routines",
    "/incidents",
)
GUARDED_API = "/api"


def _guarded_get_endpoints(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if method_for(rule) == "GET" and rule.rule.startswith((*GUARDED, GUARDED_API))
    }


def test_every_patient_route_is_classified(app: Flask) -> None:
    audited = set(AUDITED) | set(ROUTINES_AUDITED) | set(LOGGED_NOW_AND_THEN)
    audited |= set(LOGGED_WHEN_SHOWN)
    unclassified = _guarded_get_endpoints(app) - audited - set(NO_PATIENT_DATA)
    assert sorted(unclassified) == [], "add to AUDITED or NO_PATIENT_DATA (with the reason)"
    assert set(AUDITED).isdisjoint(NO_PATIENT_DATA)
    assert set(LOGGED_NOW_AND_THEN).isdisjoint(set(AUDITED) | set(NO_PATIENT_DATA))
    assert set(ROUTINES_AUDITED).isdisjoint(set(AUDITED) | set(NO_PATIENT_DATA))
    assert audited <= set(app.view_functions)
    assert set(NO_PATIENT_DATA) <= set(app.view_functions)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id))) or 0


def _problems(app: Flask, world: World, endpoint: str, client: FlaskClient) -> list[str]:
    spec = AUDITED[endpoint]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    path = concrete_path(rule, world.params())
    if spec.query:
        path += "?" + spec.query.format(code=world.case_code)
    return _row_problems(app, client, path, spec, world.case_id, world.incident_id)


def _row_problems(
    app: Flask, client: FlaskClient, path: str, spec: Audited, case_id: int, incident_id: int
) -> list[str]:
    """What is wrong with the audit row(s) one GET of the path writes."""
    before = _count(app)
    response = client.get(path)
    response.get_data()
    response.close()
    if response.status_code not in (200, 302):
        return [f"status {response.status_code}"]
    return _rows_after(app, before, spec, case_id, incident_id)


def _rows_after(
    app: Flask,
    before: int,
    spec: Audited,
    case_id: int,
    incident_id: int,
    *,
    reads_only: bool = False,
) -> list[str]:
    """What is wrong with the audit rows written since the log had `before` rows.

    With `reads_only`, rows of what a refused action did (e.g. `release_handover_refused`)
    are left aside: the read rows (`*_view`) are the ones that must number exactly one.
    """
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(before)).all()
        if reads_only:
            rows = [r for r in rows if r.action.endswith("_view")]
        if len(rows) != 1:
            return [f"{len(rows)} rows: {[r.action for r in rows]}"]
        row = rows[0]
        checks = {
            "time": row.at is not None,
            "user": row.username == f"test-{spec.role}" and row.user_id is not None,
            "role": row.role == spec.role,
            "care_unit": bool(row.care_unit),
            "action": bool(row.action),
            "case": spec.scope != "case"
            or (row.case_id == case_id and row.patient_ref == "191212121212"),
            "incident": spec.scope not in ("case", "incident") or row.incident_id == incident_id,
        }
    return [name for name, ok in checks.items() if not ok]


def test_each_patient_route_writes_exactly_one_complete_audit_row(app: Flask, world: World) -> None:
    clients: dict[str, FlaskClient] = {}
    for role in {spec.role for spec in AUDITED.values()}:
        clients[role] = app.test_client()
        login(clients[role], app, role)
    problems = {
        endpoint: found
        for endpoint in sorted(AUDITED)
        if (found := _problems(app, world, endpoint, clients[AUDITED[endpoint].role]))
    }
    assert problems == {}


def test_the_empty_scan_page_logs_nothing(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, app, "secretary")
    before = _count(app)
    response = client.get("/scan")
    assert response.status_code == 200
    assert _count(app) == before


@pytest.fixture
def routines_world(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, int]:
    """A reported case in an incident with the external reviewer, released and transferred."""
    case_id = make_case(client, auth, report="definitive")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        code, incident_id = case.code, case.incident_id
    auth.login("secretary")
    response = client.post(
        f"/routines/releases/cases/{case_id}",
        data=release_data(),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    release_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    auth.logout()
    auth.login("radiographer")
    response = client.post(
        "/routines/transfers/new",
        data=transfer_data(patient_ref="", case_code=code),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    transfer_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    # The DVD route logged: the transfer's disc label is then printed.
    response = client.post(
        f"/routines/transfers/{transfer_id}/attempts", data={"route": "dvd", "outcome": "pending"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return {
        "case_id": case_id,
        "incident_id": incident_id,
        "release_id": release_id,
        "transfer_id": transfer_id,
    }


def test_each_routine_page_with_a_patient_writes_one_complete_audit_row(
    app: Flask, routines_world: dict[str, int]
) -> None:
    params = {name: str(value) for name, value in routines_world.items()}
    clients: dict[str, FlaskClient] = {}
    for role in {spec.role for spec in ROUTINES_AUDITED.values()}:
        clients[role] = app.test_client()
        login(clients[role], app, role)
    problems = {}
    for endpoint, spec in sorted(ROUTINES_AUDITED.items()):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        path = concrete_path(rule, params)
        found = _row_problems(
            app,
            clients[spec.role],
            path,
            spec,
            routines_world["case_id"],
            routines_world["incident_id"],
        )
        if found:
            problems[endpoint] = found
    assert problems == {}


# Bad input for POST routes whose empty form would pass (or fail before showing the case).
BAD_POSTS: dict[str, dict[str, str]] = {
    "catchup.ris_ids": {"ris_accession": "x" * 500},
    "cases.identity": {"id_mode": "pnr", "personal_number": "1", "reason": "Fel"},
    "reporting.protocol": {"protocol": "x" * 2001},
}
# Routes that once showed the whole case on bad input without a row: they must stay covered.
SHOWN_ON_BAD_POST = {
    "cases.cancel",
    "cases.images_sent",
    "cases.move",
    "cases.identity",
    "catchup.ris_ids",
    "catchup.waive",
    "reporting.addendum",
    "reporting.priority",
    "reporting.protocol",
    "reporting.screen",
}


def _post_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or ()) and rule.rule.startswith(GUARDED)
        ),
        key=lambda r: r.endpoint,
    )


def _bad_post_findings(
    app: Flask, params: dict[str, str], case_id: int, incident_id: int
) -> tuple[set[str], dict[str, list[str]]]:
    """Routes that showed the patient after a bad POST, and what was wrong with their rows."""
    clients: dict[str, FlaskClient] = {}
    for role in ROLES:
        clients[role] = app.test_client()
        login(clients[role], app, role)
    shown: set[str] = set()
    problems: dict[str, list[str]] = {}
    for rule in _post_rules(app):
        if not rule.arguments <= set(params):
            continue
        path = concrete_path(rule, params)
        for role in sorted(set(ROLES) & set(EXPECTED[rule.endpoint])):
            before = _count(app)
            response = clients[role].post(path, data=BAD_POSTS.get(rule.endpoint, {}))
            body = response.get_data(as_text=True)
            patient_shown = any(i in body for i in (PATIENT_NAME, *PERSONAL_NUMBERS))
            if response.status_code not in (200, 400, 409) or not patient_shown:
                continue
            shown.add(rule.endpoint)
            scope = "case" if "case_id" in rule.arguments else ""
            spec = Audited(role, scope, "shows the case again beside the errors")
            found = _rows_after(app, before, spec, case_id, incident_id, reads_only=True)
            if found:
                problems[f"{rule.endpoint} as {role}"] = found
    return shown, problems


def test_a_bad_post_that_shows_the_patient_writes_exactly_one_complete_row(
    app: Flask, world: World
) -> None:
    shown, problems = _bad_post_findings(app, world.params(), world.case_id, world.incident_id)
    assert problems == {}
    assert shown >= SHOWN_ON_BAD_POST


def test_a_bad_routine_post_that_shows_the_patient_writes_exactly_one_complete_row(
    app: Flask, routines_world: dict[str, int]
) -> None:
    params = {name: str(value) for name, value in routines_world.items()}
    case_id, incident_id = routines_world["case_id"], routines_world["incident_id"]
    shown, problems = _bad_post_findings(app, params, case_id, incident_id)
    assert problems == {}
    assert {"routines.release_handover", "routines.transfer_close"} <= shown


@pytest.mark.parametrize(
    ("typed", "status", "action"),
    [
        # Refused: the follow-up is shown again beside the error, a read of its case codes.
        ("AV<1>", 400, "followup_view"),
        ("AV-2026-1234", 302, "incident_deviation"),
    ],
)
def test_the_deviation_number_writes_exactly_one_complete_row(
    app: Flask, world: World, typed: str, status: int, action: str
) -> None:
    client = app.test_client()
    login(client, app, "secretary")
    before = _count(app)
    response = client.post(
        f"/incidents/{world.incident_id}/followup/deviation", data={"deviation_number": typed}
    )
    assert response.status_code == status
    spec = Audited("secretary", "incident", "the follow-up's deviation number")
    assert _rows_after(app, before, spec, world.case_id, world.incident_id) == []
    with app.app_context():
        [row] = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(before))
        assert row.action == action
