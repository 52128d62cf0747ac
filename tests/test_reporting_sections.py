"""A report keeps every section it has: a long template, or text kept from another template's
headings, is never cut off at a fixed count; past the limit it is refused with all text shown."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report, ReportTemplate, User

from .factories import report_data

DRAFT_KEY = "sections-" + "s" * 20


def _sections(count: int, heading: str = "Avsnitt") -> dict[str, str]:
    data: dict[str, str] = {}
    for i in range(count):
        data[f"sections-{i}-heading"] = f"{heading} {i + 1}"
        data[f"sections-{i}-text"] = f"Text under {heading.lower()} {i + 1}."
    return data


def _stored_sections(app: Flask) -> list[dict[str, str]]:
    with app.app_context():
        return list(db.session.scalar(select(Report.sections)) or [])


def _template(app: Flask, heading: str, count: int = 20) -> int:
    with app.app_context():
        site_id = db.session.scalar(select(User.site_id).where(User.username == "test-radiologist"))
        template = ReportTemplate(
            site_id=site_id,
            name=f"Mall {heading}",
            sections=[f"{heading} {i + 1}" for i in range(count)],
        )
        db.session.add(template)
        db.session.commit()
        return template.id


def test_a_report_with_more_than_twenty_sections_keeps_them_all(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = report_data("save") | _sections(25)
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    stored = _stored_sections(app)
    assert len(stored) == 25
    assert stored[-1] == {"heading": "Avsnitt 25", "text": "Text under avsnitt 25."}


def test_another_template_picked_keeps_the_text_typed_under_every_heading(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    """Twenty typed sections moved under a template of twenty other headings: forty on screen."""
    auth.login("radiologist")
    other = _template(app, "Organ")
    typed = {"form_key": DRAFT_KEY, **_sections(20)}
    response = client.put(
        f"/api/drafts/{DRAFT_KEY}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    response = client.get(f"/reporting/{case_id}?draft={DRAFT_KEY}&template={other}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Text under avsnitt 20." in page and 'value="Organ 20"' in page


def test_a_report_past_the_section_limit_is_refused_with_all_text_kept(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = report_data("save") | _sections(61)
    response = client.post(f"/reporting/{case_id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Utlåtandet får ha högst 60 avsnitt" in page
    assert "Text under avsnitt 61." in page
    assert _stored_sections(app) == []
