"""A real patient taken into a drill is moved to the real outage from the case page on a tablet:
the form is read by axe, its targets are tappable, and the move is named on the page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from ..factories import DEMO_PIN
from .conftest import check_accessibility, login
from .test_narrow_screens import OFF_SCREEN, PHONE, ZOOMED, _wide
from .test_tablet_sweep import _problems


def _drill_case_beside_outage(live_app: Flask) -> tuple[int, int]:
    """The demo drill's first case, and a real outage declared beside the drill."""
    from sqlalchemy import select

    from webapp.demo import run_demo
    from webapp.extensions import db
    from webapp.models import Case, Incident, User

    with live_app.app_context():
        result = run_demo(cases=3, pin=DEMO_PIN)
        admin = db.session.scalars(select(User).where(User.username == "demo-admin")).one()
        real = Incident(
            site_id=admin.site_id,
            scenario="om_ris",
            title="OM eller RIS nere",
            declared_by_id=admin.id,
        )
        db.session.add(real)
        db.session.commit()
        case_id = db.session.scalars(
            select(Case.id).where(Case.incident_id == result.incident_id).order_by(Case.id)
        ).first()
        assert case_id is not None
        return case_id, real.id


def test_a_drill_case_is_moved_to_the_real_outage_on_a_tablet(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    case_id, real = _drill_case_beside_outage(live_app)
    login(page, live_server.url, "demo-rsk1", DEMO_PIN)
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.locator("#move summary").tap()
    page.locator("#move-reason").wait_for()
    check_accessibility(page, every_impact=True)
    assert _problems(page, f"/cases/{case_id}") == []
    for narrow in (PHONE, ZOOMED):
        page.set_viewport_size(narrow)
        form = "#move a[href], #move button, #move summary, #move input:not([type=hidden])"
        assert page.evaluate(OFF_SCREEN, form) == [], narrow
        assert _wide(page) <= 0, narrow
    page.get_by_label(f"Driftstopp {real}:", exact=False).check()
    page.locator("#move-reason").fill("Riktig patient, togs emot i övningen")
    page.get_by_role("button", name="Flytta", exact=True).tap()
    expect(page.get_by_text("Ärendet är flyttat.")).to_be_visible()
    expect(page.locator(".moved-note")).to_contain_text("Riktig patient, togs emot i övningen")


def test_a_move_into_an_outage_begun_days_after_the_arrival_is_confirmed_on_a_tablet(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    from datetime import timedelta

    from webapp.extensions import db
    from webapp.models import Case, utcnow

    case_id, real = _drill_case_beside_outage(live_app)
    with live_app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        case.referral.arrived_at = utcnow() - timedelta(days=3)
        db.session.commit()
    login(page, live_server.url, "demo-rsk1", DEMO_PIN)
    page.goto(f"{live_server.url}/cases/{case_id}")
    page.locator("#move summary").tap()
    page.get_by_label(f"Driftstopp {real}:", exact=False).check()
    page.locator("#move-reason").fill("Riktig patient")
    page.get_by_role("button", name="Flytta", exact=True).tap()
    box = page.locator("#move-arrival-confirmed")
    expect(box).to_be_visible()
    expect(page.locator("#move-reason")).to_have_value("Riktig patient")
    check_accessibility(page, every_impact=True)
    assert _problems(page, f"/cases/{case_id}") == []
    box.tap()
    page.get_by_role("button", name="Flytta", exact=True).tap()
    expect(page.get_by_text("Ärendet är flyttat.")).to_be_visible()
