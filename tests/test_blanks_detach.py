"""A documentation or report blank joined to the wrong case is detached from it, with a reason,
so it can be joined to the case it belongs to."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, RecordVersion, ReservedCode

from .factories import exam_data, referral_data, report_data

KEY = "d" * 20


@pytest.fixture
def blank(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """Two ongoing cases, and a documentation and a report blank not joined to either yet."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    wrong = client.post("/cases/new", data=referral_data()).headers["Location"]
    right = client.post(
        "/cases/new", data=referral_data(key_suffix="2", patient_name="Annan Person")
    ).headers["Location"]
    auth.logout()
    auth.login("admin")
    for kind in ("BLD", "BLU"):
        client.post("/blanks/reserve", data={"doc_kind": kind, "count": "1"})
    auth.logout()
    with app.app_context():
        codes = dict(db.session.execute(select(ReservedCode.doc_kind, ReservedCode.code)).all())
    return {
        "BLD": codes["BLD"],
        "BLU": codes["BLU"],
        "wrong": wrong.rsplit("/", 1)[-1],
        "right": right.rsplit("/", 1)[-1],
    }


def _attach(client: FlaskClient, code: str, case_id: str) -> None:
    response = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": case_id})
    assert response.status_code == 302


def _detach(client: FlaskClient, code: str, case_id: str, reason: str = "Fel patient", **kw: str):
    data = {"reason": reason, "form_key": KEY, **kw}
    return client.post(f"/cases/{case_id}/blanks/{code}/detach", data=data)


def _used_case(app: Flask, code: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(ReservedCode.used_case_id).where(ReservedCode.code == code))


def test_the_case_page_shows_a_joined_blank_with_a_detach_form(
    client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["wrong"])
    page = client.get(f"/cases/{blank['wrong']}").get_data(as_text=True)
    assert blank["BLD"] in page
    assert f'action="/cases/{blank["wrong"]}/blanks/{blank["BLD"]}/detach"' in page


def test_a_report_blank_detached_from_the_wrong_case_no_longer_waits_there(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLU"], blank["wrong"])
    response = _detach(client, blank["BLU"], blank["wrong"], reason="Fel ärende valt")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{blank['wrong']}")
    assert _used_case(app, blank["BLU"]) is None
    for url in (f"/cases/{blank['wrong']}", "/reporting/", "/board/"):
        auth.login("radiologist" if url == "/reporting/" else "secretary")
        page = client.get(url).get_data(as_text=True)
        assert "väntar på att en radiolog för in det" not in page, url
        assert "Utlåtande på blankett" not in page, url
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "blank_detach"))
        assert event.case_id == int(blank["wrong"])
        assert blank["BLU"] in event.detail and "Fel ärende valt" in event.detail


def test_a_detached_blank_joins_the_right_case(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["wrong"])
    _detach(client, blank["BLD"], blank["wrong"])
    _attach(client, blank["BLD"], blank["right"])
    assert _used_case(app, blank["BLD"]) == int(blank["right"])


def test_the_detach_is_in_the_case_history_with_its_reason(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLU"], blank["wrong"])
    _detach(client, blank["BLU"], blank["wrong"], reason="Fel ärende valt")
    with app.app_context():
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "blank"))
        assert version.case_id == int(blank["wrong"]) and version.reason == "Fel ärende valt"
    page = client.get(f"/cases/{blank['wrong']}/history").get_data(as_text=True)
    assert blank["BLU"] in page and "Fel ärende valt" in page and "Kopplad blankett" in page


def test_a_detach_without_a_reason_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["wrong"])
    response = _detach(client, blank["BLD"], blank["wrong"], reason="  ")
    assert response.status_code == 400
    assert "Ange varför blanketten kopplas loss." in response.get_data(as_text=True)
    assert _used_case(app, blank["BLD"]) == int(blank["wrong"])


def test_a_documentation_blank_typed_into_the_case_is_not_detached_and_the_reason_stays(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    _attach(client, blank["BLD"], blank["wrong"])
    assert client.post(f"/cases/{blank['wrong']}/exam", data=exam_data()).status_code == 302
    response = _detach(client, blank["BLD"], blank["wrong"], reason="Fel patient vald")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Dokumentationen från blanketten är redan införd i ärendet" in page
    assert "Fel patient vald" in page
    assert _used_case(app, blank["BLD"]) == int(blank["wrong"])


def test_a_documentation_blank_joined_after_the_exam_was_documented_is_detached(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("radiographer")
    assert client.post(f"/cases/{blank['wrong']}/exam", data=exam_data()).status_code == 302
    _attach(client, blank["BLD"], blank["wrong"])
    assert _detach(client, blank["BLD"], blank["wrong"]).status_code == 302
    assert _used_case(app, blank["BLD"]) is None


def test_a_report_blank_whose_report_was_typed_in_is_not_detached(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("radiologist")
    _attach(client, blank["BLU"], blank["wrong"])
    data = report_data("preliminary", conclusion="Ingen akut patologi.", version="")
    client.post(f"/reporting/{blank['wrong']}", data=data)
    response = _detach(client, blank["BLU"], blank["wrong"])
    assert response.status_code == 409
    assert "Utlåtandet från blanketten är redan infört i ärendet" in response.get_data(as_text=True)
    assert _used_case(app, blank["BLU"]) == int(blank["wrong"])


def test_a_double_tapped_detach_detaches_once(app: Flask, client: FlaskClient, auth, blank) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["wrong"])
    first = _detach(client, blank["BLD"], blank["wrong"])
    second = _detach(client, blank["BLD"], blank["wrong"])
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "blank_detach"))
        assert len(list(events)) == 1


def test_a_detach_from_a_page_of_another_case_is_refused(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["right"])
    response = _detach(client, blank["BLD"], blank["wrong"])
    assert response.status_code == 302
    assert _used_case(app, blank["BLD"]) == int(blank["right"])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Blanketten är inte kopplad till det här ärendet." in page


def test_a_detach_needs_the_csrf_token(app: Flask, client: FlaskClient, auth, blank) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["wrong"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _detach(client, blank["BLD"], blank["wrong"]).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _used_case(app, blank["BLD"]) == int(blank["wrong"])


def test_an_empty_reason_for_a_blank_no_longer_joined_here_says_so(
    app: Flask, client: FlaskClient, auth, blank
) -> None:
    auth.login("secretary")
    _attach(client, blank["BLD"], blank["right"])
    response = _detach(client, blank["BLD"], blank["wrong"], reason="")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Blanketten är inte kopplad till det här ärendet." in page
