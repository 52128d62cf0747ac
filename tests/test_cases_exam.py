"""Exam documentation and the board."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from webapp.cases import fields
from webapp.cases.exam_ranges import DLP_RANGE
from webapp.extensions import db
from webapp.models import Case, ExamRecord, RecordVersion, Referral

from .factories import exam_data, hidden_value, referral_data


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _arrived_at(app: Flask, when: datetime) -> None:
    """The case's referral arrived `when`: an exam a day before it (and the outage) is refused."""
    with app.app_context():
        db.session.execute(update(Referral).values(arrived_at=when))
        db.session.commit()


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
        ({"dlp_mgycm": "mycket"}, "Ange ett tal, t.ex. 12,5."),
        ({"dlp_mgycm": "1_000"}, "Ange ett tal, t.ex. 12,5."),
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


def test_a_number_that_is_no_number_gets_one_message_not_the_range_too(
    client: FlaskClient, case_url: str
) -> None:
    page = client.post(case_url + "/exam", data=exam_data(dlp_mgycm="mycket")).get_data(
        as_text=True
    )
    assert "Ange ett tal, t.ex. 12,5." in page and DLP_RANGE not in page


@pytest.mark.parametrize("typed", ["4,5", "fyra", "4_0", "\u0664"])
def test_a_count_that_is_no_whole_number_gets_one_message_and_is_kept(
    app: Flask, client: FlaskClient, case_url: str, typed: str
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(series_count=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = re.findall(r'id="series_count-error"[^>]*>(.*?)</p>', page, re.S)
    assert len(errors) == 1 and errors[0].split("</span>")[-1].strip() == (
        "Ange ett heltal (bara siffror)."
    )
    assert f'value="{typed}"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_a_count_typed_with_a_space_is_taken(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    assert client.post(case_url + "/exam", data=exam_data(image_count="1 200")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.image_count)) == 1200


@pytest.mark.parametrize(
    ("typed", "stored"), [("812,5", 812.5), ("812.5", 812.5), ("12 500", 12500.0), (",5", 0.5)]
)
def test_doses_are_typed_with_a_decimal_comma_as_the_tablet_keypad_offers(
    app: Flask, client: FlaskClient, case_url: str, typed: str, stored: float
) -> None:
    # A CTDIvol below every DLP typed: a smaller DLP reads as the two swapped (dose_rule).
    data = exam_data(dlp_mgycm=typed, ctdivol_mgy="0,25")
    assert client.post(case_url + "/exam", data=data).status_code == 302
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert float(exam.dlp_mgycm) == pytest.approx(stored)
        assert float(exam.ctdivol_mgy) == pytest.approx(0.25)


def test_case_page_shows_doses_as_typed_with_a_decimal_comma(
    client: FlaskClient, case_url: str
) -> None:
    data = exam_data(
        dlp_mgycm="12500,25",
        ctdivol_mgy="52,1",
        contrast_volume_ml="80,5",
        contrast_agent="Omnipaque 350",
        contrast_batch="AB1234",
    )
    assert client.post(case_url + "/exam", data=data).status_code == 302
    page = client.get(case_url).get_data(as_text=True)
    # Keyed into RIS from here: every digit as typed, the comma a Swedish RIS expects.
    assert "DLP 12500,25 mGy·cm" in page and "CTDIvol 52,1 mGy" in page
    assert "80,5 ml" in page


def _exam_minutes(app: Flask) -> float:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        return (exam.ended_at - exam.started_at).total_seconds() / 60


def test_exam_across_the_autumn_clock_change_is_saved_with_its_real_length(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # 02:50 summer time, then the clock goes back from 02:59 to 02:00: it ends at 02:05 again.
    _arrived_at(app, datetime(2025, 10, 26, 0, 30, tzinfo=UTC))
    data = exam_data(
        started_at="2025-10-26T02:50",
        ended_at="2025-10-26T02:05",
        pacs_sent_at="2025-10-26T02:10",
    )
    assert client.post(case_url + "/exam", data=data).status_code == 302
    assert _exam_minutes(app) == 15
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam.pacs_sent_at > exam.ended_at  # 02:10 of the second pass too


def test_autumn_clock_change_follows_the_configured_time_zone(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    app.config["TIMEZONE"] = "America/New_York"  # clocks go back at 02:00 on 2 November 2025
    _arrived_at(app, datetime(2025, 11, 2, 5, 0, tzinfo=UTC))
    data = exam_data(started_at="2025-11-02T01:40", ended_at="2025-11-02T01:10")
    assert client.post(case_url + "/exam", data=data).status_code == 302
    assert _exam_minutes(app) == 30


def test_end_before_start_on_the_autumn_night_is_still_refused(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # 01:40 is before 02:50 whichever pass of the repeated hour 02:50 was.
    data = exam_data(started_at="2025-10-26T02:50", ended_at="2025-10-26T01:40")
    response = client.post(case_url + "/exam", data=data)
    assert response.status_code == 400
    assert "Sluttiden är före starttiden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_time_the_spring_clock_change_skips_is_refused_and_kept(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    data = exam_data(
        started_at="2026-03-29T02:30", ended_at="2026-03-29T03:10", notes="Lugn patient"
    )
    response = client.post(case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    field = page.split('data-field="started_at"', 1)[1].split('data-field="', 1)[0]
    assert "Tiden finns inte: klockan ställdes fram en timme den natten." in field
    assert 'value="2026-03-29T02:30"' in field
    assert "Lugn patient" in page
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


def test_exam_documented_meanwhile_is_not_overwritten_by_a_form_opened_before(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    assert client.post(case_url + "/exam", data=exam_data(dlp_mgycm="999.0")).status_code == 302
    # A second tablet opened the empty form before that first documentation was saved.
    response = client.post(case_url + "/exam", data=exam_data(key_suffix="B", notes="Orolig"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har sparat dokumentationen" in page
    assert "Orolig" in page  # what this user typed, kept
    assert "999" in page  # the stored dose, shown beside it
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam.dlp_mgycm == pytest.approx(999.0) and exam.notes == ""
    assert hidden_value(page, "version") == "1"


def test_exam_edit_from_a_stale_form_is_refused_then_saved_once_merged(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    edit_a = exam_data(key_suffix="A", dlp_mgycm="999.0", version="1")
    assert client.post(case_url + "/exam", data=edit_a).status_code == 302
    edit_b = exam_data(key_suffix="B", notes="Orolig", version="1")
    page = client.post(case_url + "/exam", data=edit_b).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.dlp_mgycm)) == pytest.approx(999.0)
    merged = {**edit_b, "dlp_mgycm": "999.0", "version": hidden_value(page, "version")}
    assert client.post(case_url + "/exam", data=merged).status_code == 302
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert (exam.dlp_mgycm, exam.notes, exam.version) == (pytest.approx(999.0), "Orolig", 3)


def test_exam_form_opened_for_an_edit_carries_the_version_it_shows(
    client: FlaskClient, case_url: str
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert hidden_value(page, "version") == "1"


def test_exam_form_resubmitted_after_back_gets_a_fresh_key(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    back = exam_data(notes="Kompletterat efter bakåt")
    response = client.post(case_url + "/exam", data=back)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "redan sparat" in page and "Kompletterat efter bakåt" in page
    again = {**back, "form_key": hidden_value(page, "form_key"), "version": "1"}
    assert again["form_key"] != back["form_key"]
    assert client.post(case_url + "/exam", data=again).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ExamRecord.notes)) == "Kompletterat efter bakåt"


def test_an_exam_from_the_catalogue_on_another_modality_is_refused_and_kept(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # The modality changed to MR, the requested CT exam left in the text: the documentation
    # would say a CT head was done on the MR.
    data = exam_data(
        modality="MR", room="MR 1", notes="Bytt till MR", pacemaker="no", implants="no"
    )
    response = client.post(case_url + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="modality-error"' in page
    assert "Modaliteten stämmer inte med vald undersökning." in page
    assert "Bytt till MR" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_images_not_sent_with_a_send_time_are_refused_and_kept(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # "Nej, inte skickade" beside a send time: the catch-up could not tell whether PACS has them.
    response = client.post(case_url + "/exam", data=exam_data(pacs_status="no"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bilderna är inte skickade: ta bort tiden, eller svara Ja." in page
    assert 'value="2026-01-15T11:00"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0
    assert (
        client.post(
            case_url + "/exam", data=exam_data(pacs_status="no", pacs_sent_at="")
        ).status_code
        == 302
    )


def test_end_before_start_in_the_first_pass_is_not_read_as_the_second_still_to_come(
    app: Flask, client: FlaskClient, case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 02:45 summer time, before the clocks go back: an end at 02:20 is before a start at
    # 02:30, not the 02:20 of the repeated hour that has not come yet.
    monkeypatch.setattr(fields, "utcnow", lambda: datetime(2025, 10, 26, 0, 45, tzinfo=UTC))
    data = exam_data(started_at="2025-10-26T02:30", ended_at="2025-10-26T02:20")
    response = client.post(case_url + "/exam", data=data)
    assert response.status_code == 400
    assert "Sluttiden är före starttiden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


def test_the_exam_form_shows_the_referrals_contrast_answers_where_the_contrast_is_given(
    client: FlaskClient, auth
) -> None:
    # The radiographer giving contrast reads the allergy, kidney and metformin answers here,
    # without leaving the form for the case page.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        exam_text="DT thorax-buk med kontrast",
        exam_code="CT-TAB",
        contrast_allergy="yes",
        metformin="no",
        egfr="58",
        kidney_measured_on="2026-01-14",
    )
    location = client.post("/cases/new", data=data).headers["Location"]
    page = client.get(location + "/exam").get_data(as_text=True)
    facts = page.split('class="facts contrast-facts"', 1)[1].split("</dl>", 1)[0]
    assert "Kontrastmedelsallergi</dt><dd>Ja</dd>" in facts
    assert "eGFR 58" in facts and "(2026-01-14)" in facts
    assert "Metformin</dt><dd>Nej</dd>" in facts
    assert "Enligt remissen (med kontrast)" in page
