"""[site] reply_contact: the contact whose fax and phone the sheets print as the site's answer
address, as it answers at the moment of printing, with its hours; checked when the file loads."""

from __future__ import annotations

import html
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.printing.reply_contact import site_reply, steady_reply_to
from webapp.siteconfig import SiteConfig, SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
DOCUMENTED = '# reply_contact = "fax_small_site"'
WEEKDAY_MORNING = datetime(2026, 11, 24, 10, 0)  # a Tuesday
WEEKDAY_EVENING = datetime(2026, 11, 24, 15, 30)  # the small site's fax closes at 15:30
SATURDAY = datetime(2026, 11, 28, 10, 0)
CHRISTMAS_DAY = datetime(2026, 12, 25, 10, 0)  # a Friday, read as a Sunday


def _with_reply(key: str, text: str = EXAMPLE) -> str:
    # Where the example documents the key, in [site].
    assert DOCUMENTED in text
    return text.replace(DOCUMENTED, f'reply_contact = "{key}"', 1)


def _small_site() -> SiteConfig:
    return parse_site_config(_with_reply("fax_small_site"))


def test_the_example_site_answers_at_its_own_fax() -> None:
    # Unset: the sheets print [site] fax and phone as before, whatever the hour.
    config = parse_site_config(EXAMPLE)
    assert config.reply_contact == ""
    for moment in (WEEKDAY_MORNING, WEEKDAY_EVENING, CHRISTMAS_DAY):
        reply = site_reply(config, moment)
        assert (reply.fax, reply.phone, reply.hours) == ("0999-100 01", "0999-100 00", "")
        assert reply.reply_to == "Bild- och funktionsmedicin, Exempelstads sjukhus, fax 0999-100 01"


def test_within_its_hours_the_reply_contact_answers_with_its_hours_beside_it() -> None:
    reply = site_reply(_small_site(), WEEKDAY_MORNING)
    assert (reply.fax, reply.phone) == ("0999-500 01", "0999-500 00")
    assert (reply.hours, reply.then_fax, reply.then_phone) == (
        "mån–fre 07:30–15:30",
        "0999-100 01",
        "0999-100 00",
    )
    assert reply.reply_to == (
        "Röntgen Lillby (fax), fax 0999-500 01 (mån–fre 07:30–15:30; därefter fax 0999-100 01)"
    )


@pytest.mark.parametrize("moment", [WEEKDAY_EVENING, SATURDAY, CHRISTMAS_DAY])
def test_outside_its_hours_the_fallback_answers(moment: datetime) -> None:
    reply = site_reply(_small_site(), moment)
    assert (reply.fax, reply.phone, reply.hours) == ("0999-100 01", "0999-100 00", "")
    assert reply.reply_to == "Röntgen Exempelstad (fax), fax 0999-100 01"


def test_a_fallback_with_hours_of_its_own_shows_them_too() -> None:
    text = EXAMPLE.replace(
        'fax = "0999-100 01"\nphone = "0999-100 00"\n\n[[contacts]]',
        'fax = "0999-100 01"\nphone = "0999-100 00"\nhours = ["mon-sun 06:00-22:00"]\n'
        'fallback = "night_fax"\n\n[[contacts]]\nkey = "night_fax"\nname = "Nattfax"\n'
        'fax = "0999-900 01"\n\n[[contacts]]',
        1,
    )
    config = parse_site_config(_with_reply("fax_small_site", text))
    evening = site_reply(config, WEEKDAY_EVENING)
    assert evening.fax == "0999-100 01"
    assert evening.reply_to == (
        "Röntgen Exempelstad (fax), fax 0999-100 01 (mån–sön 06:00–22:00; därefter fax 0999-900 01)"
    )
    assert (evening.hours, evening.then_fax, evening.then_phone) == (
        "mån–sön 06:00–22:00",
        "0999-900 01",
        "",
    )
    night = site_reply(config, datetime(2026, 11, 24, 23, 0))
    assert (night.fax, night.phone, night.hours) == ("0999-900 01", "", "")


def test_the_steady_reply_to_does_not_follow_the_clock() -> None:
    # What a reprint is compared by: the same sheet printed by day and at night is no new one.
    config = _small_site()
    assert steady_reply_to(config) == site_reply(config, WEEKDAY_MORNING).reply_to
    assert (
        steady_reply_to(parse_site_config(EXAMPLE))
        == site_reply(parse_site_config(EXAMPLE), CHRISTMAS_DAY).reply_to
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("fax_smal_site", "[site] reply_contact: kontakten fax_smal_site finns inte bland "
         "[[contacts]]"),
        ("it_support", "[site] reply_contact: kontakten it_support har inget fax"),
        ("external_reviewer", "[site] reply_contact: kontakten oncall_radiologist har inget "
         "fax; den svarar när external_reviewer har stängt"),
    ],
)  # fmt: skip
def test_a_reply_contact_that_cannot_take_a_fax_is_refused_naming_it(
    key: str, message: str
) -> None:
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(_with_reply(key))
    assert message in str(raised.value), raised.value


def test_a_reply_contact_named_longer_than_the_sheets_have_room_for_is_refused() -> None:
    # The anonymised referral prints the name as whom to answer; at 100 it keeps to its page.
    text = _with_reply("fax_small_site").replace(
        'name = "Röntgen Lillby (fax)"', 'name = "' + "R" * 101 + '"', 1
    )
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert "[site] reply_contact: kontakten fax_small_site: name får vara högst 100 tecken" in str(
        raised.value
    ), raised.value


def test_site_page_refuses_an_unknown_reply_contact_beside_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = _with_reply("fax_lillby")
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "[site] reply_contact: kontakten fax_lillby finns inte bland [[contacts]]" in page
    assert 'reply_contact = "fax_lillby"' in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_the_example_documents_the_key() -> None:
    assert DOCUMENTED in EXAMPLE.split("[[priorities]]")[0]
