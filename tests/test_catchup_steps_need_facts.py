"""A catch-up step is not ticked done for what has not happened in Reservrutin: the exam is
completed in RIS once it is documented, its images matched in PACS once they are recorded as
sent, and a report put on the radiologist's correction list once there is a signed report.

A case with only its referral typed (its exam on paper, say) is keyed as far as it goes; the
paper is typed in first (the documentation or report blank), then the rest is ticked."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick

from .catchup_support import save_accession
from .factories import exam_data, referral_data, report_data

NO_EXAM = "Undersökningen är inte dokumenterad i Reservrutin"
NO_REPORT = "Det finns inget signerat utlåtande"


def _referral_only(client: FlaskClient, auth) -> tuple[int, str]:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    auth.logout()
    auth.login("secretary")
    case_id = int(url.rsplit("/", 1)[-1])
    save_accession(client, case_id)
    return case_id, url


def _tick(client: FlaskClient, case_id: int, step: str):
    return client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1"})


def _done(app: Flask, case_id: int) -> list[str]:
    with app.app_context():
        ticks = db.session.scalars(select(CatchupTick).where(CatchupTick.case_id == case_id))
        return [t.step for t in ticks if t.is_done]


def _note(page: str, step: str) -> str:
    return page.split(f'id="step-{step}-note"', 1)[1].split("</p>", 1)[0]


def _button(page: str, step: str) -> str:
    return page.split(f'data-step="{step}"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ("exam_completed", NO_EXAM),
        ("images_matched", NO_EXAM),
        ("report_keyed", NO_REPORT),
        ("correction_list", NO_REPORT),
    ],
)
def test_a_step_with_nothing_behind_it_is_refused_beside_it(
    app: Flask, client: FlaskClient, auth, step: str, reason: str
) -> None:
    case_id, _url = _referral_only(client, auth)
    response = _tick(client, case_id, step)
    assert response.status_code == 409
    assert reason in _note(response.get_data(as_text=True), step)
    # Booked with the accession saved, and nothing more.
    assert _done(app, case_id) == ["booked"]


@pytest.mark.parametrize(
    ("step", "reason"),
    [("exam_completed", NO_EXAM), ("images_matched", NO_EXAM), ("correction_list", NO_REPORT)],
)
def test_the_page_offers_the_step_disabled_with_the_reason(
    client: FlaskClient, auth, step: str, reason: str
) -> None:
    case_id, _url = _referral_only(client, auth)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert reason in _note(page, step)
    assert " disabled" in _button(page, step)
    assert f'aria-describedby="step-{step}-note"' in _button(page, step)
    # Booking needs only the referral and the accession: marked with the accession saved.
    assert " disabled" not in _button(page, "booked")
    assert 'aria-pressed="true"' in _button(page, "booked")


def test_the_exam_typed_in_later_from_paper_opens_its_steps(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, url = _referral_only(client, auth)
    auth.logout()
    auth.login("radiographer")
    assert client.post(url + "/exam", data=exam_data()).status_code == 302
    auth.logout()
    auth.login("secretary")
    assert _tick(client, case_id, "exam_completed").status_code == 302
    assert _tick(client, case_id, "images_matched").status_code == 302
    assert _tick(client, case_id, "correction_list").status_code == 409
    auth.logout()
    auth.login("radiologist")
    reporting = url.replace("/cases/", "/reporting/")
    assert client.post(reporting, data=report_data("definitive", "d" * 20)).status_code == 302
    auth.logout()
    auth.login("secretary")
    assert _tick(client, case_id, "report_keyed").status_code == 302
    assert _tick(client, case_id, "correction_list").status_code == 302
    assert sorted(_done(app, case_id)) == [
        "booked",
        "correction_list",
        "exam_completed",
        "images_matched",
        "report_keyed",
    ]
