"""A report blank joined to a case whose report is already signed is said before the tap, asked
for with a tick, and shown on the case page: the radiologist writes an addendum, not a second
report."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.blanks.over_signed import SignedReportInTheWay
from webapp.blanks.services import attach_blank
from webapp.extensions import db
from webapp.models import Case, ReservedCode, User, utcnow

from .factories import exam_data, referral_data, report_data


@pytest.fixture
def signed(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """A case with a definitively signed report and an unused report blank; nobody logged in."""
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
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    auth.logout()
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    return {"code": str(code), "id": location.rsplit("/", 1)[-1]}


def _joined_to(app: Flask, code: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(ReservedCode.used_case_id).where(ReservedCode.code == code))


def test_the_service_refuses_a_report_blank_over_a_signed_report_without_the_tick(
    app: Flask, auth, signed
) -> None:
    with app.app_context():
        auth.login("secretary")
        user = db.session.scalar(select(User).where(User.role == "secretary"))
        with pytest.raises(SignedReportInTheWay):
            attach_blank(user=user, code=signed["code"], case_id=int(signed["id"]))
    assert _joined_to(app, signed["code"]) is None


def test_the_attach_page_warns_beside_a_case_whose_report_is_signed(
    client: FlaskClient, auth, signed
) -> None:
    auth.login("secretary")
    page = client.post(f"/blanks/{signed['code']}/attach", data={"typed": "19121212-1212"})
    text = html.unescape(page.get_data(as_text=True))
    assert "Ärendet har redan ett signerat utlåtande" in text
    assert 'name="over_signed"' in text


def test_joining_without_the_tick_is_refused_beside_it_with_the_search_kept(
    app: Flask, client: FlaskClient, auth, signed
) -> None:
    auth.login("secretary")
    response = client.post(
        f"/blanks/{signed['code']}/attach/confirm",
        data={"case_id": signed["id"], "typed": "19121212-1212"},
    )
    assert response.status_code == 409
    text = html.unescape(response.get_data(as_text=True))
    assert "Bocka i" in text and 'id="over_signed-' in text and "-error" in text
    # The search as typed, and the case it found, are still on the page.
    assert 'value="19121212-1212"' in text
    assert f'name="case_id" value="{signed["id"]}"' in text
    assert _joined_to(app, signed["code"]) is None


def test_joining_with_the_tick_joins_the_blank_and_the_case_page_says_to_write_an_addendum(
    app: Flask, client: FlaskClient, auth, signed
) -> None:
    auth.login("radiologist")
    response = client.post(
        f"/blanks/{signed['code']}/attach/confirm",
        data={"case_id": signed["id"], "typed": "19121212-1212", "over_signed": "y"},
    )
    assert response.status_code == 302
    # Not to the report screen, where a second report would be typed: to the case's report.
    assert response.headers["Location"].endswith(f"/cases/{signed['id']}#report")
    assert _joined_to(app, signed["code"]) == int(signed["id"])
    page = html.unescape(client.get(f"/cases/{signed['id']}").get_data(as_text=True))
    assert f"Utlåtandeblankett {signed['code']} kopplades till ärendet" in page
    assert "skriv ett tillägg" in page


def test_a_blank_detached_from_the_case_is_no_longer_named_on_its_page(
    app: Flask, client: FlaskClient, auth, signed
) -> None:
    auth.login("radiologist")
    client.post(
        f"/blanks/{signed['code']}/attach/confirm",
        data={"case_id": signed["id"], "typed": "19121212-1212", "over_signed": "y"},
    )
    # Joined to the wrong case after all: detached with a reason, it says nothing more here.
    detached = client.post(
        f"/cases/{signed['id']}/blanks/{signed['code']}/detach",
        data={"reason": "Fel patient", "form_key": "detach-over-signed-0001"},
    )
    assert detached.status_code == 302
    assert _joined_to(app, signed["code"]) is None
    page = html.unescape(client.get(f"/cases/{signed['id']}").get_data(as_text=True))
    assert "kopplades till ärendet när utlåtandet redan var signerat" not in page
    with app.app_context():
        reserved = db.session.scalar(
            select(ReservedCode).where(ReservedCode.code == signed["code"])
        )
        assert reserved is not None and not reserved.joined_over_signed


def test_after_the_end_the_case_page_offers_no_addendum_for_the_blank(
    app: Flask, client: FlaskClient, auth, signed
) -> None:
    auth.login("radiologist")
    client.post(
        f"/blanks/{signed['code']}/attach/confirm",
        data={"case_id": signed["id"], "typed": "19121212-1212", "over_signed": "y"},
    )
    with app.app_context():
        db.session.get(Case, int(signed["id"])).incident.ended_at = utcnow()
        db.session.commit()
    page = html.unescape(client.get(f"/cases/{signed['id']}").get_data(as_text=True))
    # Still named: the paper is in the red tray. But an addendum is refused once the incident
    # has ended, so the page neither asks for one nor links to a form that refuses it.
    assert f"Utlåtandeblankett {signed['code']} kopplades till ärendet" in page
    assert f"/reporting/{signed['id']}/addendum" not in page
    assert "skriv ett tillägg" not in page
    refused = client.post(f"/reporting/{signed['id']}/addendum", data={"text": "Tillägg"})
    assert "Tillägg signerat" not in refused.get_data(as_text=True)
