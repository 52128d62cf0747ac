"""Two tablets save one number under two names at the same moment (real concurrent requests):
one is saved, the other is asked about the namesake beside the field, its text kept, nothing of
it stored. The question is asked inside the write, not only before it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import identity_data, referral_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture
from .twin_race import _waiting_for_locks

SAME_NUMBER = "Numret finns redan i driftstoppet under ett annat namn"
NUMBER = "19121212-1212"
# The form's check, and the write's.
CHECKS_PER_REQUEST = 2
# How long a write waits for the other request's namesake check.
MEET_SECONDS = 2.0


def _is_namesake_check(statement: str) -> bool:
    # namesakes._sharing: the incident's cases by number, UNION by the name's key.
    return "UNION" in statement.upper() and "patient_name_key =" in statement


@contextmanager
def checks_before_writes(app: Flask, *writes: str) -> Iterator[list[int]]:
    """No case is written (`writes`: the starts of its statements) until both requests have asked
    for the namesakes twice, by the form and inside the write: each one's checks run before
    the other's write.

    A request that locks before its check in the write makes the other wait: the first then
    writes once the other waits for the lock (PostgreSQL), or after MEET_SECONDS.
    """
    with app.app_context():
        engine = db.engine
    checked: list[int] = []
    cond = threading.Condition()

    def count_check(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if _is_namesake_check(statement):
            with cond:
                checked.append(threading.get_ident())

    def hold_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(writes):
            return
        deadline = time.monotonic() + MEET_SECONDS
        while time.monotonic() < deadline:
            with cond:
                if len(checked) >= 2 * CHECKS_PER_REQUEST:
                    return
            if engine.dialect.name == "postgresql" and _waiting_for_locks(engine) >= 1:
                return
            time.sleep(0.02)

    event.listen(engine, "after_cursor_execute", count_check)
    event.listen(engine, "before_cursor_execute", hold_write)
    try:
        yield checked
    finally:
        event.remove(engine, "before_cursor_execute", hold_write)
        event.remove(engine, "after_cursor_execute", count_check)


def _posted_together(posts: list[tuple[FlaskClient, str, dict[str, Any]]]) -> list[TestResponse]:
    responses: list[TestResponse | None] = [None] * len(posts)

    def post(i: int, client: FlaskClient, url: str, data: dict[str, Any]) -> None:
        responses[i] = client.post(url, data=data)

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in responses if r is not None]


def _identities(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(select(Case.patient_name, Case.patient_id).order_by(Case.id))
        return [(r.patient_name, r.patient_id) for r in rows]


def _asked_one(responses: list[TestResponse], names: tuple[str, str]) -> tuple[str, str]:
    """The name saved and the name asked about: one 302, one 400 with the question and the
    typed name kept."""
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 400], codes
    (refused,) = [i for i, r in enumerate(responses) if r.status_code == 400]
    page = responses[refused].get_data(as_text=True)
    assert SAME_NUMBER in page
    assert f'value="{names[refused]}"' in page
    return names[1 - refused], names[refused]


def test_two_referrals_of_one_number_under_two_names_at_once_ask_the_second(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    other = tablet_factory("rtg-bo")
    names = ("Örjan Älvström", "Östen Älvström")
    posts = [
        (tablet, "/cases/new", referral_data(key_suffix=s, patient_name=n, personal_number=NUMBER))
        for tablet, s, n in zip((client, other), "ab", names, strict=True)
    ]
    with checks_before_writes(app, 'INSERT INTO "CASE"'):
        responses = _posted_together(posts)
    saved, _asked = _asked_one(responses, names)
    assert _identities(app) == [(saved, "191212121212")]
    with app.app_context():
        created = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "case_create")
        ).all()
    assert len(created) == 1


def test_two_corrections_to_one_number_under_two_names_at_once_ask_the_second(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    other = tablet_factory("rtg-bo")
    locations = [
        client.post(
            "/cases/new",
            data=unidentified_referral_data(key_suffix=s, reserve_number=f"RES-000{s}"),
        ).headers["Location"]
        for s in "12"
    ]
    names = ("Örjan Älvström", "Östen Älvström")
    posts = [
        (tablet, f"{where}/identity", identity_data(patient_name=n, case_version="1"))
        for tablet, where, n in zip((client, other), locations, names, strict=True)
    ]
    with checks_before_writes(app, 'UPDATE "CASE" SET'):
        responses = _posted_together(posts)
    saved, asked = _asked_one(responses, names)
    stored = _identities(app)
    assert (saved, "191212121212") in stored
    # The one asked about keeps its reserve number: nothing of the correction is stored.
    kept = f"RES-000{1 + names.index(asked)}"
    assert sorted(pid for _name, pid in stored) == ["191212121212", kept]
    with app.app_context():
        corrected = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "identity_correct")
        ).all()
    assert len(corrected) == 1


def test_a_referral_and_a_correction_of_one_number_under_two_names_at_once_ask_the_second(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    other = tablet_factory("rtg-bo")
    where = client.post(
        "/cases/new", data=unidentified_referral_data(key_suffix="1", reserve_number="RES-0001")
    ).headers["Location"]
    names = ("Örjan Älvström", "Östen Älvström")
    posts = [
        (client, f"{where}/identity", identity_data(patient_name=names[0], case_version="1")),
        (
            other,
            "/cases/new",
            referral_data(key_suffix="b", patient_name=names[1], personal_number=NUMBER),
        ),
    ]
    with checks_before_writes(app, 'INSERT INTO "CASE"', 'UPDATE "CASE" SET'):
        responses = _posted_together(posts)
    saved, _asked = _asked_one(responses, names)
    # One of the two is stored; the other left the incident as it was.
    stored = _identities(app)
    assert [pid for name, pid in stored if pid == "191212121212"] == ["191212121212"]
    assert (saved, "191212121212") in stored
