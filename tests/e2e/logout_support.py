"""A login that ends while a form is open: logged out in another tab, and the way back in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..factories import DEFAULT_PIN


def log_out_in_another_tab(page: Page, base: str) -> None:
    """Log the browser out from a second tab, leaving `page` with its form as it was."""
    other = page.context.new_page()
    other.goto(f"{base}/")
    other.get_by_role("button", name="Logga ut").first.tap()
    other.wait_for_url("**/login**")
    other.close()


def log_in_again(page: Page, username: str) -> None:
    """From the "Du är utloggad" answer to a form sent logged out, back in through its link."""
    expect(page.get_by_role("heading", name="Du är utloggad")).to_be_visible()
    page.get_by_role("link", name="Logga in igen och fortsätt").tap()
    page.wait_for_url("**/login?next=**")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("PIN-kod eller lösenord").fill(DEFAULT_PIN)
    page.get_by_role("button", name="Logga in").tap()
