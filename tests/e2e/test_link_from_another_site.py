"""A page of another site that sends the browser to an export does not export in the user's
name: Chromium says where the request came from, and the link opens only with a tap here."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select

from .conftest import login
from .seed import seed_case

ELSEWHERE = "http://other-site.example/"


def _exports(app: Flask) -> int:
    from webapp.extensions import db
    from webapp.models import ExportBatch

    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(ExportBatch)) or 0)


def test_a_link_on_another_site_exports_nothing_until_the_user_taps_open(
    page: Page, live_server, live_app, make_staff
) -> None:
    incident_id = seed_case(live_app)["incident_id"]
    make_staff(role="secretary", username="sekr")
    login(page, live_server.url, "sekr")
    export = f"{live_server.url}/catchup/incidents/{incident_id}/export/csv"

    def other_site(route: Route) -> None:
        route.fulfill(content_type="text/html", body=f'<a id="go" href="{export}">Kul bild</a>')

    page.route(ELSEWHERE, other_site)
    page.goto(ELSEWHERE)
    page.locator("#go").click()
    expect(page.get_by_role("heading", name="Länk från en annan webbplats")).to_be_visible()
    assert _exports(live_app) == 0

    with page.expect_download() as download:
        page.get_by_role("link", name="Öppna sidan").tap()
    assert download.value.suggested_filename.endswith(".csv")
    assert _exports(live_app) == 1


def test_the_start_page_opens_from_a_link_on_the_intranet(
    page: Page, live_server, live_app, make_staff
) -> None:
    seed_case(live_app)
    make_staff(role="secretary", username="sekr")
    login(page, live_server.url, "sekr")

    def intranet(route: Route) -> None:
        route.fulfill(content_type="text/html", body=f'<a id="go" href="{live_server.url}/">RR</a>')

    page.route(ELSEWHERE, intranet)
    page.goto(ELSEWHERE)
    page.locator("#go").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Länk från en annan webbplats")).to_have_count(0)
