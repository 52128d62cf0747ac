"""The RIS administrator's queue of faxed reviewer reports names each case's patient by name and
number beside the case code: the report is put into RIS under the patient, and the faxed paper
itself is anonymised (it carries the case code only)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerExchange

from .factories import case_code
from .routines_support import make_case, receive_data


def _queued(app: Flask, client: FlaskClient, auth) -> str:
    """A case whose reviewer report came back by fax; logged in as the admin. Its code."""
    code = case_code(app, make_case(client, auth))
    auth.login("radiographer")
    client.post("/routines/reviewer/receive", data=receive_data(code, forwarded=False))
    auth.logout()
    auth.login("admin")
    return code


def _item(page: str, code: str) -> str:
    found = re.search(rf"<li[^>]*>(?:(?!</li>).)*{code}(?:(?!</li>).)*</li>", page, re.S)
    assert found is not None, page
    return found.group(0)


def test_a_waiting_report_names_its_patient_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _queued(app, client, auth)
    item = _item(client.get("/routines/reviewer/queue").get_data(as_text=True), code)
    assert "Örjan Älvström" in item and "19121212-1212" in item


def test_a_handled_report_names_its_patient_in_the_message_and_the_list(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _queued(app, client, auth)
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    response = client.post(
        f"/routines/reviewer/queue/{exchange_id}/done",
        data={"note": "Svar i RIS"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"{code} (Örjan Älvström, 19121212-1212) är klar." in page
    done = page.split("Nyligen klara", 1)[1]
    assert "Örjan Älvström" in _item(done, code) and "19121212-1212" in _item(done, code)
