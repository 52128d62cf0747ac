"""Exam documentation and the board."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case, ExamRecord, RecordVersion

from .factories import exam_data, referral_data


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_documenting_the_exam_moves_the_case_on(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    assert client.post(case_url + "/exam", data=exam_data()).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.status == "exam_done"
        assert case.exam.modality_temp_id == "TMP-CT1-0042"
        assert case.exam.dlp_mgycm == pytest.approx(812.5)
        assert case.exam.started_at.hour == 9  # 10:50 in Stockholm (winter) is 09:50 UTC


def test_exam_form_defaults_to_the_requested_exam(client: FlaskClient, case_url: str) -> None:
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert 'value="DT hjärna utan kontrast"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ended_at": "2026-01-15T10:40"}, "Sluttiden är före starttiden."),
        ({"modality_temp_id": ""}, "Ange ID:t som skrevs in på modaliteten"),
        ({"pacs_sent_at": ""}, "Ange när bilderna skickades."),
        ({"pacs_status": ""}, "Ange om bilderna skickades till PACS."),
        ({"dlp_mgycm": "mycket"}, "Inte ett giltigt decimaltal"),
        ({"contrast_volume_ml": "80"}, "Ange kontrastmedel."),
    ],
)
def test_bad_exam_input_is_explained_and_kept(
    app: Flask, client: FlaskClient, case_url: str, overrides: dict, message: str
) -> None:
    data = exam_data(notes="Patienten orolig – lugnad", **overrides)
    response = client.post(case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Patienten orolig – lugnad" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_second_documentation_is_a_new_version(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    client.post(case_url + "/exam", data=exam_data(key_suffix="2", image_count="640", version="1"))
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 1
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "exam"))
        assert version.changes["image_count"] == [612, 640]


def test_replayed_exam_submit_is_harmless(app: Flask, client: FlaskClient, case_url: str) -> None:
    data = exam_data()
    client.post(case_url + "/exam", data=data)
    client.post(case_url + "/exam", data=data)
    with app.app_context():
        assert db.session.scalar(select(func.count(RecordVersion.id))) == 0


def test_board_lists_cases_by_priority_then_waiting(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="r",
            priority="rutin",
            patient_name="Rut Rutin",
            arrived_at="2026-01-15T08:00",
        ),
    )
    client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="a", priority="akut", patient_name="Ada Akut", arrived_at="2026-01-15T09:00"
        ),
    )
    page = client.get("/board/").get_data(as_text=True)
    # Earliest urgent first (A. A. arrived 09:00, Ö. Ä. 10:30), routine last.
    assert page.index("A. A.") < page.index("Ö. Ä.") < page.index("R. R.")
    assert "Örjan Älvström" not in page  # masked until opened


def test_board_filters_by_status_and_modality(client: FlaskClient, case_url: str) -> None:
    client.post(case_url + "/exam", data=exam_data())
    assert "Ö. Ä." in client.get("/board/?status=exam_done").get_data(as_text=True)
    assert "Ö. Ä." not in client.get("/board/?status=referral_received").get_data(as_text=True)
    assert "Ö. Ä." not in client.get("/board/?modality=MR").get_data(as_text=True)


def test_board_rows_fragment_for_refresh(client: FlaskClient, case_url: str) -> None:
    response = client.get("/board/rows", headers={"X-Reservrutin-Background": "1"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert "Ö. Ä." in response.get_data(as_text=True)


def test_board_shows_the_most_urgent_rows_and_counts_the_rest(
    client: FlaskClient, case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.board import views

    monkeypatch.setattr(views, "BOARD_ROWS", 2)
    for suffix, priority, name in (("r", "rutin", "Rut Rutin"), ("a", "akut", "Ada Akut")):
        client.post(
            "/cases/new",
            data=referral_data(key_suffix=suffix, priority=priority, patient_name=name),
        )
    page = client.get("/board/").get_data(as_text=True)
    assert "3 ärenden" in page and "visar de 2 mest brådskande" in page
    assert "A. A." in page and "R. R." not in page  # the routine case is the one left out
    everything = client.get("/board/?all=1").get_data(as_text=True)
    assert "R. R." in everything and "mest brådskande" not in everything
    # Rows link to their case pages.
    assert f'href="{case_url}"' in page
