"""The batch page costs the same few queries for 3 cases as for 8 (none per case)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, CatchupRecord, CatchupTick, Incident, User

from .factories import exam_data, referral_data
from .routines_support import make_case, release_data
from .statements import sent_statements


def _selects(app: Flask, client: FlaskClient, path: str) -> int:
    with sent_statements(app) as statements:
        assert client.get(path).status_code == 200
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def _add_cases(client: FlaskClient, first: int, n: int) -> None:
    for i in range(first, first + n):
        location = client.post("/cases/new", data=referral_data(key_suffix=i)).headers["Location"]
        client.post(location + "/exam", data=exam_data())


def test_batch_page_queries_do_not_grow_with_its_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _add_cases(client, 0, 3)
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    auth.login("secretary")
    path = f"/catchup/incidents/{incident_id}"
    few = _selects(app, client, path)
    auth.login("radiographer")
    _add_cases(client, 3, 5)
    auth.login("secretary")
    assert _selects(app, client, path) == few


def _book_without_accession(app: Flask, *, closed: int) -> None:
    """Every case not yet booked gets a 'booked' tick and no accession (older data); the
    `closed` first of them stand as reconciled."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "test-secretary"))
        booked = select(CatchupTick.case_id)
        cases = db.session.scalars(select(Case).where(Case.id.not_in(booked)).order_by(Case.id))
        for i, case in enumerate(cases):
            db.session.add(CatchupRecord(case_id=case.id))
            db.session.add(CatchupTick(case_id=case.id, step="booked", user_id=user_id))
            if i < closed:
                case.status = "closed"
        db.session.commit()


def test_batch_page_flags_bookings_without_an_accession_at_the_same_cost_for_more_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _add_cases(client, 0, 3)
    auth.login("secretary")
    _book_without_accession(app, closed=1)
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    path = f"/catchup/incidents/{incident_id}"
    few = _selects(app, client, path)
    page = client.get(path).get_data(as_text=True)
    assert page.count("Bokad utan accessionsnummer – ange det") == 2  # the outstanding ones
    assert page.count("Bokad i RIS utan accessionsnummer") == 1  # the reconciled one
    auth.login("radiographer")
    _add_cases(client, 3, 5)
    auth.login("secretary")
    _book_without_accession(app, closed=2)
    assert _selects(app, client, path) == few
    page = client.get(path).get_data(as_text=True)
    assert page.count("Bokad utan accessionsnummer – ange det") == 5
    assert page.count("Bokad i RIS utan accessionsnummer") == 3


def _reads_of(statements: list[str], table: str) -> int:
    """Statements that read the table itself (FROM or JOIN it), not a subquery's mention (an
    EXISTS asked of it per row of the statement's own read)."""
    own = [re.sub(r"EXISTS \(SELECT [^)]*\)", "", s) for s in statements]
    return sum(1 for s in own if re.search(rf"(FROM|JOIN) {table}\b", s))


def test_batch_page_reads_release_notes_and_clean_ups_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A release made in the outage (its note due in RIS): the page lists it and its close
    # checks count it, from one read, as the cancelled cases to clean up in RIS/PACS.
    case_id = make_case(client, auth, report="definitive", scenario="om_ris")
    auth.login("secretary")
    released = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert released.status_code == 302, released.get_data(as_text=True)
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    with sent_statements(app) as statements:
        page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert "Remissanteckning" in page
    assert _reads_of(statements, "image_release") == 1
    assert _reads_of(statements, "ris_pacs_clean_up") == 1
