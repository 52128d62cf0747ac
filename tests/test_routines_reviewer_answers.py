"""The external reviewer's answer: a verbal answer logged, a faxed report linked by its case code
and entered in the reviewer's name, preliminary then definitive."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, RecordVersion, Report, ReviewerExchange

from .factories import case_code
from .reviewer_support import _entries
from .routines_support import make_case, receive_data


def test_verbal_answer_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": "Dr Granskare",
            "verbal-called_person": "Dr Åberg, akuten",
            "verbal-called_at": "2026-01-15T11:30",
        },
    )
    assert _entries(app) == [("verbal_answer", "", "Dr Granskare → Dr Åberg, akuten")]


def test_received_report_is_linked_by_case_code_and_queued_for_the_admin(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    data = receive_data(code.lower(), forwarded=False)
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.headers["Location"].endswith(f"/routines/reviewer/cases/{case_id}")
    assert [k for k, _n, _p in _entries(app)] == ["report_received"]
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        assert exchange.case_id == case_id and exchange.queued_for_admin_at is not None
        assert db.session.scalar(select(Report)) is None  # a radiographer does not key the text


def test_unknown_case_code_is_refused_next_to_the_field(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post("/routines/reviewer/receive", data=receive_data("ABC-12"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="case_code-error"' in page
    assert 'value="ABC-12"' in page


def test_secretary_keys_the_faxed_report_in_the_reviewers_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    client.post(
        "/routines/reviewer/receive",
        data=receive_data(
            case_code(app, case_id),
            state="preliminary",
            findings="Ingen blödning.",
            conclusion="Ingen akut patologi.",
        ),
    )
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.case_id == case_id and report.received_by_fax
        assert (report.state, report.author_name) == ("preliminary", "Dr Granskare")
        assert db.session.get(Case, case_id).status == "report_preliminary"


def _faxed(app: Flask, client: FlaskClient, case_id: int, state: str, conclusion: str, at: str):
    return client.post(
        "/routines/reviewer/receive",
        data=receive_data(
            case_code(app, case_id),
            received_at=at,
            state=state,
            findings="Ingen blödning.",
            conclusion=conclusion,
        ),
    )


def test_definitive_faxed_reviewer_report_follows_a_preliminary_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    assert _faxed(app, client, case_id, "preliminary", "Normalt.", "2026-01-15T23:10").status_code
    response = _faxed(
        app, client, case_id, "definitive", "Normalt, definitivt.", "2026-01-16T07:10"
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and report.version == 2
        assert report.sections[1]["text"] == "Normalt, definitivt."
        assert report.preliminary_at is not None and report.definitive_at is not None
        [earlier] = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "report")
        ).all()
        assert earlier.data["state"] == "preliminary"
        assert earlier.data["sections"][1]["text"] == "Normalt."
        signatures = [(s.kind, s.report_version, s.signer_name) for s in report.signatures]
        assert signatures == [
            ("preliminary", 1, "Dr Granskare (faxat)"),
            ("definitive", 2, "Dr Granskare (faxat)"),
        ]
        assert db.session.get(Case, case_id).status == "report_definitive"


def test_a_second_definitive_faxed_report_is_refused_with_the_addendum_advice(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _faxed(app, client, case_id, "definitive", "Normalt.", "2026-01-15T23:10")
    response = _faxed(app, client, case_id, "definitive", "Ändrat.", "2026-01-16T07:10")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "redan ett definitivt signerat utlåtande" in page
    assert "ett tillägg, som en radiolog signerar" in page
    with app.app_context():
        assert db.session.scalar(select(Report)).sections[1]["text"] == "Normalt."


def test_a_faxed_report_does_not_replace_a_preliminary_report_written_in_the_app(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("secretary")
    response = _faxed(app, client, case_id, "definitive", "Ändrat.", "2026-01-16T07:10")
    assert response.status_code == 400
    assert "preliminärt utlåtande skrivet i appen" in response.get_data(as_text=True)
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "preliminary" and not report.received_by_fax


def test_faxed_definitive_over_faxed_preliminary_through_the_reporting_form(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _faxed(app, client, case_id, "preliminary", "Normalt.", "2026-01-15T23:10")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/reporting/{case_id}/fax"' in page  # still offered: the definitive may come
    form = {
        "author_name": "Dr Granskare",
        "received_at": "2026-01-16T07:10",
        "state": "definitive",
        "findings": "Ingen blödning.",
        "conclusion": "Normalt, definitivt.",
    }
    assert client.post(f"/reporting/{case_id}/fax", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Report)).state == "definitive"
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/reporting/{case_id}/fax"' not in page
    response = client.post(f"/reporting/{case_id}/fax", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="state-error"' in page and "redan ett definitivt signerat utlåtande" in page
    assert 'value="Dr Granskare"' in page  # the input is kept


@pytest.mark.parametrize("role", ["admin", "radiographer"])
def test_the_receive_page_names_only_who_may_enter_the_text_in_the_app(
    client: FlaskClient, auth, role: str
) -> None:
    # The RIS administrator handles the report in RIS: the app refuses them the text, so the
    # page must not tell them (or a radiographer) that they may enter it here.
    auth.login(role)
    page = client.get("/routines/reviewer/receive").get_data(as_text=True)
    assert "Texten förs in i appen av radiolog eller sekreterare." in page
    assert "sekreterare eller RIS-administratören" not in page
    assert 'name="findings"' not in page
