"""Which days a contact's weekday hours do not apply: Swedish public holidays and the site's own.

A holiday counts as a Sunday ("sön- och helgdag"), so a fax staffed mon-fri is closed on
juldagen even when it falls on a Friday, and the fallback contact's number is shown instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from . import siteconfig_values as v

SUNDAY = 6
_DAY_RE = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")


def _easter(year: int) -> date:
    # The anonymous Gregorian computus (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_weekday_from(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=16)
def swedish_holidays(year: int) -> frozenset[date]:
    """The public holidays (röda dagar) and the eves workplaces close as holidays."""
    easter = _easter(year)
    midsummer_eve = _first_weekday_from(date(year, 6, 19), 4)
    return frozenset(
        {
            date(year, 1, 1),  # nyårsdagen
            date(year, 1, 6),  # trettondedag jul
            easter - timedelta(days=2),  # långfredagen
            # Påskafton is a Saturday, but like the other great eves a contact open on
            # Saturdays is not open then.
            easter - timedelta(days=1),
            easter,  # påskdagen
            easter + timedelta(days=1),  # annandag påsk
            date(year, 5, 1),
            easter + timedelta(days=39),  # Kristi himmelsfärdsdag
            easter + timedelta(days=49),  # pingstdagen
            date(year, 6, 6),  # nationaldagen
            midsummer_eve,
            midsummer_eve + timedelta(days=1),  # midsommardagen
            _first_weekday_from(date(year, 10, 31), 5),  # alla helgons dag
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


@dataclass(frozen=True)
class HolidayCalendar:
    """The site's holidays: public ones unless turned off, plus days the site adds."""

    public: bool = True
    every_year: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    dated: frozenset[date] = field(default_factory=frozenset)

    def is_holiday(self, day: date) -> bool:
        return (
            (self.public and day in swedish_holidays(day.year))
            or (day.month, day.day) in self.every_year
            or day in self.dated
        )

    def weekday(self, day: date) -> int:
        """The day of the week whose hours apply: a holiday is a Sunday."""
        return SUNDAY if self.is_holiday(day) else day.weekday()


def parse_holidays(site: dict[str, Any]) -> HolidayCalendar:
    """[site] public_holidays and holidays ("12-24" every year, "2027-06-25" that day only)."""
    every_year: set[tuple[int, int]] = set()
    dated: set[date] = set()
    for typed in v.texts(site, "holidays", "[site]"):
        found = _DAY_RE.match(typed.strip())
        try:
            if found is None:
                raise ValueError(typed)
            year, month, day = found.groups()
            # A leap year, so 02-29 is a day that can be given for every year.
            parsed = date(int(year or 2000), int(month), int(day))
        except ValueError as exc:
            raise v.ConfigValueError(
                "[site]: holidays: '%(typed)s' ska vara ett datum, t.ex. \"12-24\" (varje år) "
                'eller "2027-06-25" (bara den dagen).',
                typed=typed,
            ) from exc
        if year:
            dated.add(parsed)
        else:
            every_year.add((parsed.month, parsed.day))
    public = site.get("public_holidays", True)
    if not isinstance(public, bool):
        raise v.ConfigValueError(
            "[site]: public_holidays ska vara true eller false (utan citattecken)."
        )
    return HolidayCalendar(public=public, every_year=frozenset(every_year), dated=frozenset(dated))
