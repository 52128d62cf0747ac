"""A shared tablet: text typed offline under one login, then another person logs in."""

from __future__ import annotations

import time

from flask import Flask
from playwright.sync_api import BrowserContext, Page, Route, expect

from ..factories import DEFAULT_PIN
from .conftest import login
from .seed import expire_sessions, seed_case


def _stored(app: Flask, key: str) -> tuple[str, str, str] | None:
    """The stored draft's patient name, author and deliverer (as usernames), if any."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one_or_none()
        if draft is None:
            return None
        delivered = draft.delivered_by.username if draft.delivered_by else ""
        return draft.data.get("patient_name", ""), draft.user.username, delivered


def _wait_stored(app: Flask, key: str, seconds: float = 8) -> tuple[str, str, str]:
    deadline = time.monotonic() + seconds
    while (stored := _stored(app, key)) is None:
        assert time.monotonic() < deadline, "the draft never reached the laptop"
        time.sleep(0.2)
    return stored


def _typed_offline_by_sara(page: Page, base: str, live_app: Flask) -> tuple[BrowserContext, str]:
    """Sara types a referral with the Wi-Fi down and her session ends; the tab is left."""
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/new")
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Namn", exact=True).fill("Kvarglömd Karlsson")
    expect(page.locator(".draft-status")).to_contain_text("Ingen kontakt")
    key = page.locator("form.clinical input[name='form_key']").input_value()
    context = page.context
    page.close()
    expire_sessions(live_app)
    context.set_offline(False)
    return context, key


def test_text_left_by_one_login_is_delivered_under_the_next_and_says_so(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Berit Berg")
    base = live_server.url
    context, key = _typed_offline_by_sara(page, base, live_app)

    tablet = context.new_page()
    with tablet.expect_response(lambda r: "/api/drafts/" in r.url):
        login(tablet, base, "rsk2")  # the start page sends what was left behind
    tablet.goto(f"{base}/drafts")
    row = tablet.get_by_role("row").filter(has_text="Kvarglömd Karlsson")
    expect(row).to_contain_text("Skrivet offline under inloggning Sara Seed enligt plattan")
    expect(row).to_contain_text("skickat under Berit Berg")
    assert _wait_stored(live_app, key) == ("Kvarglömd Karlsson", "rsk2", "rsk2")


def test_a_form_opened_by_the_next_login_tells_whose_text_it_restores(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Berit Berg")
    base = live_server.url
    context, key = _typed_offline_by_sara(page, base, live_app)

    # The login page of the ended session leads back to the form: Berit logs in there.
    tablet = context.new_page()
    tablet.goto(f"{base}/login?next=/cases/new?draft={key}")
    tablet.get_by_label("Användarnamn").fill("rsk2")
    tablet.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    tablet.get_by_role("button", name="Logga in").tap()

    name = tablet.get_by_role("textbox", name="Namn", exact=True)
    expect(name).to_have_value("Kvarglömd Karlsson")
    notice = tablet.locator(".draft-origin")
    expect(notice).to_contain_text("skrevs offline under inloggning Sara Seed")
    assert _wait_stored(live_app, key) == ("Kvarglömd Karlsson", "rsk2", "rsk2")

    # Berit goes on with it knowingly: it stays named as begun under Sara's login, with Berit
    # as the one who typed on in it.
    name.fill("Kvarglömd Karlsson-Berg")
    deadline = time.monotonic() + 8
    while _origin(live_app, key) != ("Kvarglömd Karlsson-Berg", "seed-rsk", "rsk2", "rsk2"):
        assert time.monotonic() < deadline, _origin(live_app, key)
        time.sleep(0.2)
    expect(notice).to_be_visible()


def _origin(app: Flask, key: str) -> tuple[str, str, str, str] | None:
    """The stored draft's patient name and its logins: typed under, continued by, delivered by."""
    from webapp.extensions import db
    from webapp.models import Draft

    with app.app_context():
        draft = db.session.query(Draft).filter_by(form_key=key).one_or_none()
        if draft is None:
            return None
        names = [u.username if u else "" for u in (draft.typed_under, draft.continued_by)]
        delivered = draft.delivered_by.username if draft.delivered_by else ""
        return draft.data.get("patient_name", ""), *names, delivered  # type: ignore[return-value]


def test_text_of_one_login_typed_on_offline_by_the_next_still_names_where_it_began(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app, sign="")
    make_staff(username="rsk2", display_name="Berit Berg")
    base = live_server.url
    context, key = _typed_offline_by_sara(page, base, live_app)

    # Berit logs in on the tablet, and the Wi-Fi drops again before Sara's copy gets through.
    def no_contact(route: Route) -> None:
        route.abort("internetdisconnected")

    context.route("**/api/drafts/**", no_contact)
    tablet = context.new_page()
    tablet.goto(f"{base}/login?next=/cases/new?draft={key}")
    tablet.get_by_label("Användarnamn").fill("rsk2")
    tablet.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    tablet.get_by_role("button", name="Logga in").tap()
    name = tablet.get_by_role("textbox", name="Namn", exact=True)
    expect(name).to_have_value("Kvarglömd Karlsson")
    expect(tablet.locator(".draft-status")).to_contain_text("Ingen kontakt")
    context.set_offline(True)

    # Still offline, Berit goes on typing in Sara's text.
    name.fill("Kvarglömd Karlsson-Berg")
    tablet.wait_for_timeout(300)
    assert _stored(live_app, key) is None
    context.unroute("**/api/drafts/**")
    context.set_offline(False)

    deadline = time.monotonic() + 8
    while (origin := _origin(live_app, key)) is None or origin[0] != "Kvarglömd Karlsson-Berg":
        assert time.monotonic() < deadline, origin
        time.sleep(0.2)
    assert origin == ("Kvarglömd Karlsson-Berg", "seed-rsk", "rsk2", "rsk2")
    tablet.goto(f"{base}/drafts")
    row = tablet.get_by_role("row").filter(has_text="Kvarglömd Karlsson-Berg")
    expect(row).to_contain_text("Påbörjat offline under inloggning Sara Seed enligt plattan")
    expect(row).to_contain_text("fortsatt och skickat under Berit Berg")
