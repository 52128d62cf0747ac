"""A send time to PACS that is typed but unreadable gets the one message that says why."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from webapp.cases.fields import NO_SUCH_TIME

from .factories import exam_data, referral_data

ASKED_FOR = "Ange när bilderna skickades."


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _beside(page: str, field_id: str) -> str:
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        # The hour the spring change skips.
        ("2026-03-29T02:30", NO_SUCH_TIME),
        ("2026-01-15T11:60", "Inte ett giltigt datum-/tidsvärde"),
    ],
)
def test_an_unreadable_send_time_is_not_also_called_missing(
    client: FlaskClient, case_url: str, typed: str, message: str
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(pacs_sent_at=typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    beside = _beside(page, "pacs_sent_at")
    assert message in beside
    # The time was given: asking for it as well reads as if the field had been lost.
    assert ASKED_FOR not in beside
    assert f'value="{typed}"' in page


def test_a_send_time_left_empty_is_still_asked_for(client: FlaskClient, case_url: str) -> None:
    response = client.post(case_url + "/exam", data=exam_data(pacs_sent_at=""))
    assert response.status_code == 400
    assert ASKED_FOR in _beside(response.get_data(as_text=True), "pacs_sent_at")


@pytest.mark.parametrize("status", ["yes", "failed"])
def test_a_send_time_before_the_exam_started_is_refused_beside_it(
    client: FlaskClient, case_url: str, status: str
) -> None:
    # The exam started 10:50: images cannot have left the modality at 10:40, and the catch-up
    # would look for them in PACS at a time they were not there.
    typed = "2026-01-15T10:40"
    response = client.post(
        case_url + "/exam",
        data=exam_data(pacs_status=status, pacs_sent_at=typed, notes="Kontrast i.v."),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "före undersökningens start, 2026-01-15 10:50." in _beside(page, "pacs_sent_at")
    assert f'value="{typed}"' in page
    assert "Kontrast i.v." in page
