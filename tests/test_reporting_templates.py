"""Report templates: sections and quick phrases prefilled in the editor, and the admin's
template library."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import RecordVersion, ReportTemplate

from .factories import referral_data


def test_template_prefills_sections_and_phrases(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    # CT head: the site's "DT hjärna" template is chosen by exam code.
    assert 'value="Teknik"' in page
    assert "Ingen intrakraniell blödning" in page


def test_long_quick_phrases_are_cut_with_an_ellipsis(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    labels = re.findall(r'class="btn btn-small phrase"[^>]*>\+ ([^<]*)</button>', page)
    assert any(label.endswith("…") for label in labels), labels
    assert not any(label.endswith("...") for label in labels), labels


def test_free_text_exam_starts_without_a_template(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(exam_code="", exam_text="DT buk med kontrast, fritext")
    location = client.post("/cases/new", data=data).headers["Location"]
    auth.login("radiologist")
    page = client.get(location.replace("/cases/", "/reporting/")).get_data(as_text=True)
    # Not the modality's first template (CT head), whose quick phrases are about the head.
    assert not re.search(r'<option value="\d+" selected', page)
    assert "Ingen intrakraniell blödning" not in page
    assert 'value="Fynd"' in page and 'value="Bedömning"' in page


def test_admin_edits_the_template_library(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.post(
        "/reporting/templates/new",
        data={
            "name": "MR ländrygg",
            "modality": "MR",
            "exam_codes": ["MR-RYGG"],
            "sections": "Frågeställning\nFynd\nBedömning",
            "phrases": "Fynd: Inga diskbråck.\nBedömning: Normalfynd.",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(
            select(ReportTemplate).where(ReportTemplate.name == "MR ländrygg")
        )
        assert template.sections == ["Frågeställning", "Fynd", "Bedömning"]
        assert template.phrases[0] == {"section": "Fynd", "text": "Inga diskbråck."}
        template_id = template.id
    client.post(
        f"/reporting/templates/{template_id}",
        data={
            "name": "MR ländrygg",
            "modality": "MR",
            "exam_codes": ["MR-RYGG"],
            "sections": "Fynd\nBedömning",
            "phrases": "",
            "is_active": "y",
        },
    )
    with app.app_context():
        assert db.session.get(ReportTemplate, template_id).sections == ["Fynd", "Bedömning"]
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "template"))
        assert version.data["sections"] == ["Frågeställning", "Fynd", "Bedömning"]


def test_template_phrase_must_name_a_section(client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.post(
        "/reporting/templates/new",
        data={
            "name": "X",
            "sections": "Fynd",
            "phrases": "Okänd: text",
            "is_active": "y",
        },
    )
    assert "avsnittet &#39;Okänd&#39; finns inte" in response.get_data(as_text=True)


def test_radiologist_cannot_edit_templates(client: FlaskClient, auth) -> None:
    auth.login("radiologist")
    assert client.get("/reporting/templates/new").status_code == 403


def test_a_template_whose_codes_left_the_configuration_names_them_in_the_editor(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    with app.app_context():
        template = ReportTemplate(
            site_id=1, name="MR hjärna", modality="MR", exam_codes=["MR-HJ", "CT-HJ"],
            sections=["Fynd"], phrases=[],
        )  # fmt: skip
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    example = EXAMPLE_SITE.read_text(encoding="utf-8")
    # No open incident uses them, so the save is allowed; templates are not counted.
    renamed = example.replace('code = "MR"', 'code = "MRT"', 1).replace(
        'modality = "MR"', 'modality = "MRT"'
    )
    renamed = renamed.replace('code = "CT-HJ"', 'code = "CT-HJ-NY"', 1)
    assert client.post("/admin/site", data={"config_toml": renamed}).status_code == 302
    page = html.unescape(client.get(f"/reporting/templates/{template_id}").get_data(as_text=True))
    assert "Mallens modalitet MR finns inte längre i enhetens konfiguration" in page
    assert "Mallens undersökningar CT-HJ finns inte längre" in page
    # A template whose codes are all there says nothing of the kind.
    with app.app_context():
        head = db.session.scalars(
            select(ReportTemplate.id).where(ReportTemplate.name == "DT hjärna")
        ).one()
    assert client.post("/admin/site", data={"config_toml": example}).status_code == 302
    assert "finns inte längre" not in client.get(f"/reporting/templates/{head}").get_data(
        as_text=True
    )
