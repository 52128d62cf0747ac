"""The side is shown wherever the exam is named, and a side other than the referral's stands out."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .factories import exam_data, referral_data

HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
HAND_EXAM = {**HAND, "room": "Lab 1", "dlp_mgycm": "", "ctdivol_mgy": ""}
DIFFERS = "Annan sida än remissen"


def _hand_case(client: FlaskClient, auth, exam_side: str = "") -> int:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data(side="left", **HAND)).headers["Location"]
    if exam_side:
        extra = {"side_confirmed": f"left:{exam_side}"}
        data = exam_data(referral_side="left", side=exam_side, **extra, **HAND_EXAM)
        assert client.post(url + "/exam", data=data).status_code == 302
    return int(url.rsplit("/", 1)[-1])


def test_the_board_writes_the_referral_s_side_beside_the_exam(client: FlaskClient, auth) -> None:
    _hand_case(client, auth)
    rows = client.get("/board/rows").get_data(as_text=True)
    assert 'Hand/handled <b class="b-side">vä</b>' in rows
    assert DIFFERS not in rows


def test_an_unsided_exam_on_the_board_gets_no_side_markup(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    assert "b-side" not in client.get("/board/rows").get_data(as_text=True)


def test_the_board_flags_a_side_performed_other_than_the_referral_s(
    client: FlaskClient, auth
) -> None:
    _hand_case(client, auth, exam_side="right")
    rows = client.get("/board/rows").get_data(as_text=True)
    assert f'<span class="status side-differs">{DIFFERS}</span>' in rows


def test_the_case_page_names_both_sides_and_the_difference_prominently(
    client: FlaskClient, auth
) -> None:
    case_id = _hand_case(client, auth, exam_side="right")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'class="panel flash flash-error side-differs" role="alert"' in page
    assert "Remissen anger vänster; undersökningen är dokumenterad som gjord på höger" in page
    assert "<dt>Sida</dt><dd><strong>Vänster</strong></dd>" in page


def test_the_case_page_shows_no_difference_for_the_same_side(client: FlaskClient, auth) -> None:
    case_id = _hand_case(client, auth, exam_side="left")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert DIFFERS not in page and "<dt>Sida</dt>" in page


def test_the_report_editor_and_worklist_name_the_side(client: FlaskClient, auth) -> None:
    case_id = _hand_case(client, auth, exam_side="right")
    auth.login("radiologist")
    worklist = client.get("/reporting/").get_data(as_text=True)
    assert 'Hand/handled <b class="b-side">vä</b>' in worklist
    editor = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Hand/handled, <strong>vänster</strong>" in editor
    assert "Hand/handled, <strong>höger</strong>" in editor and DIFFERS in editor


@pytest.mark.parametrize(("exam_side", "shown"), [("", "Vänster"), ("both", "Båda sidor")])
def test_the_catch_up_page_gives_the_side_to_key_into_ris(
    app: Flask, client: FlaskClient, auth, exam_side: str, shown: str
) -> None:
    case_id = _hand_case(client, auth, exam_side=exam_side)
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert f'id="val-side">{shown}</span>' in page
