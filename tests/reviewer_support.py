"""Helpers for the external reviewer tests: the reviewer log, and the referral faxed to them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import ReviewerLogEntry


def _entries(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ReviewerLogEntry).order_by(ReviewerLogEntry.id))
        return [(r.kind, r.number, r.person) for r in rows]


def _fax_to_the_reviewer(
    client: FlaskClient,
    auth,
    case_id: int,
    number: str = "0999-600 01",
    sent_at: str = "2026-01-15T11:10",
) -> TestResponse:
    """A radiographer logs the anonymised referral as faxed to the external reviewer."""
    auth.login("radiographer")
    return client.post(
        f"/routines/reviewer/cases/{case_id}/fax",
        data={"fax-number": number, "fax-sent_at": sent_at},
    )
