"""A report the radiologist wrote on the paper report template, keyed in by a secretary."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Case,
    Draft,
    RecordVersion,
    Report,
    ReportDispatch,
    ReportSignature,
)

from .factories import hidden_value, paper_report_data, report_data

RADIOLOGIST = "Testa Radiologist Åström"
SECRETARY = "Testa Secretary Åström"
MARK = f"inskrivet från papper av {SECRETARY}"
FINDINGS = "Ingen blödning. Normalvida ventriklar."


def _paper(radiologist_id: int | str, key: str = "p" * 20, **overrides: str) -> dict[str, str]:
    """The paper report form as the secretary sends it."""
    return paper_report_data(radiologist_id, form_key=key, findings=FINDINGS) | overrides


def _key_paper_report(client: FlaskClient, auth, case_id: int, radiologist_id: int) -> None:
    """A secretary keys the radiologist's definitive paper report into the app."""
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/paper", data=_paper(radiologist_id))
    assert response.status_code == 302, response.get_data(as_text=True)


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_secretary_opens_the_paper_report_form_from_the_case_page(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"/reporting/{case_id}/paper" in case_page
    response = client.get(f"/reporting/{case_id}/paper")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert RADIOLOGIST in page  # the site's radiologists to choose from
    assert 'data-draft-kind="paper_report"' in page
    assert len(hidden_value(page, "form_key")) >= 16


def test_a_paper_report_is_entered_in_the_radiologists_name_by_the_secretary(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    _key_paper_report(client, auth, case_id, radiologist_id)
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and not report.received_by_fax
        assert report.author_id == radiologist_id
        assert report.author_name == f"{RADIOLOGIST} ({MARK})"
        assert report.entered_by.display_name == SECRETARY
        assert report.definitive_at.isoformat().startswith("2026-01-15T10:10")  # 11:10 local
        signature = db.session.scalar(select(ReportSignature))
        assert signature.kind == "definitive" and MARK in signature.signer_name
        assert db.session.get(Case, case_id).status == "report_definitive"
        events = db.session.scalars(select(AuditEvent.action)).all()
        assert "report_paper_entered" in events


def test_the_case_page_says_the_report_was_keyed_from_paper_not_received_by_fax(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    _key_paper_report(client, auth, case_id, radiologist_id)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert MARK in page
    assert "Mottaget per fax" not in page


def test_the_case_page_gives_the_time_on_the_paper_as_the_signature_time(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    # The sheet and the exports give the paper's time; the page must not give the keying time.
    _key_paper_report(client, auth, case_id, radiologist_id)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    signatures = page.split('<ul class="signatures">', 1)[1].split("</ul>", 1)[0]
    assert "Definitivt signerat 2026-01-15 11:10" in signatures
    assert "inskrivet" in signatures


def test_a_paper_report_not_yet_faxed_must_be_faxed_like_any_report(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    _key_paper_report(client, auth, case_id, radiologist_id)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page


def test_a_paper_report_already_faxed_logs_that_fax(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = _paper(
        radiologist_id, already_faxed="y", faxed_at="2026-01-15T11:25", fax_number="035-111 22 33"
    )
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" not in page
    with app.app_context():
        dispatch = db.session.scalar(select(ReportDispatch))
        signature = db.session.scalar(select(ReportSignature))
        assert dispatch.signature_id == signature.id
        assert dispatch.fax_number == "035-111 22 33"
        assert dispatch.faxed_at.isoformat().startswith("2026-01-15T10:25")
        assert dispatch.user.display_name == SECRETARY


def test_an_author_who_is_not_a_user_is_typed(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = _paper("", author_name="Dr Stina Hyrläkare", state="preliminary")
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.author_id is None and report.state == "preliminary"
        assert report.author_name == f"Dr Stina Hyrläkare ({MARK})"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"author_id": "", "author_name": ""}, "Välj radiologen som skrev utlåtandet"),
        ({"written_at": ""}, "Ange när utlåtandet skrevs."),
        ({"conclusion": ""}, "Skriv av bedömningen."),
        ({"already_faxed": "y", "faxed_at": "", "fax_number": "035-1"}, "Ange när papperet"),
        ({"already_faxed": "y", "faxed_at": "2026-01-15T11:25", "fax_number": ""}, "faxnumret"),
    ],
)
def test_a_paper_report_missing_a_part_is_refused_with_the_text_kept(
    app: Flask,
    client: FlaskClient,
    auth,
    case_id: int,
    radiologist_id: int,
    overrides: dict[str, str],
    message: str,
) -> None:
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/paper", data=_paper(radiologist_id, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Ingen blödning. Normalvida ventriklar." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 0


def test_a_radiologist_of_another_role_cannot_be_named_author(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    secretary = auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/paper", data=_paper(secretary.id))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 0


def test_a_paper_report_sent_twice_is_entered_once(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = _paper(
        radiologist_id, already_faxed="y", faxed_at="2026-01-15T11:25", fax_number="035-111 22 33"
    )
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1
        assert db.session.scalar(select(func.count(ReportDispatch.id))) == 1


def test_a_definitive_paper_report_after_a_preliminary_one_keeps_the_first_as_a_version(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    first = _paper(radiologist_id, "a" * 20, state="preliminary", conclusion="Trolig infarkt.")
    assert client.post(f"/reporting/{case_id}/paper", data=first).status_code == 302
    second = _paper(radiologist_id, "b" * 20, conclusion="Infarkt bekräftad.")
    assert client.post(f"/reporting/{case_id}/paper", data=second).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and report.version == 2
        kept = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "report"))
        assert "Trolig infarkt." in json.dumps(kept.data, ensure_ascii=False)


def test_an_app_report_signed_preliminary_is_not_replaced_from_paper(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}",
        data=report_data(
            "preliminary", findings="Appens text.", conclusion="Appens bedömning.", version=""
        ),
    )
    auth.logout()
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/paper", data=_paper(radiologist_id))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Report.state)) == "preliminary"
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_the_report_sheet_says_it_was_keyed_from_paper(
    client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    _key_paper_report(client, auth, case_id, radiologist_id)
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert MARK in text
    assert "Mottaget per fax" not in text


def test_the_export_names_the_author_with_the_paper_mark(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    _key_paper_report(client, auth, case_id, radiologist_id)
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    document = json.loads(client.get(f"/catchup/incidents/{incident_id}/export/json").data)
    report = document["cases"][0]["report"]
    assert report["author"] == f"{RADIOLOGIST} ({MARK})"
    assert not report["received_by_fax"]


def test_a_radiologist_signing_a_paper_preliminary_report_in_the_app_makes_it_their_own(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    client.post(f"/reporting/{case_id}/paper", data=_paper(radiologist_id, state="preliminary"))
    auth.logout()
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert f"Inskrivet från papper av {SECRETARY}" in screen
    signed = report_data(
        key="s" * 20, findings=FINDINGS, conclusion="Ingen akut patologi.", version="1"
    )
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and report.entered_by_id is None
        assert report.author_name == RADIOLOGIST


def test_a_paper_faxed_before_it_was_written_is_refused(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = _paper(
        radiologist_id, already_faxed="y", faxed_at="2026-01-15T10:50", fax_number="035-111 22 33"
    )
    response = client.post(f"/reporting/{case_id}/paper", data=data)
    assert response.status_code == 400
    assert "före" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportDispatch.id))) == 0


def test_a_paper_report_typed_on_one_tablet_is_continued_and_its_draft_finished(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    key = "paper-" + "d" * 20
    auth.login("secretary")
    saved = client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "paper_report",
            "seq": 1,
            "case_id": str(case_id),
            "data": _paper(radiologist_id, key, conclusion="Utkastets bedömning."),
        },
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert f"/reporting/{case_id}/paper?draft={key}" in client.get("/drafts").get_data(as_text=True)
    page = client.get(f"/reporting/{case_id}/paper?draft={key}").get_data(as_text=True)
    assert "Utkastets bedömning." in page and hidden_value(page, "form_key") == key
    sent = _paper(radiologist_id, key, conclusion="Utkastets bedömning.")
    assert client.post(f"/reporting/{case_id}/paper", data=sent).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done)) is True


def test_a_paper_faxed_in_the_repeated_autumn_hour_after_it_was_written_is_logged(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    # Written at 02:50 summer time, faxed fifteen minutes later at 02:05 after the clocks went
    # back: the fax time is the repeated hour's second pass, not before the writing. The
    # referral came that night, before the paper was written.
    with app.app_context():
        db.session.get(Case, case_id).referral.arrived_at = datetime(
            2025, 10, 25, 23, 0, tzinfo=UTC
        )
        db.session.commit()
    auth.login("secretary")
    data = _paper(
        radiologist_id,
        written_at="2025-10-26T02:50",
        already_faxed="y",
        faxed_at="2025-10-26T02:05",
        fax_number="035-111 22 33",
    )
    response = client.post(f"/reporting/{case_id}/paper", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        dispatch = db.session.scalar(select(ReportDispatch))
        signature = db.session.scalar(select(ReportSignature))
        assert signature.paper_signed_at == datetime(2025, 10, 26, 0, 50, tzinfo=UTC)
        assert dispatch.faxed_at == datetime(2025, 10, 26, 1, 5, tzinfo=UTC)
