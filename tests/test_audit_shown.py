"""Judged by what the answer holds, not by where the route lives: every response that shows a
patient writes an access-log row, whatever its path, method or role."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent

from .test_access_wall import (
    EXPECTED,
    LAST,
    PATIENT_NAME,
    PERSONAL_NUMBERS,
    PUBLIC,
    ROLES,
    World,
    build_world,
    concrete_path,
    every_method,
    login,
    ordered_rules,
)
from .test_audit_completeness import LOGGED_NOW_AND_THEN

# The world's second patient and a draft's typed one: shown by lists and exports.
OTHER_PATIENT = ("Åsa Öberg", "19800101-0027", "Utkast Patient")


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _last_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc())) or 0


def _rows_since(app: Flask, last: int, username: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last, AuditEvent.username == username)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _names_the_case(row: AuditEvent, world: World) -> bool:
    """Whether the patient filter of the log finds the row for the world's case.

    As the README promises a patient's extract: a row naming the case or the patient, a read
    of the whole incident, or a list's row naming the case's code.
    """
    return (
        row.case_id == world.case_id
        or row.patient_ref == PERSONAL_NUMBERS[1]
        or row.incident_id == world.incident_id
        or world.case_code in row.detail
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_response_that_shows_a_patient_writes_an_access_log_row(
    app: Flask, world: World, role: str
) -> None:
    client = app.test_client()
    login(client, app, role)
    identifiers = (PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code, *OTHER_PATIENT)
    unlogged = []
    shown_by = set()
    for rule in ordered_rules(app):
        expected = EXPECTED[rule.endpoint]
        if rule.endpoint in LAST or rule.endpoint in LOGGED_NOW_AND_THEN:
            continue
        if expected != PUBLIC and role not in expected:
            continue
        path = concrete_path(rule, world.params())
        for method in every_method(rule):
            last = _last_id(app)
            # An empty form: a POST shows its page again beside the errors, or is refused.
            response = client.open(path, method=method, data={})
            body = response.get_data().decode("utf-8", "replace")
            response.close()
            shown = [i for i in identifiers if i in body]
            if not shown:
                continue
            shown_by.add(rule.endpoint)
            rows = _rows_since(app, last, f"test-{role}")
            of_the_case = set(shown) & {PATIENT_NAME, *PERSONAL_NUMBERS, world.case_code}
            names_it = any(_names_the_case(r, world) for r in rows)
            if not rows or (of_the_case and not names_it):
                unlogged.append((method, rule.rule, response.status_code, shown))
    assert unlogged == []
    # The sweep saw patients at all: the world's case page shows one to every role.
    assert "cases.show" in shown_by
