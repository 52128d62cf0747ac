"""Finding Swedish left on a page shown in English: the page's own text, not the data on it.

The heuristic reads the text nodes and the labelling attributes of a page and flags those with
å, ä, ö or a common Swedish word. Narrow exclusions, each for text that is Swedish by design:
- every text the database holds (patient, referral, exam and report texts, names, reasons, the
  audit's details) and every text of the site's TOML (exam names, contacts, routine steps):
  data and configured routine texts, shown as typed;
- the language button, which names Swedish in Swedish so a Swedish reader finds it;
- the letters å, ä and ö named in a message about which letters a field takes;
- a patient's initials on the board ("Ö. Ä."), made from the name;
- `<textarea>`, `<script>`, `<style>`: what was typed or stored, shown back; and the message
  to copy into an e-mail to another organisation (class copy-value), which is the site's
  configured text with its date and name filled in.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from sqlalchemy import JSON, String, Text, select

from webapp.extensions import db
from webapp.models import Site

SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
# Everyday Swedish words that are not English words too (no "in", "man", "bit", "dag" ...).
SWEDISH_WORDS = re.compile(
    r"\b(och|inte|eller|för|med|att|till|som|ska|har|kan|från|den|det|ett|en|av|på|om|"
    r"visa|spara|sök|skicka|ändra|tillbaka|avbryt|ny|nytt|nya|inga|ingen|alla)\b",
    re.IGNORECASE,
)
# The language button: "Svenska" in Swedish, so a Swedish reader finds the way back.
LANGUAGE_BUTTON = "Svenska"
SWEDISH_LETTERS_NAMED = "å, ä, ö"
SKIPPED_TAGS = {"script", "style", "textarea"}
SKIPPED_CLASSES = {"copy-value"}
INITIALS = re.compile(r"^(\w\. )*\w\.( ·)?$")
LABEL_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# A day's service hours are written with Swedish day names for every reader: the routine's
# contacts are configured so ("mån–fre 07:30–15:30"), see siteconfig_contacts.SWEDISH_DAYS.
HOURS = re.compile(r"\b(mån|tis|ons|tors?|fre|lör|sön)(–(mån|tis|ons|tors?|fre|lör|sön))? \d")


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in SKIPPED_TAGS or SKIPPED_CLASSES.intersection(classes) or self._skipping:
            # Nested tags are counted too, so the skipped element ends at its own end tag.
            self._skipping.append(tag)
            return
        for name, value in attrs:
            if name in LABEL_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            while self._skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def stored_texts() -> list[str]:
    """Every text the database holds, and every text of the site's TOML, longest first."""
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for value in _strings(list(row)):
                found.update(_pieces(value))
    for toml_text in db.session.scalars(select(Site.config_toml)):
        for value in _strings(tomllib.loads(toml_text)):
            found.update(_pieces(value))
    return sorted(found, key=len, reverse=True)


def _pieces(value: str) -> Iterable[str]:
    # A stored text is shown line by line, and its whitespace folded like the page's.
    for line in value.splitlines():
        folded = " ".join(line.split())
        if len(folded) >= 2:
            yield folded


def swedish_left(texts: Iterable[str], data: list[str]) -> list[str]:
    """The texts still Swedish once data, configured texts and the language button are out."""
    left = []
    for text in texts:
        if text == LANGUAGE_BUTTON or INITIALS.match(text):
            continue
        stripped = text
        for value in data:
            if value in stripped:
                stripped = stripped.replace(value, " ")
        stripped = HOURS.sub(" ", stripped).replace(SWEDISH_LETTERS_NAMED, " ")
        if SWEDISH_LETTERS.search(stripped) or SWEDISH_WORDS.search(stripped):
            left.append(text)
    return left


ERROR_CLASSES = {"error", "error-summary", "flash-error"}


class _Errors(HTMLParser):
    """The text of the errors beside fields, their summary and an error flash."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._open or ERROR_CLASSES.intersection(classes):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.texts.append(" ".join(data.split()))


def error_texts(html: str) -> list[str]:
    parser = _Errors()
    parser.feed(html)
    return parser.texts
