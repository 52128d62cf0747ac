"""Two tablets on one report: a save from a stale screen is refused, nothing is put back."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportSignature

from .factories import hidden_value
from .reporting_support import _report, _state


def _fynd(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Report)).sections[0]["text"])


def test_save_from_a_stale_screen_is_refused_and_shows_both_texts(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    # Two tablets opened version 1; A saves a finding, then B saves another section.
    a = _report("save", key="a" * 20, version="1", fynd="Akut blödning vänster")
    assert client.post(f"/reporting/{case_id}", data=a).status_code == 302
    b = _report("save", key="b" * 20, version="1", bedomning="Bedömning från platta B")
    response = client.post(f"/reporting/{case_id}", data=b)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat utlåtandet" in page
    assert "Bedömning från platta B" in page and "Akut blödning vänster" in page
    assert _fynd(app) == "Akut blödning vänster"
    merged = {**b, "sections-0-text": "Akut blödning vänster"}
    merged["version"] = hidden_value(page, "version")
    assert client.post(f"/reporting/{case_id}", data=merged).status_code == 302
    with app.app_context():
        sections = db.session.scalar(select(Report)).sections
    assert [s["text"] for s in sections] == ["Akut blödning vänster", "Bedömning från platta B"]


def test_stale_screen_cannot_sign_the_older_text(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    a = _report("save", key="a" * 20, version="1", fynd="Akut blödning vänster")
    client.post(f"/reporting/{case_id}", data=a)
    stale = _report("definitive", key="b" * 20, version="1")
    assert client.post(f"/reporting/{case_id}", data=stale).status_code == 409
    assert _state(app) == ("draft", "exam_done")
    assert _fynd(app) == "Akut blödning vänster"


def test_first_report_written_meanwhile_is_not_overwritten(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    a = _report("save", key="a" * 20, fynd="Akut blödning vänster")
    client.post(f"/reporting/{case_id}", data=a)
    # B opened the empty editor before A's first save: it shows no version.
    b = _report("save", key="b" * 20, fynd="Ingen blödning.")
    assert client.post(f"/reporting/{case_id}", data=b).status_code == 409
    assert _fynd(app) == "Akut blödning vänster"


def test_double_tapped_save_replays_rather_than_being_refused(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    edit = _report("preliminary", key="p" * 20, version="1", fynd="Akut blödning vänster")
    assert client.post(f"/reporting/{case_id}", data=edit).status_code == 302
    assert client.post(f"/reporting/{case_id}", data=edit).status_code == 302
    assert _state(app) == ("preliminary", "report_preliminary")
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_restored_draft_keeps_the_version_it_was_started_from(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    key = "D" * 24
    draft = _report("save", key=key, version="1", fynd="Utkast från platta B")
    client.put(
        f"/api/drafts/{key}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": draft},
    )
    a = _report("save", key="a" * 20, version="1", fynd="Akut blödning vänster")
    client.post(f"/reporting/{case_id}", data=a)
    page = client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True)
    assert "Utkast från platta B" in page
    assert hidden_value(page, "version") == "1"
    assert client.post(f"/reporting/{case_id}", data=draft).status_code == 409
    assert _fynd(app) == "Akut blödning vänster"


def test_editor_resubmitted_after_back_gets_a_fresh_key(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    back = _report("save", fynd="Tillagt efter bakåt")
    response = client.post(f"/reporting/{case_id}", data=back)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "redan sparat" in page and "Tillagt efter bakåt" in page
    again = {**back, "form_key": hidden_value(page, "form_key")}
    again["version"] = hidden_value(page, "version")
    assert again["form_key"] != back["form_key"]
    assert client.post(f"/reporting/{case_id}", data=again).status_code == 302
    assert _fynd(app) == "Tillagt efter bakåt"


def test_text_refused_because_signed_meanwhile_stays_on_the_page(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    late = _report("save", key="x" * 20, version="1", bedomning="Sen bedömning från platta B")
    page = client.post(f"/reporting/{case_id}", data=late).get_data(as_text=True)
    assert "kan inte ändras" in page
    assert "Sen bedömning från platta B" in page


def test_text_refused_by_the_form_after_a_signature_meanwhile_stays_on_the_page(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Tablet B signed definitively; tablet A's "Signera definitivt" without the images'
    # reading place is refused by the form itself: the page has no editor any more (only the
    # addendum), so A's text must stay on it to copy.
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    late = _report("definitive", key="x" * 20, version="1", bedomning="Sen bedömning från A")
    late["read_on"] = ""
    response = client.post(f"/reporting/{case_id}", data=late)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="unsaved"' in page
    assert "Sen bedömning från A" in page
