"""The site's kidney limits for the referral's risk warnings (cases/safety_risks.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import siteconfig_values as v


@dataclass(frozen=True)
class SafetyLimits:
    # eGFR (ml/min/1,73 m²) below which a contrast exam is warned about.
    contrast_egfr: float = 30
    # eGFR below which a patient on metformin is warned about before contrast (the local
    # metformin routine applies).
    metformin_egfr: float = 45
    # Days a kidney value may be older than the referral's arrival before a contrast exam is
    # warned about (and a value without its date); 0 turns both warnings off.
    kidney_max_age_days: int = 90


LIMIT_KEYS = {"contrast_egfr_limit": "contrast_egfr", "metformin_egfr_limit": "metformin_egfr"}
# Above any limit a department uses: a limit of 300 would warn before every contrast exam.
HIGHEST = 120
AGE_KEY = "kidney_value_max_age_days"
# A year: a value older than that is no guide to today's kidneys anywhere.
OLDEST_DAYS = 365


def _limit(site: dict[str, Any], key: str, default: float) -> float:
    value = site.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise v.ConfigValueError(
            "%(where)s: %(key)s ska vara ett tal (eGFR i ml/min/1,73 m²), t.ex. %(key)s = "
            "%(default)s.",
            where="[site]",
            key=key,
            default=default,
        )
    # nan and inf are TOML floats too; a limit of 0 would never warn.
    if not (math.isfinite(value) and 1 <= value <= HIGHEST):
        v.rule(
            "%(where)s: %(key)s ska vara ett eGFR mellan 1 och %(highest)s (ml/min/1,73 m²), "
            "t.ex. %(key)s = %(default)s; nu står det %(value)s.",
            where="[site]",
            key=key,
            highest=HIGHEST,
            default=default,
            value=value,
        )
        # A stored configuration still loads, with the limit every site starts from.
        return default
    return value


def _max_age(site: dict[str, Any], default: int) -> int:
    value = site.get(AGE_KEY, default)
    # A float (90.5, nan) is no number of days; bool is an int to Python.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= OLDEST_DAYS:
        return value
    template = (
        "%(where)s: %(key)s ska vara ett helt antal dagar mellan 0 och %(oldest)s (0 stänger av "
        "kontrollen), t.ex. %(key)s = %(default)s; nu står det %(value)s."
    )
    values = {"where": "[site]", "key": AGE_KEY, "oldest": OLDEST_DAYS, "default": default}
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise v.ConfigValueError(template, **values, value=value)
    v.rule(template, **values, value=value)
    # A stored configuration still loads, with the age every site starts from.
    return default


def parse_safety_limits(site: dict[str, Any]) -> SafetyLimits:
    """The [site] table's kidney limits, checked; those left out are the defaults."""
    defaults = SafetyLimits()
    return SafetyLimits(
        **{name: _limit(site, key, getattr(defaults, name)) for key, name in LIMIT_KEYS.items()},
        kidney_max_age_days=_max_age(site, defaults.kidney_max_age_days),
    )
