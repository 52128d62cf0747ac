"""A report template saved by two admins at the same moment (real concurrent requests, both
databases): the later save stands, and the history keeps the earlier one as its own version."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import RecordVersion, ReportTemplate

from .row_held import sent_while_row_held


def _edit(template: ReportTemplate, sections: str) -> dict[str, object]:
    return {
        "name": template.name,
        "modality": template.modality,
        "exam_codes": list(template.exam_codes or []),
        "sections": sections,
        "phrases": "",
        "is_active": "y",
    }


def test_two_saves_of_one_template_at_once_are_two_versions(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("admin")
    other = tablet_factory("adm-bo", role="admin")
    with app.app_context():
        template = db.session.scalars(select(ReportTemplate).order_by(ReportTemplate.id)).first()
        db.session.expunge(template)
    url = f"/reporting/templates/{template.id}"
    sent_while_row_held(
        app,
        "report_template",
        template.id,
        [
            lambda: client.post(url, data=_edit(template, "Fynd\nBedömning")),
            lambda: other.post(url, data=_edit(template, "Fynd\nBedömning\nRåd")),
        ],
    )
    with app.app_context():
        saved = db.session.get(ReportTemplate, template.id)
        assert saved.sections == ["Fynd", "Bedömning", "Råd"]
        versions = db.session.scalars(
            select(RecordVersion)
            .where(RecordVersion.entity == "template", RecordVersion.entity_id == template.id)
            .order_by(RecordVersion.id)
        ).all()
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].data["sections"] == ["Fynd", "Bedömning"]
        assert saved.version == 3
