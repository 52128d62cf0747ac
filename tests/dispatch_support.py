"""Helpers for the report dispatch tests: the dispatch form, a signature, the dispatches logged."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReportDispatch, User
from webapp.reporting.dispatch import log_report_dispatch

from .factories import local_minute, make_user
from .routines_support import report_form


def _dispatch(**changes: str) -> dict[str, str]:
    """The dispatch form as sent: the fax went out just now, after the signature it covers."""
    return {"fax_number": "0999-123 46", "faxed_at": local_minute(), "note": ""} | changes


def _sign(
    client: FlaskClient, auth, case_id: int, action: str, key: str, version: str = ""
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_form(action, key, version))
    assert response.status_code == 302, response.get_data(as_text=True)


def _user(app: Flask, role: str) -> User:
    with app.app_context():
        info = make_user(role=role)
        user = db.session.get(User, info.id)
        db.session.expunge(user)
        return user


def _dispatches(app: Flask) -> list[ReportDispatch]:
    with app.app_context():
        rows = list(db.session.scalars(select(ReportDispatch).order_by(ReportDispatch.id)))
        for r in rows:
            db.session.expunge(r)
        return rows


def _log(app: Flask, case_id: int, role: str = "secretary", **kw: object) -> object:
    user = _user(app, role)
    with app.test_request_context():
        return log_report_dispatch(
            case_id=case_id,
            user=user,
            fax_number=str(kw.get("fax_number", "0999-123 46")),
            faxed_at=kw.get("faxed_at") or datetime.now(UTC),  # type: ignore[arg-type]
            note=str(kw.get("note", "")),
        )
