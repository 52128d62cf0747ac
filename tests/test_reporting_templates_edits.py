"""The template editor: a heading too long is refused (not cut), a save from a page opened before
another admin's save is refused (not applied over it), and a form sent twice saves once."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ReportTemplate, User
from webapp.reporting.library import TemplateError, save_template

from .factories import hidden_value
from .twin_race import KEY, twin_committed_after_the_check

LONG = ("Jämförelse med tidigare undersökningar " * 4).strip()  # 155 characters
STALE = "Mallen har sparats av en annan administratör sedan du öppnade sidan: nu"


def _template(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "MR ländrygg",
        "modality": "MR",
        "exam_codes": ["MR-RYGG"],
        "sections": "Frågeställning\nFynd\nBedömning",
        "phrases": "Fynd: Inga diskbråck.",
        "is_active": "y",
    }
    data.update(overrides)
    return data


def _named(app: Flask, name: str) -> list[ReportTemplate]:
    with app.app_context():
        found = db.session.scalars(select(ReportTemplate).where(ReportTemplate.name == name)).all()
        db.session.expunge_all()
        return list(found)


def _first_template(app: Flask) -> ReportTemplate:
    with app.app_context():
        template = db.session.scalars(select(ReportTemplate).order_by(ReportTemplate.id)).first()
        assert template is not None
        db.session.expunge(template)
        return template


def _shown(page: str) -> dict[str, object]:
    """What the edit page would send back unchanged, hidden fields included."""
    return {"version": hidden_value(page, "version"), "form_key": hidden_value(page, "form_key")}


def test_a_heading_longer_than_120_characters_is_refused_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post(
        "/reporting/templates/new", data=_template(sections=f"Fynd\n{LONG}\nBedömning")
    )
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Rad 2: rubriken får vara högst 120 tecken (den har 155)." in page
    assert LONG in page
    assert _named(app, "MR ländrygg") == []


def test_a_heading_of_120_characters_is_saved_whole(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    heading = ("Fynd " * 24).strip() + "x"
    assert len(heading) == 120
    response = client.post("/reporting/templates/new", data=_template(sections=heading, phrases=""))
    assert response.status_code == 302
    assert _named(app, "MR ländrygg")[0].sections == [heading]


def test_the_edit_page_carries_the_version_it_shows(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    template = _first_template(app)
    page = client.get(f"/reporting/templates/{template.id}").get_data(as_text=True)
    assert hidden_value(page, "version") == str(template.version)


def test_a_save_from_a_page_opened_before_another_admins_save_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("admin")
    other = tablet_factory("adm-bo", role="admin")
    template = _first_template(app)
    url = f"/reporting/templates/{template.id}"
    mine = _shown(client.get(url).get_data(as_text=True))
    theirs = _shown(other.get(url).get_data(as_text=True))
    edit = {"name": template.name, "modality": template.modality, "is_active": "y"}
    edit["exam_codes"] = list(template.exam_codes or [])
    assert other.post(url, data={**edit, **theirs, "sections": "Fynd\nRåd"}).status_code == 302
    response = client.post(url, data={**edit, **mine, "sections": "Fynd\nBedömning\nMin rubrik"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert f"{STALE} {template.name}, med avsnitten Fynd, Råd." in page
    assert "Fynd\nBedömning\nMin rubrik" in page
    assert _first_template(app).sections == ["Fynd", "Råd"]
    # Saved again from the page that said so, it is a choice made knowing of the other save.
    again = {**edit, **_shown(page), "sections": "Fynd\nBedömning\nMin rubrik"}
    assert client.post(url, data=again).status_code == 302
    assert _first_template(app).sections == ["Fynd", "Bedömning", "Min rubrik"]


def test_an_edit_sent_twice_is_saved_once_not_refused_as_stale(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    template = _first_template(app)
    url = f"/reporting/templates/{template.id}"
    data = {
        **_shown(client.get(url).get_data(as_text=True)),
        "name": template.name,
        "modality": template.modality,
        "exam_codes": list(template.exam_codes or []),
        "sections": "Fynd\nBedömning",
        "is_active": "y",
    }
    assert client.post(url, data=data).status_code == 302
    second = client.post(url, data=data, follow_redirects=True)
    assert second.status_code == 200
    assert "Mallen var redan sparad – inget dubblerades." in html.unescape(
        second.get_data(as_text=True)
    )
    assert _first_template(app).version == template.version + 1


def test_the_new_template_form_carries_a_one_time_key(client: FlaskClient, auth) -> None:
    auth.login("admin")
    first = hidden_value(client.get("/reporting/templates/new").get_data(as_text=True), "form_key")
    second = hidden_value(client.get("/reporting/templates/new").get_data(as_text=True), "form_key")
    assert len(first) >= 16 and first != second


def test_a_new_template_sent_twice_is_created_once(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    first = client.post("/reporting/templates/new", data=_template(form_key=KEY))
    second = client.post(
        "/reporting/templates/new", data=_template(form_key=KEY), follow_redirects=True
    )
    assert first.status_code == 302
    assert "Mallen var redan sparad – inget dubblerades." in html.unescape(
        second.get_data(as_text=True)
    )
    assert len(_named(app, "MR ländrygg")) == 1


def test_a_new_template_sent_twice_at_the_same_moment_is_created_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/reporting/templates/new", data=_template(form_key=KEY))
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post("/reporting/templates/new", data=_template(form_key=KEY))
    assert blinded
    assert twin.status_code == 302
    assert len(_named(app, "MR ländrygg")) == 1


def test_a_new_template_form_sent_again_with_other_content_is_refused_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/reporting/templates/new", data=_template(form_key=KEY))
    response = client.post(
        "/reporting/templates/new", data=_template(form_key=KEY, name="MR ländrygg 2")
    )
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Formuläret har redan skickats med annat innehåll, och mallen är sparad." in page
    assert 'value="MR ländrygg 2"' in page
    assert hidden_value(page, "form_key") != KEY
    with app.app_context():
        count = db.session.scalar(
            select(func.count(ReportTemplate.id)).where(ReportTemplate.name.like("MR ländrygg%"))
        )
    assert count == 1


def test_the_save_service_itself_refuses_a_heading_longer_than_120_characters(
    app: Flask, user_factory
) -> None:
    # A caller that bypasses the form (a script, a later view) must not store it either.
    admin = user_factory(role="admin")
    with app.app_context():
        user = db.session.get(User, admin.id)
        with pytest.raises(TemplateError, match="högst 120 tecken"):
            save_template(
                user=user,
                template_id=None,
                values={**_values(), "sections": ["Fynd", LONG]},
            )
    assert _named(app, "MR ländrygg") == []


def test_the_save_service_stores_a_heading_of_120_characters(app: Flask, user_factory) -> None:
    admin = user_factory(role="admin")
    with app.app_context():
        user = db.session.get(User, admin.id)
        save_template(user=user, template_id=None, values={**_values(), "sections": [LONG[:120]]})
    [template] = _named(app, "MR ländrygg")
    assert template.sections == [LONG[:120]]


def _values() -> dict[str, object]:
    return {
        "name": "MR ländrygg",
        "modality": "MR",
        "exam_codes": ["MR-RYGG"],
        "phrases": [],
        "is_active": True,
    }
