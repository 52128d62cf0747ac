"""A reviewer's answer received with its copy to the referrer ticked, sent from a confirmation
that showed the patient before their identity was corrected: the copy named the patient as
they were, so it is refused beside the tick, nothing stored, as the case page's copy is."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerLogEntry

from .factories import case_code, hidden_value
from .routines_support import ENTERED, make_case, receive_data
from .test_reporting_dispatch_identity import _correct_identity

STALE = "identitet har rättats sedan sidan öppnades"


def _kinds(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ReviewerLogEntry.kind)))


def test_a_copy_ticked_on_a_receipt_confirmed_before_a_correction_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    data = receive_data(code, confirmed=False, **ENTERED) | {
        "form_key": "receipt-identity-" + "q" * 8
    }
    confirming = client.post("/routines/reviewer/receive", data=data).get_data(as_text=True)
    assert hidden_value(confirming, "confirmed_code") == code
    sent = data | {
        "confirmed_code": code,
        "confirm_unfaxed": "y",
        "report_version": hidden_value(confirming, "report_version"),
        "confirmed_identity": hidden_value(confirming, "confirmed_identity"),
    }
    _correct_identity(client, auth, case_id)
    auth.login("secretary")
    refused = client.post("/routines/reviewer/receive", data=sent)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and STALE in body, re.findall(
        r"class=\"(?:field-)?error[^>]*>([^<]*)", body
    )
    assert _kinds(app) == []
    # Sent again from the page that said so (a new copy faxed), it is stored.
    sent["confirmed_identity"] = hidden_value(body, "confirmed_identity")
    again = client.post("/routines/reviewer/receive", data=sent)
    assert again.status_code == 302, again.get_data(as_text=True)
    assert sorted(_kinds(app)) == ["forwarded", "report_received"]
