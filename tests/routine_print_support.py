"""Reading the binder's printed routines back: each scenario's pages, and what they must hold."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from webapp.siteconfig import SiteConfig


def scenario_texts(pdf: bytes) -> dict[int, str]:
    """The text of each routine's pages, by the routine's number ("Rutin 2 av 6"), on one line."""
    found: dict[int, str] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = page.extract_text() or ""
        number = re.search(r"Rutin (\d+) av \d+", text)
        assert number, text
        key = int(number.group(1))
        found[key] = found.get(key, "") + " " + " ".join(text.split())
    return found


def expected_of_scenario(config: SiteConfig, key: str) -> list[str]:
    """Every contact of the scenario with its numbers, each window of its hours, and each
    fallback in turn with its numbers and hours, or what to do when no one answers after the
    hours: what paper read at any hour must say."""
    expected: list[str] = [config.scenarios[key].name]
    for call in config.scenarios[key].calls:
        contact, seen = config.contacts[call], {call}
        while True:
            expected.append(contact.name)
            reach = (*contact.phones, contact.fax, contact.email, contact.menu)
            expected += [v for v in reach if v]
            expected += list(contact.hours_text)
            if contact.hours and contact.after_hours:
                expected.append(f"Utanför öppettiderna: {contact.after_hours}")
            if not (contact.hours and contact.fallback) or contact.fallback in seen:
                break
            seen.add(contact.fallback)
            contact = config.contacts[contact.fallback]
            expected.append(f"Utanför öppettiderna: {contact.name}")
    return expected
