"""Helpers for the reporting tests: the report editor's form data, and the report's state."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

from .factories import report_data


def _report(
    action: str = "save", key: str = "r" * 20, version: str = "", **texts: str
) -> dict[str, str]:
    """The editor's form data; version is the report's version the screen showed."""
    return report_data(
        action,
        key,
        findings=texts.get("fynd", "Ingen blödning. Normalvida ventriklar."),
        conclusion=texts.get("bedomning", "Ingen akut patologi."),
        version=version,
    )


def _state(app: Flask) -> tuple[str, str]:
    with app.app_context():
        case = db.session.scalar(select(Case))
        return case.report.state if case.report else "", case.status
