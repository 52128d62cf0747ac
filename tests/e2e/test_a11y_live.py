"""What changes on a page after it opened: read by axe in that state, and heard as it changes.

The sweep (test_a11y_sweep.py) reads every page as it opens; these are the states a tap, a
refresh or a lost connection brings: the exam picker's suggestions, the board's refresh and its
"not updated since", a form's notices without the laptop, and the copy buttons' feedback.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, login
from .live_support import announced, watch_announcements
from .seed import seed_case


def _heard(page: Page, word: str) -> list[str]:
    """What was said with the word in it, once something was (a pause after typing)."""
    page.wait_for_function(
        "w => window.__announced.some(([, text]) => text.includes(w))", arg=word, timeout=3000
    )
    return [text for _level, text in announced(page) if word in text]


def test_the_exam_picker_open_is_a_combobox_that_says_how_many_it_found(
    page: Page, live_server: Any, live_app: Flask
) -> None:
    seed_case(live_app, sign="")
    login(page, live_server.url, "seed-rsk")
    page.goto(f"{live_server.url}/cases/new")
    watch_announcements(page)
    picker = page.get_by_role("combobox", name="Undersökning")
    picker.press_sequentially("hjärna")
    listbox = page.get_by_role("listbox", name="Undersökningar")
    expect(listbox).to_be_visible()
    expect(picker).to_have_attribute("aria-expanded", "true")
    expect(picker).to_have_attribute("aria-controls", "exam-options")
    options = listbox.get_by_role("option")
    found = options.count()
    assert found >= 2, found
    check_accessibility(page, every_impact=True)
    # Typing moves no focus into the list: how many there are is said, once typing pauses.
    assert _heard(page, "förslag") == [f"{found} förslag. Välj med pil upp och ned."]

    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "exam-option-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "exam-option-1")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.first).to_have_attribute("aria-selected", "false")
    expect(picker).to_be_focused()
    check_accessibility(page, every_impact=True)

    picker.press("Escape")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")
    assert picker.get_attribute("aria-activedescendant") is None

    picker.fill("")
    picker.press_sequentially("zzzz")
    expect(picker).to_have_attribute("aria-expanded", "false")
    assert _heard(page, "förslag") == ["Inga förslag – fritext går också."]
