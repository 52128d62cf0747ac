"""Where the radiologist looked at the images: PACS, or the modality's own screen while PACS is
down. Asked at the definitive signature; a report read on the modality says so on the fax."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import RecordVersion, Report

from .factories import hidden_value, report_data
from .printforms.conftest import pdf_text

READ_ON_MISSING = "Ange var bilderna granskades."
MODALITY_LINE = (
    "Granskat på modalitetens skärm utan tillgång till tidigare undersökningar. "
    "Eftergranskas i PACS."
)
KEY = "m" * 20


def _report(app: Flask) -> Report | None:
    with app.app_context():
        report = db.session.scalar(select(Report))
        if report is not None:
            db.session.expunge(report)
        return report


def _sign(read_on: str | None, action: str = "definitive", key: str = KEY) -> dict[str, str]:
    data = report_data(action, key)
    data.pop("read_on", None)
    if read_on is not None:
        data["read_on"] = read_on
    return data


def test_the_editor_asks_where_the_images_were_read(client: FlaskClient, auth, case_id) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Bilderna granskade på" in page
    assert 'name="read_on" type="radio" value="pacs"' in page
    assert 'name="read_on" type="radio" value="modality"' in page
    assert "Modalitetens skärm" in page
    # Nothing chosen until the radiologist chooses.
    assert "checked" not in page[page.index("Bilderna granskade på") :].split("</fieldset>")[0]


def test_a_definitive_signature_without_where_the_images_were_read_is_refused_beside_it(
    app: Flask, client: FlaskClient, auth, case_id
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=_sign(None))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert READ_ON_MISSING in page
    field = page[page.index('data-field="read_on"') :]
    assert READ_ON_MISSING in field[: field.index('value="save"')]
    # What was typed stays.
    assert "Ingen blödning." in page and "Normalt." in page
    assert _report(app) is None


def test_a_draft_and_a_preliminary_signature_need_not_say_it(
    app: Flask, client: FlaskClient, auth, case_id
) -> None:
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}", data=_sign(None, "save")).status_code == 302
    data = _sign(None, "preliminary", "p" * 20) | {"version": "1"}
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    report = _report(app)
    assert report is not None and report.state == "preliminary" and report.read_on == ""


def test_an_unknown_place_is_refused(app: Flask, client: FlaskClient, auth, case_id) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=_sign("tv-screen"))
    assert response.status_code == 400
    assert _report(app) is None


def test_where_the_images_were_read_is_stored_and_versioned(
    app: Flask, client: FlaskClient, auth, case_id
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_sign("pacs", "save", "s" * 20))
    response = client.post(f"/reporting/{case_id}", data=_sign("modality") | {"version": "1"})
    assert response.status_code == 302
    report = _report(app)
    assert report is not None and report.read_on == "modality" and report.state == "definitive"
    with app.app_context():
        version = db.session.scalar(
            select(RecordVersion).where(
                RecordVersion.entity == "report", RecordVersion.entity_id == report.id
            )
        )
        assert version is not None
        assert version.changes["read_on"] == ["pacs", "modality"]
        assert version.data["read_on"] == "pacs"


def test_a_draft_carries_where_the_images_were_read(client: FlaskClient, auth, case_id) -> None:
    auth.login("radiologist")
    data = {k: v for k, v in _sign("modality", "save").items() if k != "action"}
    response = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(f"/reporting/{case_id}?draft={KEY}").get_data(as_text=True)
    assert hidden_value(page, "form_key") == KEY
    assert 'checked id="read_on-1" name="read_on" type="radio" value="modality"' in page


def test_a_report_read_on_the_modality_says_so_on_the_faxed_sheet(
    client: FlaskClient, auth, case_id
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_sign("modality"))
    text = " ".join(pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").get_data()).split())
    assert MODALITY_LINE in text


def test_a_report_read_in_pacs_prints_no_such_line(client: FlaskClient, auth, case_id) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_sign("pacs"))
    text = " ".join(pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").get_data()).split())
    assert "modalitetens skärm" not in text
    assert "Ingen blödning." in text
