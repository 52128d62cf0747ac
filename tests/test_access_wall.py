"""The access wall: a declared table of who may reach every route, checked against the app."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from webapp.access import rule_for
from webapp.extensions import db
from webapp.models import Case, Draft, ExportBatch, ReportTemplate, ReservedCode

from .factories import DEFAULT_PIN, exam_data, make_user, referral_data, report_data

ROLES = ("radiographer", "radiologist", "secretary", "admin")
CLINICAL = frozenset(ROLES)
ADMIN = frozenset({"admin"})
STAFF = frozenset({"secretary", "admin"})
RADIOLOGIST = frozenset({"radiologist"})
READERS = frozenset({"radiologist", "secretary"})
PUBLIC = "public"

# Who may reach each endpoint. A new route fails the wall until it is added here.
EXPECTED: dict[str, str | frozenset[str]] = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.healthz": PUBLIC,
    "main.about": CLINICAL,
    "main.open_page": CLINICAL,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.setup": PUBLIC,
    "auth.language": PUBLIC,
    "auth.me": CLINICAL,
    "auth.own_secret": CLINICAL,
    "admin.index": ADMIN,
    "admin.backup_now": ADMIN,
    "admin.lan_qr": ADMIN,
    "admin.users": ADMIN,
    "admin.users_many": ADMIN,
    "admin.users_many_create": ADMIN,
    "admin.users_many_done": ADMIN,
    "admin.pin_slips": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.unlock": ADMIN,
    "admin.unlock_address_lock": ADMIN,
    "admin.site": ADMIN,
    "admin.site_history": ADMIN,
    "admin.audit": ADMIN,
    "admin.audit_export": ADMIN,
    "incidents.index": CLINICAL,
    "incidents.declare": CLINICAL,
    "incidents.show": CLINICAL,
    "incidents.select_current": CLINICAL,
    "incidents.tick": CLINICAL,
    "incidents.note": CLINICAL,
    "incidents.scenario": CLINICAL,
    "incidents.restored": CLINICAL,
    "followup.show": STAFF,
    "followup.pdf": STAFF,
    "followup.deviation": STAFF,
    "cases.new": CLINICAL,
    "cases.show": CLINICAL,
    "cases.edit_referral": CLINICAL,
    "cases.identity": CLINICAL,
    "cases.exam": CLINICAL,
    "cases.cancel": CLINICAL,
    "cases.move": CLINICAL,
    "cases.restore": CLINICAL,
    "cases.detach_blank": CLINICAL,
    "cases.blank_read_same": RADIOLOGIST,
    "cases.images_sent": CLINICAL,
    "cases.cancel_notice": CLINICAL,
    "cases.restore_call": CLINICAL,
    "cases.reviewer_told": CLINICAL,
    "cases.case_history": CLINICAL,
    "board.index": CLINICAL,
    "board.rows": CLINICAL,
    "drafts.put": CLINICAL,
    "drafts.get": CLINICAL,
    "drafts.index": CLINICAL,
    "drafts.show": CLINICAL,
    "drafts.discard": CLINICAL,
    "reporting.index": frozenset({"radiologist", "admin"}),
    "reporting.screen": RADIOLOGIST,
    "reporting.priority": RADIOLOGIST,
    "reporting.protocol": RADIOLOGIST,
    "reporting.second_look": RADIOLOGIST,
    "reporting.addendum": RADIOLOGIST,
    "reporting.call": READERS,
    "reporting.fax": READERS,
    "reporting.paper": READERS,
    "reporting.dispatch": frozenset({"radiologist", "secretary", "radiographer"}),
    "reporting.templates": frozenset({"radiologist", "admin"}),
    "reporting.edit_template": ADMIN,
    "catchup.scan": STAFF,
    "catchup.case": STAFF,
    "catchup.ris_ids": STAFF,
    "catchup.step": STAFF,
    "catchup.verify": STAFF,
    "catchup.ris_pacs_cleaned": STAFF,
    "catchup.release_ris_note": STAFF,
    "catchup.waive": STAFF,
    "catchup.lift": STAFF,
    "catchup.confirm_waiver": STAFF,
    "catchup.batch": STAFF,
    "catchup.loose_blanks": STAFF,
    "catchup.export": STAFF,
    "catchup.export_again": STAFF,
    "catchup.close": ADMIN,
    "blanks.index": ADMIN,
    "blanks.reserve": ADMIN,
    "blanks.batch_pdf": ADMIN,
    "blanks.reprint_unused": ADMIN,
    "blanks.routines": ADMIN,
    "blanks.ward_referral": ADMIN,
    "blanks.void": ADMIN,
    "blanks.open_blank": CLINICAL,
    "blanks.attach": CLINICAL,
    "blanks.attach_confirm": CLINICAL,
    "printing.case_document": CLINICAL,
    "printing.incident_list": CLINICAL,
    "routines.index": CLINICAL,
    "routines.reviewer": CLINICAL,
    "routines.reviewer_tick": CLINICAL,
    "routines.reviewer_case": CLINICAL,
    "routines.reviewer_fax": CLINICAL,
    "routines.reviewer_route": CLINICAL,
    "routines.reviewer_verbal": CLINICAL,
    "routines.reviewer_forwarded": CLINICAL,
    "routines.reviewer_undo_receipt": CLINICAL,
    "routines.reviewer_receive": CLINICAL,
    "routines.admin_queue_view": ADMIN,
    "routines.admin_done": ADMIN,
    "routines.admin_removed_from_ris": ADMIN,
    "admin.end_user_logins": ADMIN,
    "routines.reviewer_routes": ADMIN,
    "routines.reviewer_route_edit": ADMIN,
    "routines.release_new": CLINICAL,
    "routines.release_show": CLINICAL,
    "routines.release_handover": CLINICAL,
    "routines.release_report": CLINICAL,
    "routines.release_report_check": CLINICAL,
    "routines.release_disc_label": CLINICAL,
    "routines.release_billing": STAFF,
    "routines.transfer_list": CLINICAL,
    "routines.transfer_new": CLINICAL,
    "routines.transfer_show": CLINICAL,
    "routines.transfer_attempt": CLINICAL,
    "routines.transfer_check": CLINICAL,
    "routines.transfer_close": CLINICAL,
    "routines.transfer_disc_label": CLINICAL,
}

PATIENT_NAME = "Örjan Älvström"
PERSONAL_NUMBERS = ("19121212-1212", "191212121212")
# Requests that end or change the session run last, so they do not log the client out early.
LAST = ("auth.language", "auth.logout")


@dataclass(frozen=True)
class World:
    """Ids of one of every object a URL can name."""

    incident_id: int
    case_id: int
    case_code: str
    open_case_id: int
    reserved_code: str
    draft_id: int
    draft_key: str
    template_id: int
    user_id: int
    export_id: int

    def params(self) -> dict[str, str]:
        return {
            "incident_id": str(self.incident_id),
            "case_id": str(self.case_id),
            "code": self.reserved_code,
            "draft_id": str(self.draft_id),
            "form_key": self.draft_key,
            "template_id": str(self.template_id),
            "user_id": str(self.user_id),
            "kind": "referral",
            "fmt": "csv",
            "export_id": str(self.export_id),
            "filename": "css/app.css",
            # Routine objects the world does not make: an allowed role gets 404, not 403.
            "exchange_id": "999999",
            "task_id": "999999",
            "release_id": "999999",
            "transfer_id": "999999",
            "key": "no-such-route",
        }


def login(client: FlaskClient, app: Flask, role: str) -> None:
    """Create the role's test user (once) and log the client in as them."""
    with app.app_context():
        make_user(role=role, username=f"test-{role}")
    response = client.post("/login", data={"username": f"test-{role}", "secret": DEFAULT_PIN})
    assert response.status_code == 302


def build_world(app: Flask) -> World:
    """An incident with a case (referral, exam, definitive report), a binder code, a draft."""
    client = app.test_client()
    login(client, app, "radiographer")
    incident_url = client.post("/incidents/new", data={"scenario": "integration"}).headers[
        "Location"
    ]
    case_url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(case_url + "/exam", data=exam_data()).status_code == 302
    # A second case, examined but not reported: its report editor stays open.
    open_case_url = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="o",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    ).headers["Location"]
    assert client.post(open_case_url + "/exam", data=exam_data(key_suffix="o")).status_code == 302
    draft_key = "w" * 24
    response = client.put(
        f"/api/drafts/{draft_key}",
        json={
            "kind": "referral",
            "seq": 1,
            "data": {"patient_name": "Utkast Patient"},
            "label": "Utkast Patient",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    client.post("/logout")
    login(client, app, "radiologist")
    response = client.post(
        case_url.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20)
    )
    assert response.status_code == 302
    client.post("/logout")
    login(client, app, "admin")
    response = client.post("/blanks/reserve", data={"count": "1", "doc_kind": "BLR"})
    assert response.status_code == 302
    incident_id = int(incident_url.rsplit("/", 1)[-1])
    assert client.get(f"/catchup/incidents/{incident_id}/export/csv").status_code == 200
    client.post("/logout")
    with app.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id))
        assert case.report is not None and case.report.state == "definitive"
        reserved = db.session.scalar(select(ReservedCode))
        draft = db.session.scalar(select(Draft).where(Draft.form_key == draft_key))
        template = db.session.scalar(select(ReportTemplate).order_by(ReportTemplate.id))
        assert template is not None
        user = make_user(role="radiographer", username="test-radiographer")
        return World(
            incident_id=incident_id,
            case_id=case.id,
            case_code=case.code,
            open_case_id=int(open_case_url.rsplit("/", 1)[-1]),
            reserved_code=reserved.code,
            draft_id=draft.id,
            draft_key=draft_key,
            template_id=template.id,
            user_id=user.id,
            export_id=db.session.scalar(select(ExportBatch.id)),
        )


def concrete_path(rule: Rule, params: dict[str, str]) -> str:
    """The rule's path with its arguments filled from the world."""

    def fill(match: re.Match[str]) -> str:
        return params[match.group(1)]

    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", fill, rule.rule)


def method_for(rule: Rule) -> str:
    """GET for GET routes, else the route's only method."""
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    return "GET" if "GET" in methods else methods[0]


def ordered_rules(app: Flask) -> list[Rule]:
    """Every rule: reads first, then writes, and the session-ending ones last."""
    rules = list(app.url_map.iter_rules())
    return sorted(
        rules,
        key=lambda r: (r.endpoint in LAST, method_for(r) != "GET", r.endpoint, r.rule),
    )


def declared(app: Flask, endpoint: str) -> str | frozenset[str] | None:
    rule = rule_for(app.view_functions[endpoint])
    if rule is None:
        return None
    return PUBLIC if rule.public else rule.roles


def test_every_endpoint_is_in_the_expected_table(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(endpoints - set(EXPECTED)) == [], "add these endpoints to EXPECTED"
    assert sorted(set(EXPECTED) - endpoints) == [], "these endpoints no longer exist"


def test_declared_rules_match_the_expected_table(app: Flask) -> None:
    mismatches = {
        endpoint: (declared(app, endpoint), expected)
        for endpoint, expected in EXPECTED.items()
        if endpoint in app.view_functions and declared(app, endpoint) != expected
    }
    assert mismatches == {}


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _body(response) -> str:  # type: ignore[no-untyped-def]
    text = response.get_data().decode("utf-8", "replace")
    response.close()
    return text


def test_without_a_session_every_route_sends_to_login(app: Flask, world: World) -> None:
    client = app.test_client()
    params = world.params()
    seen = 0
    for rule in ordered_rules(app):
        path = concrete_path(rule, params)
        seen += 1
        # A form's POST as well as its page: the rule is the endpoint's, whatever the method.
        for method in every_method(rule):
            response = client.open(path, method=method, data={})
            body = _body(response)
            for identifier in (PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code):
                assert identifier not in body, (method, rule.endpoint, identifier)
            assert response.status_code != 500, (method, rule.endpoint)
            if EXPECTED[rule.endpoint] == PUBLIC:
                continue
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, rule.endpoint)
            else:
                assert response.status_code == 302, (method, rule.endpoint)
                assert response.headers["Location"].startswith("/login"), (method, rule.endpoint)
    assert seen == len(list(app.url_map.iter_rules()))


# Routes a role reaches whose answer for the world's record is still a refusal: the world's draft
# is the radiographer's, and another user's draft is thrown away only by an admin, or by a
# secretary where the batch lists it (test_drafts_discard_rights).
REFUSED_BY_RECORD = {("POST", "drafts.discard"): {"radiologist", "secretary"}}


def every_method(rule: Rule) -> list[str]:
    """The rule's methods, GET first: a form's POST is refused or answered like its page."""
    methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
    return sorted(methods, key=lambda m: (m != "GET", m))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_routes(app: Flask, world: World, role: str) -> None:
    client = app.test_client()
    login(client, app, role)
    params = world.params()
    failures = []
    for rule in ordered_rules(app):
        for method in every_method(rule):
            # An empty form: an allowed role gets its page again or a refusal, never a 500.
            response = client.open(concrete_path(rule, params), method=method, data={})
            _body(response)
            expected = EXPECTED[rule.endpoint]
            allowed = expected == PUBLIC or role in expected
            status = response.status_code
            if status == 403 and role in REFUSED_BY_RECORD.get((method, rule.endpoint), ()):
                continue
            if (allowed and status in (401, 403)) or status >= 500:
                failures.append((method, rule.rule, "allowed" if allowed else "denied", status))
            if not allowed and status != 403:
                failures.append((method, rule.rule, "denied but got", status))
    assert failures == []


# What a user holding a PIN an admin chose may reach: the change page and the way out.
TEMPORARY_REACHES = {"auth.own_secret", "auth.me", "auth.login", "auth.logout", "auth.language"}


def test_a_user_with_a_temporary_pin_reaches_only_the_change_page(app: Flask, world: World) -> None:
    client = app.test_client()
    with app.app_context():
        make_user(role="admin", username="temporary-admin", temporary=True)
    response = client.post("/login", data={"username": "temporary-admin", "secret": DEFAULT_PIN})
    assert response.status_code == 302
    params = world.params()
    failures = []
    for rule in ordered_rules(app):
        if rule.endpoint in ("static", "main.healthz"):
            continue
        for method in every_method(rule):
            response = client.open(concrete_path(rule, params), method=method, data={})
            body = _body(response)
            for identifier in (PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code):
                if identifier in body:
                    failures.append((method, rule.rule, "shows", identifier))
            status = response.status_code
            location = response.headers.get("Location", "")
            sent_to_change = status == 302 and location.endswith("/me/secret")
            refused = status == 403 and rule.rule.startswith("/api/")
            if rule.endpoint in TEMPORARY_REACHES:
                if sent_to_change or status in (401, 403, 500):
                    failures.append((method, rule.rule, "should be reachable, got", status))
            elif not (sent_to_change or refused):
                failures.append((method, rule.rule, "reached with status", status))
    assert failures == []
