"""The arrival rule (arrival_bound_rule.py) measures from the start given on the declare form.

An outage down since Friday evening and declared on Saturday evening has real referrals from
Friday night: more than a day before the declaration, but after the outage began. The app
here runs as on a laptop: its outages keep the moment they were declared (data_day.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .conftest import AuthActions
from .dbsetup import make_test_app
from .factories import local_minute, referral_data

ASKED = "Ankomsttiden ligger mer än ett dygn före driftstoppets start"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False, on_data_day=False)
    yield app
    teardown()


def _referral(client: FlaskClient, arrived: str) -> tuple[int, str]:
    response = client.post("/cases/new", data=referral_data(arrived_at=arrived))
    return response.status_code, response.get_data(as_text=True)


def test_a_referral_after_the_given_start_is_not_asked_about(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    started = local_minute(-timedelta(hours=30))
    declared = client.post(
        "/incidents/new", data={"scenario": "integration", "started_at": started}
    )
    assert declared.status_code == 302
    # More than a day before the declaration, after the start given.
    status, page = _referral(client, local_minute(-timedelta(hours=25)))
    assert status == 302, page


def test_a_referral_a_day_before_the_given_start_is_asked_about(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    started = local_minute(-timedelta(hours=2))
    client.post("/incidents/new", data={"scenario": "integration", "started_at": started})
    # Within a day of the declaration, more than a day before the start given.
    status, page = _referral(client, local_minute(-timedelta(hours=26, minutes=30)))
    assert status == 400 and ASKED in page
