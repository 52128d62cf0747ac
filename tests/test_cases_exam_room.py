"""The exam's room belongs to its modality: a CT documented in the MR room is refused beside the
room, what was typed kept, so the catch-up never keys an exam into the wrong lab's worklist."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExamRecord

from .factories import declare_incident, exam_data, referral_data


def _case(client: FlaskClient, auth) -> str:
    auth.login()
    declare_incident(client)
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_a_room_of_another_modality_is_refused_beside_the_room(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_url = _case(client, auth)
    response = client.post(
        case_url + "/exam", data=exam_data(room="MR 1", radiographers="Kim Ström, Ali Berg")
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    error = page.split('id="room-error"', 1)[1].split("</p>", 1)[0]
    assert "Rummet MR 1 hör inte till modaliteten Datortomografi." in error
    assert 'value="Kim Ström, Ali Berg"' in page
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.id)) is None


def test_a_room_of_the_modality_is_accepted(app: Flask, client: FlaskClient, auth) -> None:
    case_url = _case(client, auth)
    assert client.post(case_url + "/exam", data=exam_data(room="DT 2")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.room)) == "DT 2"


def test_no_room_is_still_accepted(app: Flask, client: FlaskClient, auth) -> None:
    case_url = _case(client, auth)
    assert client.post(case_url + "/exam", data=exam_data(room="")).status_code == 302
