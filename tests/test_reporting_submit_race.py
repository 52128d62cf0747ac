"""Two identical report submits at the same moment: the second answers as a replay, no 500."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Addendum, Report, ReportSignature

from .factories import faxed_report_data
from .routines_support import make_case
from .twin_race import KEY, twin_committed_after_the_check


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_twin_addendum_that_raced_past_the_key_check_signs_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    url = f"/reporting/{case_id}/addendum"
    data = {"text": "Jämfört med tidigare: oförändrat.", "form_key": KEY}
    assert client.post(url, data=data).status_code == 302
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post(url, data=data)
    assert blinded
    assert twin.status_code == 302
    assert _count(app, Addendum) == 1
    with app.app_context():
        kinds = db.session.scalars(select(ReportSignature.kind)).all()
    assert kinds.count("addendum") == 1


def test_a_twin_faxed_report_that_raced_past_the_key_check_is_entered_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    url = f"/reporting/{case_id}/fax"
    data = faxed_report_data(form_key=KEY, findings="Lungembolier bilateralt.")
    assert client.post(url, data=data).status_code == 302
    signatures = _count(app, ReportSignature)
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post(url, data=data, follow_redirects=True)
    assert blinded
    assert twin.status_code == 200
    assert "Det faxade utlåtandet var redan infört – inget dubblerades." in twin.get_data(
        as_text=True
    )
    assert _count(app, Report) == 1
    assert _count(app, ReportSignature) == signatures
