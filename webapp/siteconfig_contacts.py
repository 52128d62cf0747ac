"""The site's contacts and their service hours: who answers at a given moment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from . import siteconfig_values as v
from .siteconfig_holidays import HolidayCalendar

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))? "
    r"(\d{2}):(\d{2})-(\d{2}):(\d{2})$"
)


@dataclass(frozen=True)
class ServiceWindow:
    """A weekly window such as mon-fri 07:00-15:30; may run past midnight."""

    days: tuple[int, ...]
    start: time
    end: time

    def contains(self, moment: datetime, calendar: HolidayCalendar) -> bool:
        t = moment.time()
        if self.start <= self.end:
            weekday = calendar.weekday(moment.date())
            return weekday in self.days and self.start <= t < self.end
        # An overnight window belongs to the day it starts on.
        if t >= self.start:
            return calendar.weekday(moment.date()) in self.days
        started_on = calendar.weekday(moment.date() - timedelta(days=1))
        return started_on in self.days and t < self.end


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    phone: str = ""
    fax: str = ""
    email: str = ""
    menu: str = ""
    hours_text: tuple[str, ...] = ()
    hours: tuple[ServiceWindow, ...] = ()
    fallback: str = ""

    def is_open(self, moment: datetime, calendar: HolidayCalendar | None = None) -> bool:
        """Whether the contact answers at the moment (local time); a holiday is a Sunday."""
        calendar = calendar or HolidayCalendar()
        return not self.hours or any(w.contains(moment, calendar) for w in self.hours)


def parse_window(text: str) -> ServiceWindow:
    """One line of a contact's hours, e.g. "mon-fri 07:00-15:30"."""
    m = _HOURS_RE.match(text.strip().lower())
    if not m:
        raise v.ConfigValueError(
            f"Öppettiden '{text}' ska skrivas som t.ex. 'mon-fri 07:00-15:30'."
        )
    first, last = DAYS.index(m.group(1)), DAYS.index(m.group(2) or m.group(1))
    days = tuple(d % 7 for d in range(first, last + 1 if last >= first else last + 8))
    try:
        start = time(int(m.group(3)), int(m.group(4)))
        end = time(int(m.group(5)), int(m.group(6)))
    except ValueError as exc:
        raise v.ConfigValueError(f"Ogiltig tid i '{text}'.") from exc
    return ServiceWindow(days=days, start=start, end=end)


def parse_contacts(raw: dict[str, Any]) -> dict[str, Contact]:
    """The [[contacts]] blocks by key, each with its service hours parsed."""
    found: dict[str, Contact] = {}
    for i, c in enumerate(v.tables(raw, "contacts", "[[contacts]]"), start=1):
        where = f"kontakt {i}"
        key = v.text(c, "key", where, required=True)
        if key in found:
            raise v.ConfigValueError(f"Kontakten {key} finns två gånger; nycklarna ska vara unika.")
        hours_text = v.texts(c, "hours", where)
        found[key] = Contact(
            key=key,
            name=v.text(c, "name", where, required=True),
            phone=v.text(c, "phone", where),
            fax=v.text(c, "fax", where),
            email=v.text(c, "email", where),
            menu=v.text(c, "menu", where),
            hours_text=hours_text,
            hours=tuple(parse_window(h) for h in hours_text),
            fallback=v.text(c, "fallback", where),
        )
    return found
