"""The "Nu" button's exact instant beside a time field: in the hour the autumn change repeats,
"02:30" is two instants, and the instant the button stamped says which one it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from webapp.cases import fields
from webapp.cases.fields import LocalDateTimeField
from webapp.extensions import db
from webapp.formutil import BaseForm
from webapp.models import ExamRecord, Referral

from .factories import exam_data, referral_data

# 26 October 2025 in Stockholm: 02:00–03:00 is summer time (00:00–01:00 UTC), then again
# winter time (01:00–02:00 UTC).
FIRST_PASS_0230 = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
SECOND_PASS_0230 = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)


class _TimeForm(BaseForm):
    at = LocalDateTimeField("Tid")


@pytest.fixture
def form_at(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A form read with the laptop's clock at `now`: form_at(now, at=..., at_utc=...)."""

    def make(now: datetime, **posted: str) -> _TimeForm:
        monkeypatch.setattr(fields, "utcnow", lambda: now)
        return _TimeForm(formdata=MultiDict(posted), meta={"csrf": False})

    with app.test_request_context():
        yield make


def test_a_time_stamped_now_in_the_second_pass_is_read_as_the_second_pass(form_at) -> None:
    form = form_at(
        datetime(2025, 10, 26, 1, 31, tzinfo=UTC),
        at="2025-10-26T02:30",
        at_utc="2025-10-26T01:30:12.345Z",
    )
    assert form.at.data == SECOND_PASS_0230
    assert form.at.second_pass is None  # known, not a reading for a neighbour to choose


def test_a_time_stamped_now_in_the_first_pass_stays_there_after_the_clocks_go_back(
    form_at,
) -> None:
    # Stamped at 02:30 summer time, sent at 02:40 winter time: no neighbour moves it on.
    form = form_at(
        datetime(2025, 10, 26, 1, 40, tzinfo=UTC),
        at="2025-10-26T02:30",
        at_utc="2025-10-26T00:30:40Z",
    )
    assert form.at.data == FIRST_PASS_0230
    assert form.at.second_pass is None


def test_a_time_edited_by_hand_after_now_is_read_by_the_usual_rule(form_at) -> None:
    form = form_at(
        datetime(2025, 10, 26, 1, 50, tzinfo=UTC),
        at="2025-10-26T02:40",
        at_utc="2025-10-26T01:30:12Z",  # what "Nu" wrote was 02:30
    )
    assert form.at.data == datetime(2025, 10, 26, 0, 40, tzinfo=UTC)
    assert form.at.second_pass == datetime(2025, 10, 26, 1, 40, tzinfo=UTC)


def test_a_second_pass_the_laptop_has_not_reached_is_not_taken_from_the_tablet(form_at) -> None:
    # The tablet runs more than the allowed drift ahead: the laptop is still in the first pass.
    form = form_at(
        datetime(2025, 10, 26, 0, 45, tzinfo=UTC),
        at="2025-10-26T02:30",
        at_utc="2025-10-26T01:30:00Z",
    )
    assert form.at.data == FIRST_PASS_0230
    assert form.at.second_pass is None


@pytest.mark.parametrize(
    "instant", ["", "nu", "2025-10-26T01:30:00", "2025-10-26T02:30:00+01:00x", "9999-12-31T23:59Z"]
)
def test_an_instant_that_is_none_is_ignored(form_at, instant: str) -> None:
    form = form_at(datetime(2025, 10, 26, 1, 50, tzinfo=UTC), at="2025-10-26T02:30", at_utc=instant)
    assert form.at.data == FIRST_PASS_0230
    assert form.at.second_pass == SECOND_PASS_0230


def test_outside_the_repeated_hour_the_typed_text_decides(form_at) -> None:
    form = form_at(
        datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
        at="2026-01-15T10:50",
        at_utc="2026-01-15T11:00:00Z",
    )
    assert form.at.data == datetime(2026, 1, 15, 9, 50, tzinfo=UTC)


def test_the_instant_follows_the_configured_time_zone(app: Flask, form_at) -> None:
    app.config["TIMEZONE"] = "America/New_York"  # 01:00–02:00 repeats on 2 November 2025
    form = form_at(
        datetime(2025, 11, 2, 7, 0, tzinfo=UTC),
        at="2025-11-02T01:30",
        at_utc="2025-11-02T06:30:00Z",
    )
    assert form.at.data == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)


def test_the_instant_is_drawn_beside_the_picker_as_sent_or_stored(app: Flask) -> None:
    with app.test_request_context():
        sent = _TimeForm(
            formdata=MultiDict({"at": "2025-10-26T02:30", "at_utc": "2025-10-26T01:30:00Z"}),
            meta={"csrf": False},
        )
        stored = _TimeForm(formdata=None, data={"at": SECOND_PASS_0230}, meta={"csrf": False})
        assert 'name="at_utc" type="hidden" value="2025-10-26T01:30:00Z"' in str(sent.at())
        drawn = str(stored.at())
        assert 'value="2025-10-26T02:30"' in drawn
        assert 'name="at_utc" type="hidden" value="2025-10-26T01:30:00+00:00"' in drawn


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_an_exam_stamped_now_in_the_second_pass_is_saved_at_its_real_times(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # Started 02:05 and ended 02:30 after the clocks went back, both with "Nu": read as the
    # first pass the two were in order but an hour early, before what came before them.
    with app.app_context():  # the referral arrived that night (an exam a day before is refused)
        db.session.execute(
            update(Referral).values(arrived_at=datetime(2025, 10, 26, 0, 30, tzinfo=UTC))
        )
        db.session.commit()
    data = exam_data(
        started_at="2025-10-26T02:05",
        started_at_utc="2025-10-26T01:05:03.120Z",
        ended_at="2025-10-26T02:30",
        ended_at_utc="2025-10-26T01:30:44.500Z",
        pacs_sent_at="2025-10-26T02:35",
        pacs_sent_at_utc="2025-10-26T01:35:01.000Z",
    )
    assert client.post(case_url + "/exam", data=data).status_code == 302
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam.started_at == datetime(2025, 10, 26, 1, 5, tzinfo=UTC)
        assert exam.ended_at == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
        assert exam.pacs_sent_at == datetime(2025, 10, 26, 1, 35, tzinfo=UTC)
    # Saved again from the form as drawn, the times stay where they are.
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert 'name="started_at_utc" type="hidden" value="2025-10-26T01:05:00+00:00"' in page
