"""An exam renamed in the site's catalogue (same code, new name) stays that exam on the cases
saved before: their forms show the current name and keep the code, so the exam's safety
questions are still asked. Only a text edited by hand makes the exam free text."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ExamRecord, RecordVersion, Referral, Site
from webapp.sites import save_site_config

from .conftest import AuthActions
from .factories import exam_data, hidden_value, referral_data

OLD = "DT thorax-buk med kontrast"
NEW = "DT thorax-buk med intravenös kontrast"
CONTRAST_ANSWERS = {"contrast_allergy": "no", "metformin": "no", "kidney_unknown": "y"}


def _rename(app: Flask, old: str, new: str) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and f'name = "{old}"' in site.config_toml
        text = site.config_toml.replace(f'name = "{old}"', f'name = "{new}"', 1)
        save_site_config(site.id, text, None)


@pytest.fixture
def case_url(app: Flask, client: FlaskClient, auth: AuthActions) -> str:
    """A case referred for the contrast exam under its old name, then the exam renamed."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(exam_code="CT-TAB", exam_text=OLD, **CONTRAST_ANSWERS)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    _rename(app, OLD, NEW)
    return str(response.headers["Location"])


def _stored_referral(app: Flask) -> tuple[str, str]:
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        assert ref is not None
        return ref.exam_code, ref.exam_text


def _edit(client: FlaskClient, case_url: str, **overrides: object) -> tuple[int, str]:
    """Save the referral edit form as it was shown, with the overrides."""
    page = client.get(case_url + "/referral").get_data(as_text=True)
    data = referral_data(**CONTRAST_ANSWERS)
    for name in ("form_key", "version", "case_version", "exam_text", "exam_code"):
        data[name] = html.unescape(hidden_value(page, name))
    for name in ("id_mode", "personal_number", "patient_name"):
        data.pop(name)
    data["clinical_question"] = "Metastaser? Ändrad frågeställning."
    data.update(overrides)
    response = client.post(case_url + "/referral", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_the_referral_edit_shows_the_current_name_and_keeps_the_code(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    page = client.get(case_url + "/referral").get_data(as_text=True)
    assert html.unescape(hidden_value(page, "exam_text")) == NEW
    assert hidden_value(page, "exam_code") == "CT-TAB"
    status, body = _edit(client, case_url)
    assert status == 302, body
    assert _stored_referral(app) == ("CT-TAB", NEW)


def test_an_untouched_referral_edit_after_the_rename_records_no_change(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # The form shows the current name on purpose; the code is the same exam, so nothing changed:
    # no new version (no reprint asked), no history row, no audited change, the sheets' name kept.
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        case = db.session.scalar(select(Case))
        assert ref is not None and case is not None
        versions = (ref.version, case.version)
    status, body = _edit(client, case_url, clinical_question=referral_data()["clinical_question"])
    assert status == 302, body
    assert _stored_referral(app) == ("CT-TAB", OLD)
    with app.app_context():
        ref = db.session.scalar(select(Referral))
        case = db.session.scalar(select(Case))
        assert ref is not None and case is not None
        assert (ref.version, case.version) == versions
        history = select(RecordVersion.changes).where(RecordVersion.case_id == case.id)
        assert db.session.scalars(history).all() == []
        changes = select(AuditEvent).where(AuditEvent.action == "referral_change")
        assert db.session.scalars(changes).all() == []


def test_a_referral_edit_opened_before_the_rename_keeps_the_code_and_its_questions(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # The form was drawn with the old name; the contrast questions are still asked.
    unanswered = {name: "" for name in CONTRAST_ANSWERS}
    status, body = _edit(client, case_url, exam_text=OLD, exam_code="CT-TAB", **unanswered)
    assert status == 400
    assert "Svara Ja, Nej eller Vet ej – undersökningen kräver uppgiften." in body
    status, body = _edit(client, case_url, exam_text=OLD, exam_code="CT-TAB")
    assert status == 302, body
    assert _stored_referral(app) == ("CT-TAB", OLD)


def test_a_text_typed_over_the_exam_is_still_free_text(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    status, body = _edit(client, case_url, exam_text="DT thorax utan kontrast")
    assert status == 302, body
    assert _stored_referral(app) == ("", "DT thorax utan kontrast")


def _document(client: FlaskClient, case_url: str, **overrides: object) -> tuple[int, str]:
    """Save the exam documentation as its form was shown, with the overrides."""
    page = client.get(case_url + "/exam").get_data(as_text=True)
    data = exam_data(contrast_agent="Omnipaque 350", contrast_batch="L123")
    for name in ("form_key", "version", "referral_version", "exam_text", "exam_code"):
        data[name] = html.unescape(hidden_value(page, name))
    data.update(overrides)
    response = client.post(case_url + "/exam", data=data)
    return response.status_code, response.get_data(as_text=True)


def _stored_exam(app: Flask) -> tuple[str, str]:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert exam is not None
        return exam.exam_code, exam.exam_text


def test_the_exam_documentation_of_a_case_referred_before_the_rename_keeps_the_code(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert html.unescape(hidden_value(page, "exam_text")) == NEW
    status, body = _document(client, case_url)
    assert status == 302, body
    assert _stored_exam(app) == ("CT-TAB", NEW)


def test_an_exam_documented_before_the_rename_keeps_its_code_when_edited(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    _rename(app, NEW, OLD)
    status, body = _document(client, case_url)
    assert status == 302, body
    assert _stored_exam(app) == ("CT-TAB", OLD)
    _rename(app, OLD, NEW)
    page = client.get(case_url + "/exam").get_data(as_text=True)
    assert html.unescape(hidden_value(page, "exam_text")) == NEW
    assert hidden_value(page, "exam_code") == "CT-TAB"
    status, body = _document(client, case_url, notes="Tillägg")
    assert status == 302, body
    assert _stored_exam(app) == ("CT-TAB", NEW)
    # A form drawn before the rename, sent after it, keeps the code too.
    _rename(app, NEW, "DT thorax-buk, kontrast")
    status, body = _document(client, case_url, exam_text=NEW, notes="Tillägg 2")
    assert status == 302, body
    assert _stored_exam(app) == ("CT-TAB", NEW)


def test_an_exam_text_typed_over_is_still_free_text(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    status, body = _document(client, case_url, exam_text="DT thorax utan kontrast")
    assert status == 302, body
    assert _stored_exam(app) == ("", "DT thorax utan kontrast")


def test_an_untouched_exam_documentation_after_the_rename_records_no_change(
    app: Flask, client: FlaskClient, case_url: str
) -> None:
    # As the referral's: the form shows the current name, the code is the same exam.
    _rename(app, NEW, OLD)
    status, body = _document(client, case_url)
    assert status == 302, body
    _rename(app, OLD, NEW)
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        case = db.session.scalar(select(Case))
        assert exam is not None and case is not None
        versions = (exam.version, case.version)
        history = select(func.count(RecordVersion.id)).where(RecordVersion.case_id == case.id)
        rows = db.session.scalar(history)
    status, body = _document(client, case_url)
    assert status == 302, body
    assert _stored_exam(app) == ("CT-TAB", OLD)
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        case = db.session.scalar(select(Case))
        assert exam is not None and case is not None
        assert (exam.version, case.version) == versions
        assert db.session.scalar(history) == rows
        changes = select(AuditEvent.detail).where(AuditEvent.action == "exam_change")
        assert db.session.scalars(changes).all() == [""]
