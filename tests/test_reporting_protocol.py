"""The radiologist's instruction to the radiographer (the protocol written on the referral when
prioritising): written by radiologists only, versioned with who and when, shown where the
radiographer works, and marked when written after the exam started."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, RecordVersion, User
from webapp.protocol_rule import Protocol
from webapp.reporting.case_services import write_protocol
from webapp.reporting.services import ReportError

from .catchup_support import new_case
from .factories import exam_data, hidden_value, local_minute

INSTRUCTION = "Gör DT buk med portovenös fas i stället. Ring mig när patienten är på plats."
LATE = "Skriven efter att undersökningen startade"


def _write(client: FlaskClient, case_id: int, text: str = INSTRUCTION, **extra: str):
    return client.post(f"/reporting/{case_id}/protocol", data={"protocol": text, **extra})


def test_a_radiologists_instruction_is_saved_with_who_and_when_versioned_and_audited(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    response = _write(client, case_id)
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.protocol == INSTRUCTION
        assert case.protocol_by.username == "test-radiologist"
        assert datetime.now(UTC) - case.protocol_at < timedelta(minutes=1)
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "case"))
        assert version.changes == {"protocol": ["", INSTRUCTION]}
        assert version.changed_by_id == case.protocol_by_id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "protocol_change"))
        assert event.username == "test-radiologist" and event.detail == "skriven"


def test_an_instruction_changed_and_cleared_keeps_each_earlier_text(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _write(client, case_id)
    _write(client, case_id, "Utan kontrast.")
    _write(client, case_id, "")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.protocol, case.protocol_by_id, case.protocol_at) == ("", None, None)
        kept = db.session.scalars(
            select(RecordVersion.changes)
            .where(RecordVersion.entity == "case")
            .order_by(RecordVersion.id)
        ).all()
        assert [c["protocol"] for c in kept] == [
            ["", INSTRUCTION],
            [INSTRUCTION, "Utan kontrast."],
            ["Utan kontrast.", ""],
        ]
        details = db.session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "protocol_change")
            .order_by(AuditEvent.id)
        ).all()
        assert details == ["skriven", "ändrad", "borttagen"]


@pytest.mark.parametrize("role", ["radiographer", "secretary"])
def test_only_a_radiologist_may_write_the_instruction(
    app: Flask, client: FlaskClient, auth, case_id: int, role: str
) -> None:
    auth.login(role)
    assert _write(client, case_id).status_code == 403
    with app.app_context():
        assert db.session.get(Case, case_id).protocol == ""


def test_the_service_refuses_a_radiographer_whatever_the_route(
    app: Flask, case_id: int, user_factory
) -> None:
    radiographer = user_factory(role="radiographer", username="rtg-direkt")
    with app.app_context():
        user = db.session.get(User, radiographer.id)
        with pytest.raises(ReportError, match="Bara radiologer"):
            write_protocol(case_id=case_id, user=user, text=INSTRUCTION)
        assert db.session.get(Case, case_id).protocol == ""


def test_an_instruction_from_a_screen_opened_before_anothers_change_is_refused(
    app: Flask, case_id: int, tablet_factory
) -> None:
    first = tablet_factory("rad-asa", role="radiologist")
    second = tablet_factory("rad-bo", role="radiologist")
    shown = hidden_value(first.get(f"/reporting/{case_id}").get_data(as_text=True), "case_version")
    assert _write(first, case_id, "Utan kontrast.", case_version=shown).status_code == 302
    response = _write(second, case_id, INSTRUCTION, case_version=shown)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Instruktionen är inte sparad" in page
    assert "Ring mig när patienten är på plats." in page  # the text typed is kept
    with app.app_context():
        assert db.session.get(Case, case_id).protocol == "Utan kontrast."


def test_the_screen_shows_the_instruction_in_its_form_with_who_wrote_it(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _write(client, case_id)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert f'action="/reporting/{case_id}/protocol#protocol-panel"' in page
    textarea = re.search(r'<textarea[^>]*name="protocol"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None and textarea.group(1).strip() == INSTRUCTION
    assert "Skriven av" in page and "Testa Radiologist Åström" in page


def test_the_radiographer_reads_the_instruction_on_the_exam_form_and_the_case_page(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    auth.login("radiologist")
    _write(client, case_id, "אנא התקשר אליי – ring mig")
    auth.logout()
    auth.login("radiographer")
    for url in (f"/cases/{case_id}/exam", f"/cases/{case_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Radiologens instruktion" in page, url
        # Right to left when its first letter is: typed in Hebrew or Arabic too.
        assert '<p class="prose" dir="auto">אנא התקשר אליי – ring mig</p>' in page, url
        assert "Skriven av <bdi>Testa Radiologist Åström</bdi>" in page, url
        assert LATE not in page, url  # written before the exam was documented


def test_an_instruction_written_after_the_exam_started_says_so(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _write(client, case_id)  # the exam started at 10:50 on 15 January 2026
    auth.logout()
    auth.login("radiographer")
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/exam"):
        page = client.get(url).get_data(as_text=True)
        assert f"{LATE} (2026-01-15 10:50)" in page, url


def test_an_instruction_written_before_the_exam_is_not_marked_late(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    case_id = new_case(client, auth)
    auth.login("radiologist")
    _write(client, case_id)
    auth.login("radiographer")
    started = local_minute(timedelta(minutes=2))
    data = exam_data(started_at=started, ended_at=started, pacs_sent_at=started)
    assert client.post(f"/cases/{case_id}/exam", data=data).status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert INSTRUCTION in page and LATE not in page


def test_no_instruction_shows_no_box(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    assert "Radiologens instruktion" not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_after_exam_start_compares_the_times() -> None:
    start = datetime(2026, 1, 15, 9, 50, tzinfo=UTC)
    note = Protocol("Ring mig", "Rita", start + timedelta(minutes=1), start)
    assert note.after_exam_start
    assert not Protocol("Ring mig", "Rita", start, start).after_exam_start
    assert not Protocol("Ring mig", "Rita", start, None).after_exam_start


def _board_row(page: str, case_id: int) -> str:
    rows = [r.split("</li>")[0] for r in page.split('<li class="board-row')[1:]]
    return next(r for r in rows if f'href="/cases/{case_id}"' in r)


def test_the_board_marks_a_case_with_an_instruction_and_not_the_others(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    other = new_case(client, auth, key_suffix="b", patient_name="Bertil Ödmark")
    auth.login("radiologist")
    _write(client, case_id)
    auth.login("radiographer")
    page = client.get("/board/").get_data(as_text=True)
    marker = '<span class="status protocol">Instruktion</span>'
    assert marker in _board_row(page, case_id)
    assert marker not in _board_row(page, other)
    # Whether, never the text: the board is refreshed on every tablet every few seconds.
    assert INSTRUCTION not in page


def test_the_catch_up_page_lists_the_instruction_in_ris_order_to_copy(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _write(client, case_id)
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert f'<span class="copy-value" dir="auto" id="val-protocol">{INSTRUCTION}</span>' in page
    assert 'data-copy="val-protocol"' in page
    written = re.search(r'id="val-protocol-by">([^<]*)<', page)
    assert written is not None and written.group(1).startswith("Testa Radiologist Åström 20")
    # In RIS order: after the clinical question, before the referral's arrival.
    assert page.index('id="val-q"') < page.index('id="val-protocol"') < page.index('id="val-arr"')


def test_an_instruction_changed_after_a_lost_answer_is_kept_beside_its_field(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    panel = page[page.index('id="protocol-panel"') :]
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', panel)
    assert key is not None
    shown = {"form_key": key.group(1), "case_version": hidden_value(panel, "case_version")}
    assert _write(client, case_id, "Utan kontrast.", **shown).status_code == 302
    # The answer never reached the tablet; the radiologist adds to the text and sends again.
    response = _write(client, case_id, INSTRUCTION, **shown)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Formuläret har redan skickats med annat innehåll" in page
    textarea = re.search(r'<textarea[^>]*name="protocol"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None and textarea.group(1).strip() == INSTRUCTION
    # Sent again from the page shown, it is saved.
    panel = page[page.index('id="protocol-panel"') :]
    new_key = re.search(r'name="form_key"[^>]*value="([^"]+)"', panel)
    assert new_key is not None and new_key.group(1) != key.group(1)
    version = hidden_value(panel, "case_version")
    sent = _write(client, case_id, INSTRUCTION, form_key=new_key.group(1), case_version=version)
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).protocol == INSTRUCTION
