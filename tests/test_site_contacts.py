"""Contacts and their service hours: the number that applies at the moment, and their checks."""

from __future__ import annotations

from datetime import datetime

import pytest

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 25, 10, 0),  # juldagen, a Friday
        datetime(2027, 3, 26, 10, 0),  # långfredagen
        datetime(2027, 3, 29, 10, 0),  # annandag påsk, a Monday
        datetime(2027, 5, 6, 10, 0),  # Kristi himmelsfärdsdag, a Thursday
        datetime(2027, 6, 25, 10, 0),  # midsommarafton, a Friday
        datetime(2026, 12, 24, 10, 0),  # julafton, a Thursday
        datetime(2027, 1, 6, 10, 0),  # trettondedag jul, a Wednesday
    ],
)
def test_weekday_hours_do_not_apply_on_a_public_holiday(moment: datetime) -> None:
    config = parse_site_config(EXAMPLE)
    assert config.contact_now("fax_small_site", moment).key == "fax_main"


def test_weekday_hours_apply_on_an_ordinary_weekday_in_the_holidays() -> None:
    config = parse_site_config(EXAMPLE)
    assert config.contact_now("fax_small_site", datetime(2026, 12, 23, 10, 0)).key == (
        "fax_small_site"
    )
    assert config.contact_now("fax_small_site", datetime(2026, 12, 28, 10, 0)).key == (
        "fax_small_site"
    )


def test_a_day_the_site_closes_as_a_holiday_is_configurable() -> None:
    text = EXAMPLE.replace("holidays = []", 'holidays = ["12-23"]', 1)
    config = parse_site_config(text)
    assert config.contact_now("fax_small_site", datetime(2026, 12, 23, 10, 0)).key == "fax_main"
    assert config.contact_now("fax_small_site", datetime(2027, 12, 23, 10, 0)).key == "fax_main"


def test_a_dated_holiday_applies_that_year_only() -> None:
    text = EXAMPLE.replace("holidays = []", 'holidays = ["2026-12-22"]', 1)
    config = parse_site_config(text)
    assert config.contact_now("fax_small_site", datetime(2026, 12, 22, 10, 0)).key == "fax_main"
    assert config.contact_now("fax_small_site", datetime(2027, 12, 22, 10, 0)).key == (
        "fax_small_site"
    )


def test_public_holidays_can_be_turned_off() -> None:
    text = EXAMPLE.replace("holidays = []", "public_holidays = false", 1)
    config = parse_site_config(text)
    assert config.contact_now("fax_small_site", datetime(2026, 12, 25, 10, 0)).key == (
        "fax_small_site"
    )


def test_a_night_window_after_a_holiday_eve_follows_the_holiday() -> None:
    # Open weekday nights only: the night that starts on juldagen (a Friday) is closed.
    text = EXAMPLE.replace('hours = ["mon-sun 21:00-07:30"]', 'hours = ["mon-fri 21:00-07:30"]')
    config = parse_site_config(text)
    assert config.contact_now("external_reviewer", datetime(2026, 12, 26, 3, 0)).key == (
        "oncall_radiologist"
    )
    assert config.contact_now("external_reviewer", datetime(2026, 12, 22, 3, 0)).key == (
        "external_reviewer"
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('holidays = ["24/12"]', "[site]: holidays: '24/12' ska vara ett datum"),
        ('holidays = ["02-30"]', "[site]: holidays: '02-30' ska vara ett datum"),
        ('holidays = "12-24"', "[site]: holidays ska vara en lista"),
        ('public_holidays = "ja"', "[site]: public_holidays ska vara true eller false"),
    ],
)
def test_a_badly_written_holiday_is_refused_naming_it(typed: str, message: str) -> None:
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(EXAMPLE.replace("holidays = []", typed, 1))
    assert message in str(raised.value), raised.value
