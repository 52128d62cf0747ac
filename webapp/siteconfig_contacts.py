"""The site's contacts and their service hours: who answers at a given moment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from . import siteconfig_values as v
from .refusal import Message
from .siteconfig_holidays import HolidayCalendar

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Staff read the hours in Swedish; an admin may write them either way.
SWEDISH_DAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
_DAY_NUMBERS = {
    **{name: i for i, name in enumerate(DAYS)},
    **{name: i for i, name in enumerate(SWEDISH_DAYS)},
    "tors": 3,
}
_DAY = "|".join(sorted(_DAY_NUMBERS, key=len, reverse=True))
# Printed under the contact on the binder's routine; a paragraph is too long to read in a hurry.
AFTER_HOURS_LENGTH = 300
_HOURS_RE = re.compile(rf"^({_DAY})(?:-({_DAY}))? (\d{{2}}):(\d{{2}})-(\d{{2}}):(\d{{2}})$")


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
    hours_text: tuple[str, ...] = ()  # as staff read them, Swedish day names
    hours: tuple[ServiceWindow, ...] = ()
    fallback: str = ""
    # What staff do outside the hours when no one answers after this contact (no fallback).
    after_hours: str = ""
    # Every phone number, the main one (phone) first; a routine may give two for one contact.
    phones: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Either may be given: a contact built with one phone has it as its only number.
        if self.phone and not self.phones:
            object.__setattr__(self, "phones", (self.phone,))
        elif self.phones and not self.phone:
            object.__setattr__(self, "phone", self.phones[0])

    def is_open(self, moment: datetime, calendar: HolidayCalendar | None = None) -> bool:
        """Whether the contact answers at the moment (local time); a holiday is a Sunday."""
        calendar = calendar or HolidayCalendar()
        return not self.hours or any(w.contains(moment, calendar) for w in self.hours)


def parse_window(text: str, where: Message) -> ServiceWindow:
    """One line of a contact's hours, e.g. "mon-fri 07:00-15:30"; where: the contact."""
    m = _HOURS_RE.match(text.strip().lower())
    if not m:
        raise v.ConfigValueError(
            "%(where)s: öppettiden '%(hours)s' ska skrivas som t.ex. 'mån-fre 07:00-15:30' eller "
            "'mon-fri 07:00-15:30'.",
            where=where,
            hours=text,
        )
    first, last = _DAY_NUMBERS[m.group(1)], _DAY_NUMBERS[m.group(2) or m.group(1)]
    days = tuple(d % 7 for d in range(first, last + 1 if last >= first else last + 8))
    try:
        start = time(int(m.group(3)), int(m.group(4)))
        # 24:00 is how a schedule says "until midnight".
        end = time.max if m.group(5, 6) == ("24", "00") else time(int(m.group(5)), int(m.group(6)))
    except ValueError as exc:
        raise v.ConfigValueError(
            "%(where)s: ogiltig tid i '%(hours)s'.", where=where, hours=text
        ) from exc
    if start == end:
        v.rule(
            "%(where)s: öppettiden '%(hours)s' slutar när den börjar; dygnet runt skrivs utan "
            "öppettider (hours utelämnat), ett helt dygn som t.ex. 'sat 00:00-24:00'.",
            where=where,
            hours=text,
        )
    return ServiceWindow(days=days, start=start, end=end)


def _label(text: str) -> str:
    """A parsed line of hours as staff read it: "mån–fre 07:30–15:30"."""
    m = _HOURS_RE.match(text.strip().lower())
    assert m is not None  # parse_window accepted it
    days = SWEDISH_DAYS[_DAY_NUMBERS[m.group(1)]]
    if m.group(2):
        days += "–" + SWEDISH_DAYS[_DAY_NUMBERS[m.group(2)]]
    return f"{days} {m.group(3)}:{m.group(4)}–{m.group(5)}:{m.group(6)}"


_DAY_MINUTES = 24 * 60
_WEEK_MINUTES = 7 * _DAY_MINUTES


def _minute(t: time) -> int:
    return _DAY_MINUTES if t == time.max else t.hour * 60 + t.minute


def _week_spans(window: ServiceWindow) -> list[tuple[int, int]]:
    """The window as spans of minutes from Monday 00:00, a span past Sunday split in two."""
    spans = []
    for day in window.days:
        start = day * _DAY_MINUTES + _minute(window.start)
        end = day * _DAY_MINUTES + _minute(window.end)
        if end <= start:
            end += _DAY_MINUTES
        if end > _WEEK_MINUTES:
            spans += [(start, _WEEK_MINUTES), (0, end - _WEEK_MINUTES)]
        else:
            spans.append((start, end))
    return spans


def _check_no_overlap(
    hours_text: tuple[str, ...], hours: tuple[ServiceWindow, ...], where: Message
) -> None:
    # Overlapping lines are almost always a typo for other days or times.
    for i, first in enumerate(hours):
        for j in range(i + 1, len(hours)):
            if any(
                a < d and c < b for a, b in _week_spans(first) for c, d in _week_spans(hours[j])
            ):
                v.rule(
                    "%(where)s: öppettiderna '%(first)s' och '%(second)s' överlappar; "
                    "ange varje tid bara en gång.",
                    where=where,
                    first=hours_text[i],
                    second=hours_text[j],
                )


def parse_contacts(raw: dict[str, Any]) -> dict[str, Contact]:
    """The [[contacts]] blocks by key, each with its service hours parsed."""
    found: dict[str, Contact] = {}
    for i, c in enumerate(v.tables(raw, "contacts", "[[contacts]]"), start=1):
        key = v.text(c, "key", Message("kontakt %(i)s", {"i": i}), required=True)
        # Required above; blank, it is a broken rule, and the block goes by its number.
        where = v.block_where(c, "key", i, 'kontakt "%(key)s"', "kontakt %(i)s")
        v.known(
            c,
            ("key", "name", "phone", "fax", "email", "menu", "hours", "fallback", "after_hours"),
            where,
        )
        if key in found:
            raise v.ConfigValueError(
                "Kontakten %(key)s finns två gånger; nycklarna ska vara unika.", key=key
            )
        hours_text = v.texts(c, "hours", where)
        hours = tuple(parse_window(h, where) for h in hours_text)
        _check_no_overlap(hours_text, hours, where)
        fallback = v.text(c, "fallback", where)
        after_hours = v.text(c, "after_hours", where, max_length=AFTER_HOURS_LENGTH)
        _check_after_hours(bool(hours), fallback, after_hours, where)
        found[key] = Contact(
            key=key,
            name=v.text(c, "name", where, required=True),
            phones=v.numbers(c, "phone", where),
            fax=v.number(c, "fax", where),
            email=v.email(c, "email", where),
            menu=v.text(c, "menu", where),
            hours_text=tuple(_label(h) for h in hours_text),
            hours=hours,
            fallback=fallback,
            after_hours=after_hours,
        )
    _check_no_ring(found)
    return found


def _check_after_hours(has_hours: bool, fallback: str, after_hours: str, where: Message) -> None:
    """Outside its hours a contact hands over to a fallback or says what to do instead."""
    if after_hours and not has_hours:
        raise v.ConfigValueError(
            "%(where)s: har after_hours men inga öppettider; after_hours säger vad som gäller "
            "utanför öppettiderna (hours), så ange dem eller ta bort after_hours.",
            where=where,
        )
    if after_hours and fallback:
        raise v.ConfigValueError(
            "%(where)s: har både fallback och after_hours; ange antingen vem som svarar utanför "
            "öppettiderna (fallback) eller, när ingen gör det, vad som gäller då (after_hours).",
            where=where,
        )
    if has_hours and not (fallback or after_hours):
        # Outside its hours the routine screen would show a number no one answers.
        v.rule(
            '%(where)s: har öppettider men ingen reservkontakt; ange med fallback = "…" vem som '
            'gäller utanför dem (t.ex. jourhavande), eller med after_hours = "…" vad som gäller '
            "när ingen svarar då, eller ta bort hours om kontakten svarar dygnet runt.",
            where=where,
        )


def _check_no_ring(contacts: dict[str, Contact]) -> None:
    # A ring of fallbacks that are all closed at some hour leaves no one to call then.
    for key in contacts:
        chain = [key]
        contact = contacts[key]
        while contact.fallback in contacts:
            chain.append(contact.fallback)
            if contact.fallback == key:
                v.rule(
                    "Reservkontakterna går i ring (%(chain)s); den sista i kedjan "
                    "ska vara en kontakt som svarar när de andra har stängt.",
                    chain=" → ".join(chain),
                )
                break
            if chain.count(contact.fallback) > 1:
                break
            contact = contacts[contact.fallback]
