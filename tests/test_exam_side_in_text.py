"""A free-text exam typed with its side ("höger", "vä", "bilateral") while the side field is
empty: a hint beside the exam says the side belongs in the side field. Only a hint: the exam
saves as typed."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from webapp.cases.laterality import SIDE_IN_TEXT, side_word_in_text

from .factories import exam_data, referral_data

HINT_ID = 'id="exam-side-in-text"'


@pytest.mark.parametrize(
    "text",
    ["Knä höger", "Handled vänster", "Axel hö", "Fot VÄ", "Höfter bilateral", "Knä, hö."],
)
def test_a_side_word_in_free_text_with_no_side_asks_for_the_side_field(text: str) -> None:
    assert side_word_in_text(text, side="", exam_code="")


@pytest.mark.parametrize(
    ("text", "side", "code"),
    [
        ("Knä höger", "right", ""),  # the side is given
        ("Knä höger", "", "CT-KNA"),  # a catalogue exam: not free text
        ("Thorax", "", ""),  # no side word
        ("Höftled", "", ""),  # a word beginning like one is not one
    ],
)
def test_no_hint_otherwise(text: str, side: str, code: str) -> None:
    assert not side_word_in_text(text, side=side, exam_code=code)


def _shown(page: str) -> bool:
    """Whether the page shows the hint (it is drawn hidden for the script to show)."""
    found = re.search(r"<p [^>]*" + re.escape(HINT_ID) + r"[^>]*>", page)
    assert found, "the hint is drawn on every exam form"
    return " hidden" not in found.group(0)


def _case(client: FlaskClient, auth) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_the_exam_form_hints_beside_the_exam_after_a_refused_submit(
    client: FlaskClient, auth
) -> None:
    case = _case(client, auth)
    data = exam_data(exam_text="Knä höger", exam_code="", radiographers="")
    response = client.post(case + "/exam", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _shown(page) and SIDE_IN_TEXT in page


def test_the_hint_does_not_block_and_shows_again_on_the_saved_exam(
    client: FlaskClient, auth
) -> None:
    case = _case(client, auth)
    data = exam_data(exam_text="Knä höger", exam_code="")
    assert client.post(case + "/exam", data=data).status_code == 302
    page = client.get(case + "/exam").get_data(as_text=True)
    assert _shown(page)


def test_no_hint_on_a_catalogue_exam(client: FlaskClient, auth) -> None:
    case = _case(client, auth)
    page = client.post(case + "/exam", data=exam_data(radiographers="")).get_data(as_text=True)
    assert not _shown(page)


def test_the_referral_form_hints_beside_a_free_text_exam_after_a_refused_submit(
    client: FlaskClient, auth
) -> None:
    # The referral's side is optional for free text: typed into the text it is no side.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(exam_text="Knä vänster", exam_code="", reply_fax="")
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _shown(page) and SIDE_IN_TEXT in page
    assert 'value="Knä vänster"' in page


def test_the_referral_form_draws_the_hint_hidden_for_a_catalogue_exam(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(reply_fax=""))
    assert response.status_code == 400
    assert not _shown(response.get_data(as_text=True))
    assert not _shown(client.get("/cases/new").get_data(as_text=True))
