"""Signing a report: preliminary then definitive, addenda with their own author and signature,
who may sign, what cannot be signed, and a form sent twice signed once."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Addendum, Report, ReportSignature

from .reporting_support import _report, _state
from .statements import sent_statements


def test_radiologist_signs_preliminary_then_definitive(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    assert _state(app) == ("draft", "exam_done")
    client.post(f"/reporting/{case_id}", data=_report("preliminary", key="p" * 20, version="1"))
    assert _state(app) == ("preliminary", "report_preliminary")
    client.post(f"/reporting/{case_id}", data=_report("definitive", key="d" * 20, version="2"))
    assert _state(app) == ("definitive", "report_definitive")
    with app.app_context():
        kinds = [s.kind for s in db.session.scalars(select(ReportSignature))]
        assert kinds == ["preliminary", "definitive"]
        signature = db.session.scalar(
            select(ReportSignature).where(ReportSignature.kind == "definitive")
        )
        assert signature.user_id is not None and signature.signed_at is not None


def test_definitive_report_cannot_be_edited(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    response = client.post(
        f"/reporting/{case_id}", data=_report("save", key="x" * 20, fynd="Ändrad text")
    )
    assert response.status_code == 400
    assert "kan inte ändras" in response.get_data(as_text=True)
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.sections[0]["text"] == "Ingen blödning. Normalvida ventriklar."


def test_addendum_after_definitive_has_its_own_author_and_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    client.post(
        f"/reporting/{case_id}/addendum", data={"text": "Jämfört med tidigare: oförändrat."}
    )
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.text == "Jämfört med tidigare: oförändrat."
        assert addendum.author.username == "test-radiologist"
        assert (
            db.session.scalar(
                select(func.count(ReportSignature.id)).where(ReportSignature.kind == "addendum")
            )
            == 1
        )


def test_case_page_names_each_signature_and_addendum_once_without_a_query_per_name(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("preliminary", key="p" * 20))
    client.post(f"/reporting/{case_id}", data=_report("definitive", key="d" * 20, version="1"))
    for text in ("Första tillägget.", "Andra tillägget."):
        client.post(f"/reporting/{case_id}/addendum", data={"text": text})
    with sent_statements(app) as statements:
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Two signatures times two addenda come back as four joined rows; each is shown once.
    assert page.count("Preliminärt signerat") == 1
    assert page.count("Definitivt signerat") == 1
    assert page.count("Tillägg signerat") == 2
    assert page.count("Första tillägget.") == 1
    assert page.count("Andra tillägget.") == 1
    assert page.index("Preliminärt signerat") < page.index("Definitivt signerat")
    assert page.index("Första tillägget.") < page.index("Andra tillägget.")
    assert page.count("Testa Radiologist Åström") >= 4
    # Session check, the case with its records, names, notices to the referrer of a
    # cancellation and joined blanks, the calls, the cancellation reason's drafts to offer, the
    # same patient's other cases, the case's image transfers with their tries, the texts sent
    # over a newer draft (overridden_drafts): one query each, none per name (the access-log row
    # is an insert).
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 7, selects


def test_addendum_needs_a_definitive_report(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("preliminary"))
    client.post(f"/reporting/{case_id}/addendum", data={"text": "För tidigt"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Addendum.id))) == 0


@pytest.mark.parametrize("role", ["radiographer", "secretary", "admin"])
def test_only_radiologists_sign(app: Flask, client: FlaskClient, auth, case_id: int, role) -> None:
    auth.login(role)
    response = client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert response.status_code == 403
    assert _state(app) == ("", "exam_done")


def test_empty_report_cannot_be_signed(app: Flask, client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    response = client.post(
        f"/reporting/{case_id}", data=_report("definitive", fynd="", bedomning="")
    )
    assert "tomt" in response.get_data(as_text=True)
    assert _state(app) == ("", "exam_done")


def test_double_tap_on_sign_records_one_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("preliminary")
    client.post(f"/reporting/{case_id}", data=data)
    client.post(f"/reporting/{case_id}", data=data)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_an_addendum_sent_twice_is_signed_once(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    addendum_form = screen[screen.index('id="addendum"') :]
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', addendum_form)
    assert key is not None
    sent = {"form_key": key.group(1), "text": "Även liten fraktur i os temporale."}
    # The tablet's retry after the Wi-Fi dropped, or a second tap on a slow answer.
    for _ in range(2):
        assert client.post(f"/reporting/{case_id}/addendum", data=sent).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Addendum.id))) == 1
        signatures = db.session.scalars(
            select(ReportSignature.kind).where(ReportSignature.kind == "addendum")
        ).all()
    assert len(signatures) == 1


def test_an_addendum_changed_after_a_lost_answer_can_be_signed_from_the_page_shown(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', screen[screen.index('id="addendum"') :])
    assert key is not None
    first = {"form_key": key.group(1), "text": "Även liten fraktur."}
    assert client.post(f"/reporting/{case_id}/addendum", data=first).status_code == 302
    # The answer never reached the tablet; the radiologist adds to the text and sends again.
    changed = {"form_key": key.group(1), "text": "Även liten fraktur i os temporale."}
    response = client.post(f"/reporting/{case_id}/addendum", data=changed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tillägget är redan signerat med texten som skickades först" in page
    assert "Även liten fraktur i os temporale." in page  # what was typed stays
    shown = page[page.index('id="addendum"') :]
    new_key = re.search(r'name="form_key"[^>]*value="([^"]+)"', shown)
    assert new_key is not None and new_key.group(1) != key.group(1)
    sent = {"form_key": new_key.group(1), "text": "Även liten fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=sent).status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(Addendum.text).order_by(Addendum.id)).all()
    assert texts == ["Även liten fraktur.", "Även liten fraktur i os temporale."]


def test_a_report_holding_only_the_copied_question_cannot_be_signed(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The editor fills in the referral's question: signed as it opened, the referrer would get
    # their own question back as the definitive report.
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert 'value="Frågeställning"' in page
    data = {
        "form_key": "q" * 20,
        "action": "definitive",
        "read_on": "pacs",
        "version": "",
        "sections-0-heading": "Frågeställning",
        "sections-0-text": "Blödning?",
        "sections-1-heading": "Fynd",
        "sections-1-text": "",
        "sections-2-heading": "Bedömning",
        "sections-2-text": "",
    }
    response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 400
    assert "Utlåtandet är tomt och kan inte signeras." in response.get_data(as_text=True)
    assert _state(app) == ("", "exam_done")
    data["sections-2-text"] = "Ingen blödning."
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    assert _state(app) == ("definitive", "report_definitive")
