"""Contacts and their service hours: the number that applies at the moment, and their checks."""

from __future__ import annotations

import html
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config
from webapp.siteconfig_holidays import SUNDAY, HolidayCalendar

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


def test_the_great_eves_count_as_sundays_saturday_or_not() -> None:
    calendar = HolidayCalendar()
    for eve in (date(2027, 3, 27), date(2027, 6, 25), date(2027, 12, 24), date(2027, 12, 31)):
        assert calendar.weekday(eve) == SUNDAY, eve  # påsk-, midsommar-, jul- and nyårsafton
    assert calendar.weekday(date(2027, 3, 20)) == 5  # an ordinary Saturday stays one


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


@pytest.mark.parametrize(
    ("replaced", "typed", "message"),
    [
        ('fax = "0999-500 01"', 'fax = "0999-5OO 01"', 'kontakt "fax_small_site": fax'),
        ('phone = "0999-200 00"', 'phone = "ring växeln"', 'kontakt "it_support": phone'),
        ('fax = "0999-100 01"', 'fax = "fax 0999-100 01"', "[site]: fax"),
        (
            'phone = "0888-100 00"',
            'phone = "0888-1OO 00"',
            "[routines.transfer] motpart 1 (grannby_us): phone",
        ),
    ],
)
def test_a_number_with_letters_is_refused_naming_the_contact(
    replaced: str, typed: str, message: str
) -> None:
    assert replaced in EXAMPLE
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(EXAMPLE.replace(replaced, typed, 1))
    assert f"{message} ska vara ett nummer" in str(raised.value), raised.value


def test_numbers_as_the_routines_write_them_are_accepted() -> None:
    for number in ("619 00", "+46 31 373 77 95", "0320- 77 90 71", "(033) 616 19 57"):
        text = EXAMPLE.replace('fax = "0999-500 01"', f'fax = "{number}"', 1)
        assert parse_site_config(text).contacts["fax_small_site"].fax == number


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("mon-fri 07:30-07:30", "'mon-fri 07:30-07:30' slutar när den börjar"),
        ("mon-fri 07:30-25:00", "kontakt \"fax_small_site\": ogiltig tid i 'mon-fri 07:30-25:00'"),
    ],
)
def test_hours_that_cannot_be_a_window_are_refused(hours: str, message: str) -> None:
    text = EXAMPLE.replace('hours = ["mon-fri 07:30-15:30"]', f'hours = ["{hours}"]', 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert message in str(raised.value), raised.value


def test_hours_may_end_at_midnight_written_as_24() -> None:
    text = EXAMPLE.replace('hours = ["mon-fri 07:30-15:30"]', 'hours = ["mon-fri 15:00-24:00"]')
    config = parse_site_config(text)
    assert config.contact_now("fax_small_site", datetime(2026, 11, 23, 23, 59)).key == (
        "fax_small_site"
    )
    assert config.contact_now("fax_small_site", datetime(2026, 11, 24, 0, 0)).key == "fax_main"


@pytest.mark.parametrize(
    "hours",
    [
        '["mon-fri 07:30-15:30", "fri 15:00-18:00"]',
        '["mon-sun 21:00-07:30", "sat 06:00-09:00"]',
        '["sun 22:00-02:00", "mon 01:00-03:00"]',
    ],
)
def test_overlapping_hours_of_one_contact_are_refused(hours: str) -> None:
    text = EXAMPLE.replace('hours = ["mon-fri 07:30-15:30"]', f"hours = {hours}", 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert 'kontakt "fax_small_site": öppettiderna' in str(raised.value), raised.value
    assert "överlappar" in str(raised.value)


def test_hours_that_meet_without_overlapping_are_accepted() -> None:
    text = EXAMPLE.replace(
        'hours = ["mon-fri 07:30-15:30"]', 'hours = ["mon-fri 07:30-15:30", "sat 15:30-20:00"]'
    )
    assert len(parse_site_config(text).contacts["fax_small_site"].hours) == 2


def test_fallbacks_that_go_round_in_a_ring_are_refused() -> None:
    text = EXAMPLE.replace(
        'key = "fax_main"\nname = "Röntgen Exempelstad (fax)"',
        'key = "fax_main"\nname = "Röntgen Exempelstad (fax)"\nhours = ["sat-sun 08:00-12:00"]\n'
        'fallback = "fax_small_site"',
        1,
    )
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert "fax_small_site → fax_main → fax_small_site" in str(raised.value), raised.value


def test_site_page_refuses_a_fax_with_letters_beside_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace('fax = "0999-500 01"', 'fax = "0999-5OO 01"', 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert 'kontakt "fax_small_site": fax ska vara ett nummer' in page
    assert 'fax = "0999-5OO 01"' in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_a_contact_with_hours_but_no_fallback_is_refused() -> None:
    # Outside its hours the routine screen would show a number no one answers.
    staffed = 'hours = ["mon-fri 08:00-16:30"]\nfallback = "it_jour"'
    assert staffed in EXAMPLE
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(EXAMPLE.replace(staffed, 'hours = ["mon-fri 08:00-16:30"]', 1))
    assert 'kontakt "ris_pacs_admin": har öppettider men ingen reservkontakt' in str(
        raised.value
    ), raised.value


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 11, 23, 3, 0), datetime(2026, 11, 28, 12, 0), datetime(2026, 12, 25, 10, 0)],
)
def test_every_contact_of_the_example_has_someone_answering(moment: datetime) -> None:
    config = parse_site_config(EXAMPLE)
    for key in config.contacts:
        assert config.contact_now(key, moment).is_open(moment, config.holidays), key


def test_hours_are_shown_to_staff_with_swedish_day_names() -> None:
    config = parse_site_config(EXAMPLE)
    assert config.contacts["fax_small_site"].hours_text == ("mån–fre 07:30–15:30",)
    assert config.contacts["external_reviewer"].hours_text == ("mån–sön 21:00–07:30",)


def test_hours_may_be_written_with_swedish_day_names() -> None:
    text = EXAMPLE.replace(
        'hours = ["mon-fri 07:30-15:30"]', 'hours = ["Mån-fre 07:30-15:30", "lör 09:00-12:00"]'
    )
    config = parse_site_config(text)
    assert config.contacts["fax_small_site"].hours_text == (
        "mån–fre 07:30–15:30",
        "lör 09:00–12:00",
    )
    assert config.contact_now("fax_small_site", datetime(2026, 11, 28, 10, 0)).key == (
        "fax_small_site"
    )


@pytest.mark.parametrize(
    "typed", ["rispacs.exempel.invalid", "rispacs @exempel.invalid", "0999-400 00", "a@b@c.se"]
)
def test_an_email_that_is_no_address_is_refused_naming_the_contact(typed: str) -> None:
    # The reviewer page's "Öppna i e-postprogrammet" would open a message no one receives.
    text = EXAMPLE.replace('email = "rispacs@exempel.invalid"', f'email = "{typed}"', 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert 'kontakt "ris_pacs_admin": email ska vara en e-postadress' in str(raised.value)


def test_a_stored_email_that_is_no_address_still_loads_listing_the_rule() -> None:
    text = EXAMPLE.replace('email = "rispacs@exempel.invalid"', 'email = "rispacs"', 1)
    config = parse_site_config(text, strict=False)
    assert any("email ska vara en e-postadress" in b.text() for b in config.broken_rules)
