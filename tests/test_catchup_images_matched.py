"""'Images matched in PACS' is not ticked while the exam says the images are not in PACS: they
are only on the modality, and a tick would hide that from everyone until the modality deletes
them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick

from .catchup_support import save_accession
from .factories import exam_data, local_minute, referral_data

NOT_IN_PACS = "Bilderna finns inte i PACS enligt dokumentationen"


def _case(client: FlaskClient, auth, pacs_status: str = "failed", exam: bool = True) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    if exam:
        data = exam_data(pacs_status=pacs_status, pacs_sent_at="")
        assert client.post(url + "/exam", data=data).status_code == 302
    auth.logout()
    auth.login("secretary")
    return int(url.rsplit("/", 1)[-1])


def _tick(client: FlaskClient, case_id: int, step: str):
    return client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1"})


def _done(app: Flask, case_id: int) -> list[str]:
    with app.app_context():
        ticks = db.session.scalars(select(CatchupTick).where(CatchupTick.case_id == case_id))
        return [t.step for t in ticks if t.is_done]


def _note(page: str, step: str) -> str:
    return page.split(f'id="step-{step}-note"', 1)[1].split("</p>", 1)[0]


def test_images_matched_is_refused_beside_the_step_while_the_images_are_not_in_pacs(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth)
    save_accession(client, case_id)  # booked with it
    response = _tick(client, case_id, "images_matched")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert NOT_IN_PACS in _note(page, "images_matched")
    assert f'href="/cases/{case_id}#pacs"' in _note(page, "images_matched")
    # The other ticks stand, as shown on the page that answers.
    assert _done(app, case_id) == ["booked"]
    assert 'aria-pressed="true" data-step="booked"' in page or (
        'data-step="booked" aria-pressed="true"' in page
    )


def test_the_catch_up_page_says_so_before_the_tick(client: FlaskClient, auth) -> None:
    case_id = _case(client, auth, "no")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert NOT_IN_PACS in _note(page, "images_matched")
    assert 'aria-describedby="step-images_matched-note"' in page


def test_images_matched_is_ticked_once_the_images_are_recorded_as_sent(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth)
    auth.logout()
    auth.login("radiographer")
    sent = {"form_key": "p" * 20, "sent_at": local_minute()}
    assert client.post(f"/cases/{case_id}/pacs", data=sent).status_code == 302
    auth.logout()
    auth.login("secretary")
    # Matched onto the exam's order in RIS: booked first.
    save_accession(client, case_id)  # booked with it
    assert _tick(client, case_id, "images_matched").status_code == 302
    assert _done(app, case_id) == ["booked", "images_matched"]


def test_a_case_with_no_exam_documented_is_refused_too(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The exam is on paper only: no images are recorded as sent until it is typed in.
    case_id = _case(client, auth, exam=False)
    response = _tick(client, case_id, "images_matched")
    assert response.status_code == 409
    assert "Undersökningen är inte dokumenterad i Reservrutin" in _note(
        response.get_data(as_text=True), "images_matched"
    )
    assert _done(app, case_id) == []
