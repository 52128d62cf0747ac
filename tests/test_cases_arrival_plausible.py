"""A referral's arrival more than a day before its incident started is most often a mistyped date
(2016 for 2026), but an outage can also go unnoticed over a weekend, with real referrals from
before it was declared, and an incident's start cannot be edited afterwards. So the arrival is
asked about beside the field, with everything typed kept and a box to tick, and saved once the
box is ticked, the confirmation audited: on the referral form, on a binder blank keyed from the
scan station, on an edit, and in the services, which refuse it unconfirmed. It is held to the
incident, not to now: a secretary keying a faxed referral days after the outage is not asked.

The incident here started 2026-01-15 10:00 at the site (09:00 UTC); the referral arrived 10:30.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from webapp.cases.errors import ArrivalBeforeIncident, ArrivalImplausible
from webapp.cases.services import update_referral
from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Case, Incident, RecordVersion, User, utcnow

from .catchup_support import reserve_blank
from .conftest import AuthActions
from .factories import audit_events, hidden_value, local_minute, referral_data

STARTED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
WARNING = (
    "Ankomsttiden ligger mer än ett dygn före driftstoppets start (2026-01-15 10:00). "
    "Kontrollera datum och år. Om ankomsttiden stämmer, bocka i ”Ankomsttiden stämmer” och "
    "spara igen."
)
CONFIRMED = "ankomsttid mer än ett dygn före driftstoppets start (2026-01-15 10:00), bekräftad"
KEPT = "Waran. Föll igen på avdelningen."


def _incident(app: Flask, client: FlaskClient, auth: AuthActions, started: datetime) -> None:
    """A radiographer declares an outage, recorded as started at `started` (left logged in)."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    with app.app_context():
        db.session.execute(update(Incident).values(started_at=started))
        db.session.commit()


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def _cases(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Case.id))) or 0)


def _tick(page: str) -> str:
    """The box confirming the arrival, as drawn."""
    match = re.search(r'<input[^>]*\bname="arrival_confirmed"[^>]*>', page)
    assert match is not None, "no box confirming the arrival on the page"
    return match.group(0)


def _asked(response: TestResponse, typed: str, message: str = WARNING) -> str:
    """The page refused the arrival beside it, kept what was typed, and offers the box empty."""
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _beside(page, "arrived_at")
    assert f'value="{typed}"' in page and KEPT in page
    assert 'type="checkbox"' in _tick(page) and "checked" not in _tick(page)
    assert "Ankomsttiden stämmer" in page
    return page


def _ticked(page: str, data: dict[str, object]) -> dict[str, object]:
    """The form sent again with the box ticked, as the refused page drew it."""
    shown = hidden_value(page, "arrival_confirmed_for")
    return data | {"arrival_confirmed": "y", "arrival_confirmed_for": shown}


def _arrival(app: Flask, case_id: int | None = None) -> datetime:
    with app.app_context():
        case = db.session.get(Case, case_id) if case_id else db.session.scalar(select(Case))
        assert case is not None and case.referral is not None
        return case.referral.arrived_at


def test_an_arrival_years_before_the_incident_is_asked_about_beside_the_arrival(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2016-01-15T10:30", history=KEPT)
    response = client.post("/cases/new", data=data)
    _asked(response, "2016-01-15T10:30")
    assert 'value="Örjan Älvström"' in response.get_data(as_text=True)
    assert _cases(app) == 0


def test_an_arrival_just_over_a_day_before_the_incident_is_asked_about(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2026-01-14T09:59", history=KEPT)
    _asked(client.post("/cases/new", data=data), "2026-01-14T09:59")
    assert _cases(app) == 0


def test_an_arrival_before_the_incident_ticked_as_right_is_saved_and_audited(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Down since Friday night, declared Monday morning: Saturday's faxes are real.
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2026-01-10T23:10", history=KEPT)
    page = _asked(client.post("/cases/new", data=data), "2026-01-10T23:10")
    response = client.post("/cases/new", data=_ticked(page, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _arrival(app) == datetime(2026, 1, 10, 22, 10, tzinfo=UTC)
    assert CONFIRMED in audit_events(app, "case_create")[-1].detail


def test_a_tick_given_for_another_arrival_is_asked_again(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2016-01-15T10:30", history=KEPT)
    page = _asked(client.post("/cases/new", data=data), "2016-01-15T10:30")
    # The year mended, the day still wrong: the tick was for the arrival read before.
    again = _ticked(page, data) | {"arrived_at": "2025-01-15T10:30"}
    _asked(client.post("/cases/new", data=again), "2025-01-15T10:30")
    assert _cases(app) == 0


def test_a_tick_the_page_never_asked_for_confirms_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2016-01-15T10:30", history=KEPT, arrival_confirmed="y")
    _asked(client.post("/cases/new", data=data), "2016-01-15T10:30")
    assert _cases(app) == 0


def test_a_referral_faxed_the_night_before_the_outage_was_declared_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # An outage noticed in the morning: the night's faxes came before anyone declared it.
    _incident(app, client, auth, STARTED)
    response = client.post("/cases/new", data=referral_data(arrived_at="2026-01-14T10:00"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1
    assert "bekräftad" not in audit_events(app, "case_create")[-1].detail


def test_a_faxed_referral_keyed_days_after_the_outage_is_saved_unasked(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Catch-up: the outage began three days ago, the fax came that evening, keyed only now.
    _incident(app, client, auth, utcnow() - timedelta(days=3))
    arrived = local_minute(-timedelta(days=3) + timedelta(hours=5))
    response = client.post("/cases/new", data=referral_data(arrived_at=arrived))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1


def test_a_faxed_referral_keyed_days_later_with_a_wrong_year_is_asked_about(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, utcnow() - timedelta(days=3))
    typed = local_minute(-timedelta(days=3) + timedelta(hours=5))
    wrong = str(int(typed[:4]) - 1) + typed[4:]
    data = referral_data(arrived_at=wrong, history=KEPT)
    _asked(client.post("/cases/new", data=data), wrong, message="Ankomsttiden ligger")
    assert _cases(app) == 0


def _blank(app: Flask, client: FlaskClient, auth: AuthActions, started: datetime) -> str:
    """A referral blank scanned at the scan station by a secretary, in an outage begun then."""
    code = reserve_blank(app, client, auth, "BLR")
    _incident(app, client, auth, started)
    auth.logout()
    auth.login("secretary")
    scanned = client.get("/scan", query_string={"code": make_case_payload(code, "BLR", 1)})
    assert scanned.status_code == 302 and scanned.headers["Location"].endswith(f"/{code}/open")
    return f"/blanks/{code}/open"


def test_a_paper_blank_keyed_with_an_arrival_before_the_incident_is_asked_then_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    url = _blank(app, client, auth, STARTED)
    data = referral_data(arrived_via="paper", arrived_at="2016-01-15T10:30", history=KEPT)
    page = _asked(client.post(url, data=data), "2016-01-15T10:30")
    assert _cases(app) == 0
    response = client.post(url, data=_ticked(page, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _arrival(app) == datetime(2016, 1, 15, 9, 30, tzinfo=UTC)
    assert CONFIRMED in audit_events(app, "case_create")[-1].detail


def test_a_paper_blank_keyed_after_the_outage_with_its_own_arrival_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    url = _blank(app, client, auth, utcnow() - timedelta(days=2))
    arrived = local_minute(-timedelta(days=2) + timedelta(hours=1))
    response = client.post(url, data=referral_data(arrived_via="paper", arrived_at=arrived))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1


def _case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    _incident(app, client, auth, STARTED)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def _edit_data(client: FlaskClient, url: str, **fields: object) -> dict[str, object]:
    page = client.get(url).get_data(as_text=True)
    shown = {name: hidden_value(page, name) for name in ("form_key", "version", "case_version")}
    return referral_data(**shown, history=KEPT, **fields)


def test_an_arrival_edited_to_before_the_incident_is_asked_then_saved_with_a_reason(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    url = f"/cases/{case_id}/referral"
    data = _edit_data(client, url, arrived_at="2026-01-10T23:10")
    page = _asked(client.post(url, data=data), "2026-01-10T23:10")
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    response = client.post(url, data=_ticked(page, data))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _arrival(app, case_id) == datetime(2026, 1, 10, 22, 10, tzinfo=UTC)
    assert CONFIRMED in audit_events(app, "referral_change")[-1].detail
    history = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    assert "Ankomsttiden mer än ett dygn före driftstoppets start" in history


def _service_edit(
    app: Flask, case_id: int, arrived_at: datetime, *, confirmed: bool = False
) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        case = db.session.get(Case, case_id)
        assert user is not None and case is not None
        update_referral(
            case_id=case_id,
            user=user,
            priority=case.priority,
            modality=case.modality,
            referral={"arrived_at": arrived_at},
            form_key="s" * 20,
            digest="d",
            url=f"/cases/{case_id}",
            arrival_confirmed=confirmed,
        )


def test_the_service_refuses_an_arrival_before_the_incident_unconfirmed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # The form's tick is no gate the service leaves to it: any caller is asked.
    case_id = _case(app, client, auth)
    with pytest.raises(ArrivalBeforeIncident, match=r"driftstoppets start \(2026-01-15 10:00\)"):
        _service_edit(app, case_id, datetime(2016, 1, 15, 9, 30, tzinfo=UTC))
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_the_service_saves_a_confirmed_arrival_before_the_incident_with_its_reason(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    _service_edit(app, case_id, datetime(2016, 1, 15, 9, 30, tzinfo=UTC), confirmed=True)
    assert _arrival(app, case_id) == datetime(2016, 1, 15, 9, 30, tzinfo=UTC)
    with app.app_context():
        reason = db.session.scalar(
            select(RecordVersion.reason).where(RecordVersion.entity == "referral")
        )
    assert reason is not None and "bekräftad som rätt" in reason


def test_the_service_opens_no_case_for_an_arrival_before_the_incident_unconfirmed(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    from webapp.cases.creation import create_case

    _incident(app, client, auth, STARTED)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None
        with pytest.raises(ArrivalBeforeIncident):
            create_case(
                user=user,
                incident=None,
                identity={"patient_id_kind": "personnummer", "patient_id": "191212121212"},
                priority="akut",
                modality="CT",
                referral={"arrived_via": "fax", "arrived_at": datetime(2016, 1, 15, tzinfo=UTC)},
                form_key="s" * 20,
                digest="d",
                url_for_case=lambda case: f"/cases/{case.id}",
            )
    assert _cases(app) == 0


def test_the_service_refuses_an_arrival_in_the_future_confirmed_or_not(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    for confirmed in (False, True):
        with pytest.raises(ArrivalImplausible, match="framtiden"):
            _service_edit(app, case_id, utcnow() + timedelta(hours=1), confirmed=confirmed)
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_a_referral_edit_keeping_an_arrival_stored_before_the_rule_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Stored before the rule (or confirmed once): the rest of the referral stays editable, as
    # after arrival_edit, and is not asked about again.
    case_id = _case(app, client, auth)
    old = datetime(2016, 1, 15, 9, 30, tzinfo=UTC)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        case.referral.arrived_at = old
        db.session.commit()
    _service_edit(app, case_id, old)
    assert _arrival(app, case_id) == old
