"""Infection and mobility where staff read them: case, exam, board, reporting, catch-up, paper."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .catchup_support import new_case
from .factories import exam_data
from .printforms.conftest import pdf_text

MRSA = {"infection": "yes", "infection_note": "MRSA", "mobility": "bed"}
LINE = "Smitta: MRSA – isolering"


@pytest.fixture
def case_id(client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    return new_case(client, auth, **MRSA)


def _text(page: str) -> str:
    """The page's text without tags, spaces as one."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_case_page_shows_infection_and_mobility(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    text = _text(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Smitta/isolering Ja: MRSA" in text
    assert "Förflyttning Säng" in text


def test_the_exam_form_says_infection_and_mobility_in_one_clear_line(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    note = re.search(r'<p class="panel care-note[^"]*"[^>]*>(.*?)</p>', page, re.S)
    assert note is not None
    assert LINE in _text(note.group(1)) and "Förflyttning: Säng" in _text(note.group(1))


def test_the_exam_form_of_a_case_without_infection_has_no_line(
    client: FlaskClient, auth, case_id: int
) -> None:
    other = new_case(client, auth, key_suffix="b", patient_name="Bertil Ödmark")
    auth.login("radiographer")
    page = client.get(f"/cases/{other}/exam").get_data(as_text=True)
    assert "care-note" not in page and "Smitta:" not in page


def test_an_unknown_infection_is_said_on_the_exam_form(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth, infection="unknown")
    auth.login("radiographer")
    text = _text(client.get(f"/cases/{case_id}/exam").get_data(as_text=True))
    assert "Smitta: vet ej" in text


def _board_row(page: str, case_id: int) -> str:
    rows = [r.split("</li>")[0] for r in page.split('<li class="board-row')[1:]]
    return next(r for r in rows if f'href="/cases/{case_id}"' in r)


def test_the_board_marks_infection_with_a_badge_and_no_text(
    client: FlaskClient, auth, case_id: int
) -> None:
    other = new_case(client, auth, key_suffix="b", patient_name="Bertil Ödmark")
    auth.login("radiographer")
    page = client.get("/board/").get_data(as_text=True)
    badge = '<span class="status infection">Smitta</span>'
    assert badge in _board_row(page, case_id)
    assert badge not in _board_row(page, other)
    # Whether, never which: the board is on every tablet and refreshed every few seconds.
    assert "MRSA" not in page


def test_the_reporting_screen_shows_infection_and_mobility(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    text = _text(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    assert "Smitta/isolering Ja: MRSA" in text and "Förflyttning Säng" in text


def test_the_catch_up_page_lists_infection_and_mobility_in_ris_order_to_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert '<span class="copy-value" dir="auto" id="val-infection">Ja: MRSA</span>' in page
    assert '<span class="copy-value" dir="auto" id="val-mobility">Säng</span>' in page
    assert page.index('id="val-q"') < page.index('id="val-infection"') < page.index('id="val-arr"')


def test_the_printed_and_the_anonymised_referral_carry_infection_and_mobility(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    for kind in ("referral", "referral-anon"):
        pdf = client.get(f"/print/cases/{case_id}/{kind}.pdf").get_data()
        text = " ".join(pdf_text(pdf).split())
        assert "Smitta/isolering Ja: MRSA" in text, kind
        assert "Förflyttning Säng" in text, kind
