"""The referral form as a radiographer fills it on the tablet, for journeys that send it."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page

from ..factories import DEFAULT_NAME, number_of


def fill_referral(page: Page, name: str) -> None:
    # Each name its own number: one number under two names is asked about before it is saved.
    number = "19121212-1212" if name == DEFAULT_NAME else number_of(name)
    page.get_by_role("textbox", name="Personnummer").fill(number)
    page.get_by_role("textbox", name="Namn", exact=True).fill(name)
    page.get_by_role("textbox", name="Remitterande enhet").fill("Akutmottagningen")
    page.get_by_role("textbox", name="Svarsfax").fill("0999-123 46")
    page.get_by_role("combobox", name="Undersökning").fill("hjärna utan")
    page.get_by_role("option", name=re.compile("DT hjärna utan kontrast")).tap()
    page.get_by_role("textbox", name="Frågeställning").fill("Blödning?")


def case_count(app: Flask) -> int:
    from webapp.extensions import db
    from webapp.models import Case

    with app.app_context():
        return db.session.query(Case).count()
