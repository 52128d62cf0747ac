"""A waiver says who took the case out of the catch-up, when and why, wherever the case shows."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .catchup_support import book, close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data

REASON = "Registrerad direkt i RIS av röntgen"
WAIVER = "Testa Secretary Åström"


@pytest.fixture
def waived(client: FlaskClient, world) -> int:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    return case_id


@pytest.mark.parametrize("role", ["radiographer", "secretary", "admin"])
def test_the_case_page_shows_the_waiver(client: FlaskClient, auth, waived: int, role: str) -> None:
    auth.logout()
    auth.login(role)
    page = client.get(f"/cases/{waived}").get_data(as_text=True)
    assert "Undantaget från efterregistreringen" in page
    assert REASON in page and WAIVER in page


def test_the_csv_says_who_waived_and_when(client: FlaskClient, world, waived: int) -> None:
    raw = client.get(f"/catchup/incidents/{world['incident_id']}/export/csv").get_data()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if r["ärendekod"] == world["codes"][1])
    assert row["undantagen orsak"] == REASON
    assert row["undantagen av"] == WAIVER
    assert row["undantagen tid"][:2] == "20"  # a local date and time


def test_the_checklist_says_why_a_case_was_waived(client: FlaskClient, world, waived: int) -> None:
    pdf = client.get(f"/catchup/incidents/{world['incident_id']}/export/pdf").get_data()
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Registrerad direkt i RIS" in " ".join(text.split())


def test_the_checklist_of_a_long_waiver_and_cancellation_reason_is_drawn(
    client: FlaskClient, auth, world
) -> None:
    """A reason may run to 1,000 characters: its row in the checklist would be taller than a
    page, and the checklist (and the final batch at close) could not be drawn."""
    long_reason = "Registrerad direkt i RIS av röntgen, se anteckning i journalen. " * 15
    client.post(f"/catchup/cases/{world['ids'][1]}/waive", data={"reason": long_reason[:1000]})
    auth.logout()
    auth.login("radiographer")
    referral = client.post("/cases/new", data=referral_data(key_suffix="long"))
    cancelled = int(referral.headers["Location"].rsplit("/", 1)[-1])
    cancel = client.post(f"/cases/{cancelled}/cancel", data={"reason": "Dubblett " * 110})
    assert cancel.status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.get(f"/catchup/incidents/{world['incident_id']}/export/pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(" ".join(page.extract_text() or "" for page in pages).split())
    # Each reason is there, shortened in its narrow column (the exports carry it whole).
    assert "Registrerad direkt i RIS av röntgen, se anteckning" in text
    assert "Makulerad: Dubblett" in text
    assert text.count("Dubblett") < 110


def _waiver_state(app: Flask, case_id: int) -> tuple[object, ...]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        record = case.catchup
        waives = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "catchup_waive", AuditEvent.case_id == case_id
            )
        ).all()
        return (
            case.status,
            record.waived_at if record else None,
            record.reconciled_at if record else None,
            len(waives),
        )


def test_a_closed_case_is_not_waived_by_a_handmade_request(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)  # the first case keyed and checked: closed
    first = world["ids"][0]
    auth.login("secretary")
    before = _waiver_state(app, first)
    assert before[0] == "closed"
    response = client.post(f"/catchup/cases/{first}/waive", data={"reason": REASON})
    assert response.status_code == 409
    assert "Ärendet är redan avstämt: det är inlagt i RIS och kontrollerat." in response.get_data(
        as_text=True
    )
    assert _waiver_state(app, first) == before


def test_a_cancelled_case_is_not_waived_by_a_handmade_request(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix="c")).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett av annan remiss"})
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    before = _waiver_state(app, case_id)
    assert before[0] == "cancelled"
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    assert response.status_code == 409
    assert "Ärendet är makulerat och ska inte läggas in i RIS." in response.get_data(as_text=True)
    assert _waiver_state(app, case_id) == before


def test_a_case_of_an_ended_incident_is_not_waived_by_a_handmade_request(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    auth.logout()
    auth.login("secretary")
    first = world["ids"][0]
    before = _waiver_state(app, first)
    response = client.post(f"/catchup/cases/{first}/waive", data={"reason": REASON})
    assert response.status_code == 409
    assert "Driftstoppet är avslutat" in response.get_data(as_text=True)
    assert _waiver_state(app, first) == before


def test_a_waiver_made_by_mistake_is_lifted_and_the_case_is_outstanding_again(
    app: Flask, client: FlaskClient, world, waived: int
) -> None:
    response = client.post(f"/catchup/cases/{waived}/waive/lift")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        case = db.session.get(Case, waived)
        assert case.status == "report_preliminary"
        assert case.catchup.waived_at is None and case.catchup.reconciled_at is None
        lifted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "catchup_unwaive"))
        assert lifted is not None and REASON in lifted.detail and lifted.case_id == waived
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert f"/catchup/cases/{waived}" in batch  # in the outstanding list
    # Ticking works again.
    book(client, waived)
    with app.app_context():
        assert db.session.get(Case, waived).catchup.keyed_at is None


def test_the_catchup_page_of_a_waived_case_offers_to_lift_the_waiver(
    client: FlaskClient, waived: int
) -> None:
    page = client.get(f"/catchup/cases/{waived}").get_data(as_text=True)
    assert f'action="/catchup/cases/{waived}/waive/lift"' in page


def test_a_case_not_waived_has_no_waiver_to_lift(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][1]
    before = _waiver_state(app, case_id)
    response = client.post(f"/catchup/cases/{case_id}/waive/lift")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ärendet är inte undantaget." in page
    assert _waiver_state(app, case_id) == before


def test_a_waiver_of_an_ended_incident_is_not_lifted(
    app: Flask, client: FlaskClient, auth, world, waived: int
) -> None:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    auth.logout()
    auth.login("secretary")
    before = _waiver_state(app, waived)
    assert before[1] is not None
    client.post(f"/catchup/cases/{waived}/waive/lift")
    assert _waiver_state(app, waived) == before
