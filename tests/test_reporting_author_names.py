"""A report's author typed too long for its column is refused beside the field, what was typed
kept; a name that fits is stored whole, also with the signature's additions (PostgreSQL refuses
a value longer than its column; run with RESERVRUTIN_TEST_POSTGRES set)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportSignature

from .factories import case_code, faxed_report_data, paper_report_data
from .routines_support import make_case, receive_data

TOO_LONG = "Namnet är för långt – det får ha högst 190 tecken."
FINDINGS = "Lungembolier bilateralt, ingen högerkammarbelastning."


def _name(length: int) -> str:
    return ("Dr " + "Överläkare-Extern-Granskare-" * 10)[:length]


def _reports(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Report.id))) or 0)


def _signers(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ReportSignature.signer_name)))


@pytest.mark.parametrize("length", [191, 200])
def test_a_faxed_reports_author_too_long_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, auth, length: int
) -> None:
    """200 passed the form and failed the signature's column: " (faxat)" goes after it."""
    case_id = make_case(client, auth)
    auth.login("secretary")
    name = _name(length)
    response = client.post(
        f"/reporting/{case_id}/fax", data=faxed_report_data(author_name=name, findings=FINDINGS)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert TOO_LONG in page
    assert f'value="{name}"' in page and FINDINGS in page
    assert _reports(app) == 0


def test_a_faxed_reports_author_at_the_limit_is_stored_whole(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    name = _name(190)
    response = client.post(f"/reporting/{case_id}/fax", data=faxed_report_data(author_name=name))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Report.author_name)) == name
    assert _signers(app) == [f"{name} (faxat)"]


@pytest.mark.parametrize(("length", "status"), [(200, 400), (191, 400), (190, 302)])
def test_the_reviewers_name_on_a_transcribed_report_fits_its_column(
    app: Flask, client: FlaskClient, auth, length: int, status: int
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    data: dict[str, Any] = receive_data(
        case_code(app, case_id),
        reviewer_name=_name(length),
        state="definitive",
        findings=FINDINGS,
        conclusion="Lungembolism.",
    )
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 400:
        page = response.get_data(as_text=True)
        assert TOO_LONG in page and FINDINGS in page
        assert _reports(app) == 0
    else:
        assert _signers(app) == [f"{_name(length)} (faxat)"]


def test_a_paper_report_by_a_long_named_radiologist_keyed_by_a_long_named_secretary_is_stored(
    app: Flask, client: FlaskClient, auth, user_factory: Any
) -> None:
    """The name it goes out under says both, and fits the column (the user's id is kept too)."""
    case_id = make_case(client, auth)
    author = user_factory(role="radiologist", username="long-rad", display_name="R" * 120)
    user_factory(role="secretary", username="long-sec", display_name="S" * 120)
    auth.login("secretary", username="long-sec")
    response = client.post(f"/reporting/{case_id}/paper", data=paper_report_data(author.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(Report.author_name)) or ""
    assert stored.startswith("R" * 120 + " (inskrivet från papper av S")
    assert len(stored) <= 200
    assert _signers(app) == [stored]


def test_a_paper_reports_other_radiologist_too_long_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    name = _name(121)
    data = paper_report_data("", author_name=name, findings=FINDINGS)
    response = client.post(f"/reporting/{case_id}/paper", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Namnet är för långt – det får ha högst 120 tecken." in page
    assert f'value="{name}"' in page and FINDINGS in page
    assert _reports(app) == 0
