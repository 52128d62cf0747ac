"""Two identical routine submits at the same moment: the second answers as a replay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    ImageRelease,
    ImageTransfer,
    ReviewerLogEntry,
    TransferAttempt,
    UrgentCall,
)

from .factories import case_code
from .routines_support import (
    ENTERED,
    make_case,
    receive_data,
    receive_reviewer_report,
    release_data,
    transfer_data,
)
from .twin_race import KEY, twin_committed_after_the_check


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _actions(app: Flask, action: str) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            or 0
        )


def _fax(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    return f"/routines/reviewer/cases/{case_id}/fax", {
        "fax-number": "0999-600 01",
        "fax-sent_at": "2026-01-15T11:10",
        "fax-form_key": KEY,
    }


def _route(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    return f"/routines/reviewer/cases/{case_id}/route", {
        "route-route_key": "teleradiology",
        "route-outcome": "failed",
        "route-form_key": KEY,
    }


def _verbal(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    return f"/routines/reviewer/cases/{case_id}/verbal", {
        "verbal-form_key": KEY,
        "verbal-reviewer_name": "Dr Granskare",
        "verbal-called_person": "Dr Åberg, akuten",
        "verbal-called_at": "2026-01-15T11:30",
        "verbal-note": "Blödning, kontakta neurokirurg.",
    }


def _forwarded(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    # A copy is logged only once there is an answer to forward, its text entered.
    receive_reviewer_report(
        client, auth, case_code(app, case_id), forwarded=False, role="secretary", **ENTERED
    )
    return f"/routines/reviewer/cases/{case_id}/forwarded", {
        "forward-number": "0999-123 46",
        "forward-at": "2026-01-15T11:50",
        "forward-form_key": KEY,
    }


def _receive(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    auth.login("secretary")
    return "/routines/reviewer/receive", receive_data(
        case_code(app, case_id),
        forwarded=False,
        form_key=KEY,
        state="preliminary",
        findings="Blödning höger.",
        conclusion="Akut blödning.",
    )


def _transfer_new(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    auth.login("radiographer")
    return "/routines/transfers/new", transfer_data(form_key=KEY)


def _transfer_attempt(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    return url + "/attempts", {"route": "dvd", "outcome": "ok", "form_key": KEY}


def _urgent_call(app: Flask, client: FlaskClient, auth: Any) -> tuple[str, dict[str, str]]:
    case_id = make_case(client, auth)
    auth.login("radiologist")
    return f"/reporting/{case_id}/call", {
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": "2026-01-15T11:20",
        "note": "Neurokirurg kontaktas",
        "form_key": KEY,
    }


Setup = Callable[[Flask, FlaskClient, Any], tuple[str, dict[str, str]]]
SUBMITS: list[tuple[Setup, str, Any, str]] = [
    (_fax, "Faxet var redan loggat", ReviewerLogEntry, "reviewer_fax_sent"),
    (_route, "Bildöverföringen var redan loggad", ReviewerLogEntry, "reviewer_image_route"),
    (_verbal, "Det muntliga svaret var redan loggat", UrgentCall, "reviewer_verbal_answer"),
    (_forwarded, "Kopian var redan loggad", ReviewerLogEntry, "reviewer_report_forwarded"),
    (_receive, "Svaret var redan registrerat", ReviewerLogEntry, "reviewer_report_received"),
    (_transfer_new, "Överföringen var redan registrerad", ImageTransfer, "transfer_create"),
    (_transfer_attempt, "Försöket var redan loggat", TransferAttempt, "transfer_attempt"),
    (_urgent_call, "Samtalet var redan loggat", UrgentCall, "urgent_call"),
]


@pytest.mark.parametrize(
    ("setup", "replayed", "model", "action"),
    SUBMITS,
    ids=[s[0].__name__.lstrip("_") for s in SUBMITS],
)
def test_a_twin_submit_that_raced_past_the_key_check_answers_as_a_replay(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    setup: Setup,
    replayed: str,
    model: Any,
    action: str,
) -> None:
    url, data = setup(app, client, auth)
    assert client.post(url, data=data).status_code == 302
    rows = _count(app, model)
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post(url, data=data, follow_redirects=True)
    assert blinded, "the twin's look-up of its form key did not run"
    assert twin.status_code == 200
    assert f"{replayed} – inget dubblerades." in twin.get_data(as_text=True)
    assert _count(app, model) == rows
    assert _actions(app, action) == 1


def test_a_raced_twin_with_other_content_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    url, data = _fax(app, client, auth)
    client.post(url, data=data)
    with twin_committed_after_the_check(app):
        other = client.post(url, data={**data, "fax-number": "0999-600 02"})
    assert other.status_code == 400
    page = other.get_data(as_text=True)
    assert 'id="fax-number-error"' in page and 'value="0999-600 02"' in page
    assert _count(app, ReviewerLogEntry) == 1


def test_a_twin_release_that_raced_past_both_key_checks_is_recorded_and_billed_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    url = f"/routines/releases/cases/{case_id}"
    data = release_data(form_key=KEY)
    first = client.post(url, data=data)
    assert first.status_code == 302
    # A release looks its key up before the routine's rules and again when it writes.
    with twin_committed_after_the_check(app, lookups=2) as blinded:
        twin = client.post(url, data=data, follow_redirects=True)
    assert len(blinded) == 2
    assert twin.status_code == 200
    assert twin.request.path == first.headers["Location"]
    assert "Utlämnandet var redan registrerat – inget dubblerades." in twin.get_data(as_text=True)
    assert _count(app, ImageRelease) == 1
    assert _actions(app, "release_create") == 1
