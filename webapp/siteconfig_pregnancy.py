"""The ages at which the site's referral asks whether the patient may be pregnant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import siteconfig_values as v

MIN_KEY = "pregnancy_min_age"
MAX_KEY = "pregnancy_max_age"
AGE_KEYS = (MIN_KEY, MAX_KEY)
# Wide enough for every department's rule (10-60, 12-55, 8-65), narrow enough that a typo (a
# lower age of 50, an upper of 600) is caught: a wrong range silently stops asking the question.
BOUNDS = {MIN_KEY: (5, 20), MAX_KEY: (40, 70)}


@dataclass(frozen=True)
class PregnancyAges:
    # Whole years, both asked: a woman of 60 is asked until her 61st birthday.
    youngest: int = 10
    oldest: int = 60

    def includes(self, age: int) -> bool:
        return self.youngest <= age <= self.oldest


def _age(site: dict[str, Any], key: str, default: int) -> int:
    value = site.get(key, default)
    low, high = BOUNDS[key]
    # A float (12.5, nan) is no whole number of years; bool is an int to Python.
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    template = (
        "%(where)s: %(key)s ska vara ett helt antal år mellan %(low)s och %(high)s, t.ex. "
        "%(key)s = %(default)s; nu står det %(value)s."
    )
    values = {"where": "[site]", "key": key, "low": low, "high": high, "default": default}
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise v.ConfigValueError(template, **values, value=value)
    v.rule(template, **values, value=value)
    # A stored configuration still loads, with the age every site starts from.
    return default


def parse_pregnancy_ages(site: dict[str, Any]) -> PregnancyAges:
    """The [site] table's ages for the pregnancy question, checked; left out, 10 and 60."""
    defaults = PregnancyAges()
    youngest, oldest = site.get(MIN_KEY, defaults.youngest), site.get(MAX_KEY, defaults.oldest)
    # Swapped ages are said as such, before either is measured against its own bounds.
    whole = all(isinstance(a, int) and not isinstance(a, bool) for a in (youngest, oldest))
    if whole and youngest >= oldest:
        v.rule(
            "%(where)s: %(low_key)s (%(low)s) ska vara lägre än %(high_key)s (%(high)s), "
            "t.ex. %(low_key)s = %(default_low)s och %(high_key)s = %(default_high)s.",
            where="[site]",
            low_key=MIN_KEY,
            low=youngest,
            high_key=MAX_KEY,
            high=oldest,
            default_low=defaults.youngest,
            default_high=defaults.oldest,
        )
        return defaults
    return PregnancyAges(
        youngest=_age(site, MIN_KEY, defaults.youngest),
        oldest=_age(site, MAX_KEY, defaults.oldest),
    )
