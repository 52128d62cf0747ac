"""A report blank joined over a signed report is settled before the close: by an addendum signed
after the join, or by the radiologist's word that the blank says what the signed report says
(audited, a radiologist's alone, on the case's own site, while the incident runs)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.blanks.read_same import mark_read_same
from webapp.blanks.services import BlankError
from webapp.extensions import db
from webapp.incidents.close_over_signed import over_signed_unread
from webapp.models import Case, ReservedCode, User, utcnow

from .catchup_support import reserve_blank
from .factories import audit_events, exam_data, make_user, referral_data, report_data, second_site

WARNING = "kopplades till ärendet när utlåtandet redan var signerat"
READ_SAME = "Blanketten är läst – samma som det signerade utlåtandet"


@pytest.fixture
def joined(app: Flask, client: FlaskClient, auth: Any) -> dict[str, Any]:
    """A definitively signed case with a report blank joined over it; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    auth.login("radiologist")
    client.post(
        location.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20)
    )
    auth.logout()
    case_id = int(location.rsplit("/", 1)[-1])
    code = reserve_blank(app, client, auth, "BLU")
    auth.login("secretary")
    attached = client.post(
        f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id), "over_signed": "y"}
    )
    assert attached.status_code == 302, attached.get_data(as_text=True)
    auth.logout()
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    return {"case_id": case_id, "code": code, "incident_id": incident_id}


def _page(client: FlaskClient, case_id: int) -> str:
    return html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))


def _read_same(client: FlaskClient, joined: dict[str, Any]) -> Any:
    return client.post(
        f"/cases/{joined['case_id']}/blanks/{joined['code']}/read-same",
        data={"form_key": "read-same-" + "k" * 12},
    )


def _unread(app: Flask, joined: dict[str, Any]) -> list[Any]:
    with app.app_context():
        return over_signed_unread(joined["incident_id"])


def test_the_radiologist_marks_the_blank_read_and_the_warning_and_the_question_go(
    app: Flask, client: FlaskClient, auth: Any, joined: dict[str, Any]
) -> None:
    auth.login("radiologist")
    assert READ_SAME in _page(client, joined["case_id"])
    response = _read_same(client, joined)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{joined['case_id']}")
    assert WARNING not in _page(client, joined["case_id"])
    assert _unread(app, joined) == []
    (event,) = audit_events(app, "blank_read_same")
    assert event.case_id == joined["case_id"] and joined["code"] in event.detail
    assert "samma som det signerade utlåtandet" in event.detail


@pytest.mark.parametrize("role", ["secretary", "radiographer", "admin"])
def test_only_a_radiologist_marks_the_blank_read(
    app: Flask, client: FlaskClient, auth: Any, joined: dict[str, Any], role: str
) -> None:
    auth.login(role)
    assert READ_SAME not in _page(client, joined["case_id"])
    assert _read_same(client, joined).status_code == 403
    assert WARNING in _page(client, joined["case_id"])
    assert len(_unread(app, joined)) == 1
    assert audit_events(app, "blank_read_same") == []


def test_the_service_refuses_another_role(app: Flask, auth: Any, joined: dict[str, Any]) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.role == "secretary"))
        with pytest.raises(BlankError):
            mark_read_same(user=user, code=joined["code"], case_id=joined["case_id"])
    assert len(_unread(app, joined)) == 1


def test_a_radiologist_of_another_site_finds_no_case(
    app: Flask, client: FlaskClient, auth: Any, joined: dict[str, Any]
) -> None:
    site_id = second_site(app)
    with app.app_context():
        make_user(role="radiologist", username="lby-rad", site_id=site_id)
    auth.login("radiologist", username="lby-rad")
    assert _read_same(client, joined).status_code == 404
    assert len(_unread(app, joined)) == 1
    assert audit_events(app, "blank_read_same") == []


def test_after_the_end_the_blank_is_not_marked_read(
    app: Flask, client: FlaskClient, auth: Any, joined: dict[str, Any]
) -> None:
    with app.app_context():
        db.session.get(Case, joined["case_id"]).incident.ended_at = utcnow()
        db.session.commit()
    auth.login("radiologist")
    page = _page(client, joined["case_id"])
    assert WARNING in page and READ_SAME not in page
    response = _read_same(client, joined)
    assert response.status_code == 302
    assert "avslutat" in html.unescape(client.get(response.headers["Location"]).get_data(True))
    with app.app_context():
        reserved = db.session.scalar(
            select(ReservedCode).where(ReservedCode.code == joined["code"])
        )
        assert reserved is not None and reserved.joined_over_signed
    assert audit_events(app, "blank_read_same") == []


def test_an_addendum_after_the_join_takes_the_warning_away(
    app: Flask, client: FlaskClient, auth: Any, joined: dict[str, Any]
) -> None:
    auth.login("radiologist")
    addendum = {"text": "Blanketten nämner även en liten pleuravätska."}
    signed = client.post(f"/reporting/{joined['case_id']}/addendum", data=addendum)
    assert signed.status_code == 302
    assert WARNING not in _page(client, joined["case_id"])
    assert _unread(app, joined) == []
