"""A link to a folded panel on the same page opens it: the waived case's note that leads to
'Häv undantaget' lands on the panel's button, not on its closed summary."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import seed_case


def _waived_with_a_number(live_app, case_id: int) -> None:
    """Waived (no four eyes), then given a RIS accession: the note beside it links to the lift."""
    from webapp.catchup.ris_numbers import save_ris_ids
    from webapp.catchup.waiving import waive_case
    from webapp.extensions import db
    from webapp.models import User

    with live_app.app_context():
        user = db.session.query(User).filter_by(username="sek1").one()
        waive_case(case_id=case_id, user=user, reason="Inlagd i RIS", four_eyes=False)
        save_ris_ids(
            case_id=case_id,
            user=user,
            accession="ACC-WAIVED-9",
            exam_number="",
            allow_duplicate=False,
            four_eyes=False,
        )


def test_the_waived_case_note_opens_the_lift_panel(
    page: Page, live_server, live_app, make_staff
) -> None:
    base = live_server.url
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    _waived_with_a_number(live_app, seeded["case_id"])
    case_url = f"{base}/catchup/cases/{seeded['case_id']}"
    login(page, base, "sek1")
    page.goto(case_url)
    panel = page.locator("details#lift-waiver")
    expect(panel).not_to_have_attribute("open", "")
    lift = page.get_by_role("button", name="Ja, häv undantaget")
    page.locator("#ris-on-waiver").get_by_role("link").tap()
    expect(page).to_have_url(f"{case_url}#lift-waiver")
    expect(panel).to_have_attribute("open", "")
    expect(lift).to_be_in_viewport()
    # Folded again by hand, the same link (the address already ends so) opens it again.
    page.locator("#lift-waiver > summary").tap()
    expect(panel).not_to_have_attribute("open", "")
    page.locator("#ris-on-waiver").get_by_role("link").tap()
    expect(panel).to_have_attribute("open", "")
    # Reached by its address (a reload, a link from elsewhere), it is open too.
    page.goto(f"{base}/")
    page.goto(f"{case_url}#lift-waiver")
    expect(panel).to_have_attribute("open", "")
    expect(lift).to_be_in_viewport()
