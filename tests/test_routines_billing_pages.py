"""The billing list never ends silently: a release beyond a cut would go unbilled."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ImageRelease, User

from .routines_support import make_case

PAGE = 500


def _billable(app: Flask, client: FlaskClient, auth, count: int) -> str:
    """`count` billable releases of one case; its code. A secretary logged in."""
    case_id = make_case(client, auth, report="definitive")
    with app.app_context():
        case = db.session.get(Case, case_id)
        author = db.session.scalars(select(User)).first()
        assert case is not None and author is not None
        db.session.add_all(
            ImageRelease(
                site_id=case.site_id,
                incident_id=case.incident_id,
                case_id=case.id,
                recipient_kind="patient",
                channel="media",
                media_kind="cd",
                delivery="pickup",
                billing_recorded=True,
                is_billable=True,
                created_by_id=author.id,
            )
            for _ in range(count)
        )
        db.session.commit()
        code = case.code
    auth.login("secretary")
    return code


def _listed(page: str) -> set[int]:
    return {int(n) for n in re.findall(r"/routines/releases/(\d+)\"", page)}


def test_a_billing_list_longer_than_a_page_says_so_and_links_to_the_rest(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _billable(app, client, auth, PAGE + 3)
    first = client.get("/routines/releases/billing").get_data(as_text=True)
    assert f"Visar 1–{PAGE} av {PAGE + 3} utlämnanden" in first
    assert len(_listed(first)) == PAGE
    assert 'href="/routines/releases/billing?page=2"' in first
    second = client.get("/routines/releases/billing?page=2").get_data(as_text=True)
    assert f"Visar {PAGE + 1}–{PAGE + 3} av {PAGE + 3} utlämnanden" in second
    assert len(_listed(second)) == 3
    assert _listed(first).isdisjoint(_listed(second))
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "release_billing_view")
        ).all()
        # Each page's read names the case it showed.
        assert len(details) == 2 and all(code in d for d in details)


def test_a_short_billing_list_says_nothing_of_pages(app: Flask, client: FlaskClient, auth) -> None:
    _billable(app, client, auth, 2)
    page = client.get("/routines/releases/billing").get_data(as_text=True)
    assert "Visar " not in page
    assert "page=2" not in page
