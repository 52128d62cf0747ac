"""A referral's arrival more than a day before its incident started is a mistyped date (2016 for
2026) and is refused beside the arrival with everything typed kept: on the referral form, on a
binder blank keyed from the scan station, on an edit, and in the services. It is held to the
incident, not to now: a secretary keying a faxed referral days after the outage is not refused.

The incident here started 2026-01-15 10:00 at the site (09:00 UTC); the referral arrived 10:30.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from webapp.cases.errors import ArrivalImplausible
from webapp.cases.services import update_referral
from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Case, Incident, User, utcnow

from .catchup_support import reserve_blank
from .conftest import AuthActions
from .factories import hidden_value, local_minute, referral_data

STARTED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
TOO_EARLY = "Ankomsttiden ligger mer än ett dygn före driftstoppets start (2026-01-15 10:00)."
KEPT = "Waran. Föll igen på avdelningen."


@pytest.fixture(autouse=True)
def _arrival_checked(app: Flask) -> None:
    # The rest of the suite types 2026-01-15 into incidents declared today, and turns it off.
    app.config["CHECK_ARRIVAL_BEFORE_INCIDENT"] = True


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


def _refused(app: Flask, response: TestResponse, typed: str, message: str = TOO_EARLY) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _beside(page, "arrived_at")
    assert f'value="{typed}"' in page and KEPT in page


def test_an_arrival_years_before_the_incident_is_refused_beside_the_arrival(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2016-01-15T10:30", history=KEPT)
    response = client.post("/cases/new", data=data)
    _refused(app, response, "2016-01-15T10:30")
    assert 'value="Örjan Älvström"' in response.get_data(as_text=True)
    assert _cases(app) == 0


def test_an_arrival_just_over_a_day_before_the_incident_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, STARTED)
    data = referral_data(arrived_at="2026-01-14T09:59", history=KEPT)
    _refused(app, client.post("/cases/new", data=data), "2026-01-14T09:59")
    assert _cases(app) == 0


def test_a_referral_faxed_the_night_before_the_outage_was_declared_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # An outage noticed in the morning: the night's faxes came before anyone declared it.
    _incident(app, client, auth, STARTED)
    response = client.post("/cases/new", data=referral_data(arrived_at="2026-01-14T10:00"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1


def test_a_faxed_referral_keyed_days_after_the_outage_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Catch-up: the outage began three days ago, the fax came that evening, keyed only now.
    _incident(app, client, auth, utcnow() - timedelta(days=3))
    arrived = local_minute(-timedelta(days=3) + timedelta(hours=5))
    response = client.post("/cases/new", data=referral_data(arrived_at=arrived))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1


def test_a_faxed_referral_keyed_days_later_with_a_wrong_year_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    _incident(app, client, auth, utcnow() - timedelta(days=3))
    typed = local_minute(-timedelta(days=3) + timedelta(hours=5))
    wrong = str(int(typed[:4]) - 1) + typed[4:]
    data = referral_data(arrived_at=wrong, history=KEPT)
    _refused(app, client.post("/cases/new", data=data), wrong, message="Ankomsttiden ligger")
    assert _cases(app) == 0


def test_a_paper_blank_scanned_and_keyed_with_a_wrong_year_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    code = reserve_blank(app, client, auth, "BLR")
    _incident(app, client, auth, STARTED)
    auth.logout()
    auth.login("secretary")
    scanned = client.get("/scan", query_string={"code": make_case_payload(code, "BLR", 1)})
    assert scanned.status_code == 302 and scanned.headers["Location"].endswith(f"/{code}/open")
    data = referral_data(arrived_via="paper", arrived_at="2016-01-15T10:30", history=KEPT)
    _refused(app, client.post(f"/blanks/{code}/open", data=data), "2016-01-15T10:30")
    assert _cases(app) == 0


def test_a_paper_blank_keyed_after_the_outage_with_its_own_arrival_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    code = reserve_blank(app, client, auth, "BLR")
    _incident(app, client, auth, utcnow() - timedelta(days=2))
    auth.logout()
    auth.login("secretary")
    arrived = local_minute(-timedelta(days=2) + timedelta(hours=1))
    data = referral_data(arrived_via="paper", arrived_at=arrived)
    response = client.post(f"/blanks/{code}/open", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _cases(app) == 1


def _case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    _incident(app, client, auth, STARTED)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    return int(location.rsplit("/", 1)[-1])


def _arrival(app: Flask, case_id: int) -> datetime:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        return case.referral.arrived_at


def test_an_arrival_edited_to_years_before_the_incident_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    url = f"/cases/{case_id}/referral"
    page = client.get(url).get_data(as_text=True)
    shown = {name: hidden_value(page, name) for name in ("form_key", "version", "case_version")}
    data = referral_data(**shown, history=KEPT, arrived_at="2016-01-15T10:30")
    _refused(app, client.post(url, data=data), "2016-01-15T10:30")
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def _service_edit(app: Flask, case_id: int, arrived_at: datetime) -> None:
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
        )


def test_the_service_refuses_an_arrival_years_before_the_incident(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    with pytest.raises(ArrivalImplausible, match=r"driftstoppets start \(2026-01-15 10:00\)"):
        _service_edit(app, case_id, datetime(2016, 1, 15, 9, 30, tzinfo=UTC))
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_the_service_refuses_an_arrival_in_the_future(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _case(app, client, auth)
    with pytest.raises(ArrivalImplausible, match="framtiden"):
        _service_edit(app, case_id, utcnow() + timedelta(hours=1))
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def test_a_referral_edit_keeping_an_arrival_stored_before_the_rule_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # Stored before the rule: the rest of the referral stays editable, as after arrival_edit.
    case_id = _case(app, client, auth)
    old = datetime(2016, 1, 15, 9, 30, tzinfo=UTC)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        case.referral.arrived_at = old
        db.session.commit()
    _service_edit(app, case_id, old)
    assert _arrival(app, case_id) == old
