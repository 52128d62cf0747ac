"""The department's own site file, copied over the untouched example, takes the example's place."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.config_history import SITE_CONFIG_ENTITY
from webapp.extensions import db
from webapp.models import RecordVersion, ReportTemplate, Site, User
from webapp.reporting.library import templates_for
from webapp.startup import prepare

from .factories import referral_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
# The department's own file, made from the example as the README says.
OWN = (
    EXAMPLE.replace('code = "EXS"', 'code = "SAS"', 1)
    .replace('name = "Röntgen Exempelstad"', 'name = "Röntgen Sasstad"', 1)
    .replace('fax = "0999-100 01"', 'fax = "035-100 01"', 1)
    .replace('phone = "0999-100 00"', 'phone = "035-100 00"', 1)
)
SECRET = "lång-hemlighet-42"
# The department's catalogue has no CT angiography of the head, which the example's starter
# template for CT head is also picked by.
ANGIO = (
    '[[exams]]\ncode = "CT-HJA"\nname = "DT hjärna med angiografi"\nmodality = "CT"\n'
    "contrast = true\npregnancy = true\n\n"
)
OWN_CATALOGUE = OWN.replace(ANGIO, "", 1)


def _first_admin(client: FlaskClient) -> None:
    response = client.post(
        "/setup",
        data={
            "display_name": "Åsa Admin",
            "username": "asa",
            "kind": "password",
            "secret": SECRET,
            "confirm": SECRET,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _sites(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {site.code: site.id for site in db.session.scalars(select(Site))}


def _copy_own_file(app: Flask) -> Path:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    path.write_text(OWN, encoding="utf-8")
    return path


def test_the_own_file_over_the_untouched_example_takes_its_place(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    _first_admin(client)
    assert _sites(app) == {"EXS": 1}
    with app.app_context():
        templates = db.session.scalar(
            select(db.func.count()).select_from(ReportTemplate).where(ReportTemplate.site_id == 1)
        )
    path = _copy_own_file(app)
    with caplog.at_level(logging.INFO, logger="webapp.sites"):
        prepare(app)
    assert _sites(app) == {"SAS": 1}
    with app.app_context():
        site = db.session.get(Site, 1)
        assert (site.name, site.config_toml) == ("Röntgen Sasstad", OWN)
        assert db.session.scalar(select(User.site_id).where(User.username == "asa")) == 1
        assert templates and templates == db.session.scalar(
            select(db.func.count()).select_from(ReportTemplate).where(ReportTemplate.site_id == 1)
        )
        kept = db.session.scalars(
            select(RecordVersion).where(
                RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == 1
            )
        ).all()
        assert [v.data["config_toml"] for v in kept] == [EXAMPLE]
        assert "exempelenhet" in kept[0].reason.lower() and str(path) in kept[0].reason
    assert not (Path(app.config["DATA_DIR"]) / "sites").exists()
    said = [r.getMessage() for r in caplog.records if r.name == "webapp.sites"]
    assert any("EXS" in line and "SAS" in line and "ersätts" in line for line in said), said
    # The first admin logs in to the department's own site.
    client.post("/login", data={"username": "asa", "secret": SECRET})
    page = html.unescape(client.get("/admin/site").get_data(as_text=True))
    assert 'code = "SAS"' in page


def test_an_example_site_with_a_case_is_kept_and_moved_with_a_swedish_line_saying_what_to_do(
    app: Flask, client: FlaskClient, auth, caplog: pytest.LogCaptureFixture
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    _copy_own_file(app)
    with caplog.at_level(logging.INFO, logger="webapp.sites"):
        prepare(app)
    assert _sites(app) == {"EXS": 1, "SAS": 2}
    moved = Path(app.config["DATA_DIR"]) / "sites" / "exs.toml"
    assert moved.read_text(encoding="utf-8") == EXAMPLE
    said = [r.getMessage() for r in caplog.records if r.name == "webapp.sites"]
    line = next(line for line in said if str(moved) in line)
    assert "EXS" in line and "SAS" in line
    assert "flask create-user" in line and "--site SAS" in line
    assert "had no file" not in " ".join(said)


def test_an_example_edited_in_the_app_with_own_numbers_is_kept(
    app: Flask, client: FlaskClient
) -> None:
    _first_admin(client)
    client.post("/login", data={"username": "asa", "secret": SECRET})
    own_numbers = EXAMPLE.replace('fax = "0999-100 01"', 'fax = "035-999 01"', 1).replace(
        'phone = "0999-100 00"', 'phone = "035-999 00"', 1
    )
    assert client.post("/admin/site", data={"config_toml": own_numbers}).status_code == 302
    _copy_own_file(app)
    prepare(app)
    assert _sites(app) == {"EXS": 1, "SAS": 2}


def _template_form(template: ReportTemplate, **changed: object) -> dict[str, object]:
    return {
        "version": str(template.version),
        "name": template.name,
        "modality": template.modality,
        "exam_codes": list(template.exam_codes),
        "sections": "\n".join(template.sections),
        "phrases": "\n".join(f"{p['section']}: {p['text']}" for p in template.phrases),
        "is_active": "y",
    } | changed


def _shape(template: ReportTemplate) -> tuple[object, ...]:
    return (
        template.name,
        template.modality,
        template.exam_codes,
        template.sections,
        template.phrases,
        template.version,
    )


def test_the_examples_unedited_starter_templates_give_way_to_those_for_the_own_catalogue(
    app: Flask, client: FlaskClient
) -> None:
    assert ANGIO in OWN
    _first_admin(client)
    client.post("/login", data={"username": "asa", "secret": SECRET})
    with app.app_context():
        starters = {t.name: t for t in templates_for(1)}
        ids = {name: t.id for name, t in starters.items()}
        assert starters["DT hjärna"].exam_codes == ["CT-HJ", "CT-HJA"]
        edited = _template_form(starters["DT thorax-buk"], phrases="Buk: Ingen fri gas.")
        own = _template_form(starters["DT hjärna"], name="DT angio (vår)", version="")
    assert (
        client.post(f"/reporting/templates/{ids['DT thorax-buk']}", data=edited).status_code == 302
    )
    assert client.post("/reporting/templates/new", data=own).status_code == 302
    # A fresh site with the same catalogue, for what the department's site should offer.
    fresh = Path(app.config["DATA_DIR"]) / "sites" / "frs.toml"
    fresh.parent.mkdir()
    fresh.write_text(OWN_CATALOGUE.replace('code = "SAS"', 'code = "FRS"', 1), encoding="utf-8")
    (Path(app.config["DATA_DIR"]) / "site.toml").write_text(OWN_CATALOGUE, encoding="utf-8")
    prepare(app)
    assert _sites(app) == {"SAS": 1, "FRS": 2}
    with app.app_context():
        now = templates_for(1)
        by_name = {t.name: t for t in now}
        # The edited starter and the admin's own template stay as they were.
        assert by_name["DT thorax-buk"].id == ids["DT thorax-buk"]
        assert by_name["DT thorax-buk"].phrases == [{"section": "Buk", "text": "Ingen fri gas."}]
        assert by_name["DT angio (vår)"].exam_codes == ["CT-HJ", "CT-HJA"]
        # An unedited starter that fits the catalogue is kept as it is.
        assert by_name["Lungröntgen"].id == ids["Lungröntgen"]
        # The unedited starter keyed to the example's exam is taken out of use, its history
        # kept, and the department has the one a fresh site with its catalogue gets.
        old = db.session.get(ReportTemplate, ids["DT hjärna"])
        assert not old.is_active and old.version == 2
        kept = db.session.scalar(
            select(RecordVersion).where(
                RecordVersion.entity == "template", RecordVersion.entity_id == old.id
            )
        )
        assert kept.data["exam_codes"] == ["CT-HJ", "CT-HJA"] and kept.data["is_active"]
        assert "exempelenhet" in kept.reason.lower()
        assert by_name["DT hjärna"].id != old.id
        fresh_site = {t.name: _shape(t) for t in templates_for(2)}
        assert by_name["DT hjärna"].exam_codes == ["CT-HJ"]
        for name in ("DT hjärna", "Lungröntgen"):
            assert _shape(by_name[name]) == fresh_site[name]
        assert sorted(by_name) == sorted([*fresh_site, "DT angio (vår)"])
