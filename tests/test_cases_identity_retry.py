"""An identity correction sent twice (a double tap, a resend on a dropped connection)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, RecordVersion

from .factories import identity_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture


def _correction(app: Flask, key: str, **overrides: str) -> dict[str, object]:
    with app.app_context():
        version = db.session.scalar(select(Case.version))
    data = identity_data(form_key=key, case_version=str(version), personal_number="191212121212")
    return data | overrides


def _corrections(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "identity_correct")
            )
            or 0
        )


def test_a_double_tapped_identity_correction_answers_as_saved(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    data = _correction(app, "i" * 24)
    assert client.post(location + "/identity", data=data).status_code == 302
    again = client.post(location + "/identity", data=data, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "Ändringen var redan sparad – inget dubblerades." in page
    assert "Identiteten är inte ändrad" not in page
    assert _corrections(app) == 1
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "191212121212"
        versions = select(func.count()).select_from(RecordVersion)
        assert db.session.scalar(versions.where(RecordVersion.entity == "case")) == 1


def test_an_identity_correction_resent_with_other_content_is_refused_and_kept(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    data = _correction(app, "j" * 24)
    assert client.post(location + "/identity", data=data).status_code == 302
    other = {**data, "patient_name": "Örjan Älvström Berg"}
    response = client.post(location + "/identity", data=other)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Örjan Älvström Berg" in page
    assert 'value="' + "j" * 24 + '"' not in page
    assert _corrections(app) == 1


def test_a_correction_that_changes_nothing_is_told_at_the_number(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    data = _correction(app, "k" * 24)
    assert client.post(location + "/identity", data=data).status_code == 302
    same = _correction(app, "m" * 24)
    response = client.post(location + "/identity", data=same)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="personal_number-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert error and "Identiteten är oförändrad." in error.group(1), page
    assert 'id="reason-error"' not in page
    assert 'value="191212121212"' in page  # what was typed stays
