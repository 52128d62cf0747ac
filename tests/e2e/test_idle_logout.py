"""An abandoned tablet: after the idle limit the patient leaves the screen, whatever it showed."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from playwright.sync_api import Page, Request, expect
from sqlalchemy import update

from .conftest import login
from .seed import seed_case


def _age_sessions(app: Flask, minutes: int) -> None:
    """The server's view of the tablet's last request, moved back (its own idle clock)."""
    from webapp.extensions import db
    from webapp.models import UserSession, utcnow

    with app.app_context():
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_an_idle_tablet_leaves_a_refused_form_for_the_login_without_sending_it_again(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_server.app, sign="")
    make_staff(username="anna", display_name="Anna Ek")
    page.clock.install()
    login(page, base, "anna")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    page.get_by_text("Makulera ärendet").tap()
    page.get_by_role("button", name="Makulera", exact=True).tap()
    # Refused for the missing reason: the case is shown again, as the answer to a POST.
    expect(page.locator("#reason-error")).to_be_visible()
    expect(page.get_by_text("Örjan Älvström").first).to_be_visible()

    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    _age_sessions(live_server.app, 16)
    page.clock.fast_forward("16:00")
    page.wait_for_url(f"{base}/login**")
    # A reload would send the form again (a tablet asks "send again?" over the patient first).
    assert next(r.method for r in sent if r.resource_type == "document") == "GET"
    expect(page.get_by_text("Du har loggats ut efter 15 minuters inaktivitet.")).to_be_visible()
    assert "Örjan" not in page.content()


def test_an_idle_tablet_on_a_case_page_goes_to_the_login(
    page: Page, live_server, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_server.app)
    make_staff(username="anna", display_name="Anna Ek")
    page.clock.install()
    login(page, base, "anna")
    page.goto(f"{base}/cases/{seeded['case_id']}")
    expect(page.get_by_text("Örjan Älvström").first).to_be_visible()
    _age_sessions(live_server.app, 16)
    page.clock.fast_forward("16:00")
    page.wait_for_url(f"{base}/login**")
    assert "Örjan" not in page.content()
