"""What a written routine says of a contact, said in the site file: two phone numbers for one
contact, and a contact that answers by day with no one after it (after_hours)."""

from __future__ import annotations

from datetime import datetime

import pytest

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
ON_CALL = 'key = "oncall_radiologist"\nname = "Jourhavande radiolog"\nphone = "0999-100 50"'
# Technical questions by day only, as the routine's "tekniska frågor": no after-hours number.
BY_DAY = (
    '[[contacts]]\nkey = "teknik"\nname = "Tekniska frågor"\nphone = "0999-700 00"\n'
    'hours = ["mon-fri 07:00-16:00"]\n'
    'after_hours = "Ingen jour – vänta till vardag 07:00, eller ring TiB vid fara"\n\n'
)
WEDNESDAY_NOON = datetime(2026, 1, 14, 12, 0)
WEDNESDAY_NIGHT = datetime(2026, 1, 14, 22, 0)


def _with_phone(phone: str) -> str:
    assert ON_CALL in EXAMPLE
    return EXAMPLE.replace(ON_CALL, ON_CALL.replace('"0999-100 50"', phone), 1)


def _with_contact(block: str) -> str:
    return EXAMPLE.replace("[scenarios.integration]", block + "[scenarios.integration]", 1)


def test_a_contact_may_have_two_phone_numbers_the_first_the_main_one() -> None:
    config = parse_site_config(_with_phone('["0999-100 50", "0999-100 51"]'))
    contact = config.contacts["oncall_radiologist"]
    assert contact.phones == ("0999-100 50", "0999-100 51")
    assert contact.phone == "0999-100 50"


def test_one_phone_number_as_a_text_is_still_one_number() -> None:
    contact = parse_site_config(EXAMPLE).contacts["oncall_radiologist"]
    assert contact.phones == ("0999-100 50",)
    assert contact.phone == "0999-100 50"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        (
            '["0999-100 50", "ring växeln"]',
            'kontakt "oncall_radiologist": phone, nummer 2, ska vara ett nummer',
        ),
        ('["0999-1OO 50"]', 'kontakt "oncall_radiologist": phone, nummer 1, ska vara ett nummer'),
        (
            '["0999-100 50", 5]',
            'kontakt "oncall_radiologist": phone ska vara ett nummer eller en lista av nummer',
        ),
        ("true", 'kontakt "oncall_radiologist": phone ska vara ett nummer eller en lista av'),
    ],
)
def test_a_bad_number_in_a_list_is_refused_naming_the_contact_and_its_place(
    phone: str, message: str
) -> None:
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(_with_phone(phone))
    assert message in str(raised.value), raised.value


def test_a_contact_with_hours_may_say_what_to_do_after_them_instead_of_a_fallback() -> None:
    config = parse_site_config(_with_contact(BY_DAY))
    contact = config.contacts["teknik"]
    assert contact.after_hours.startswith("Ingen jour")
    assert contact.fallback == ""
    assert config.contact_now("teknik", WEDNESDAY_NIGHT).key == "teknik"
    assert not contact.is_open(WEDNESDAY_NIGHT)
    assert contact.is_open(WEDNESDAY_NOON)


def test_a_contact_with_both_a_fallback_and_after_hours_is_refused() -> None:
    block = BY_DAY.replace("after_hours", 'fallback = "tib"\nafter_hours', 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(_with_contact(block))
    assert 'kontakt "teknik": har både fallback och after_hours' in str(raised.value)


def test_after_hours_without_hours_is_refused() -> None:
    block = BY_DAY.replace('hours = ["mon-fri 07:00-16:00"]\n', "", 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(_with_contact(block))
    assert 'kontakt "teknik": har after_hours men inga öppettider' in str(raised.value)


def test_a_contact_with_hours_and_neither_says_both_ways_to_mend_it() -> None:
    block = "\n".join(line for line in BY_DAY.split("\n") if not line.startswith("after_hours"))
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(_with_contact(block))
    message = str(raised.value)
    assert 'kontakt "teknik": har öppettider men ingen reservkontakt' in message
    assert "after_hours" in message


def test_a_reply_contact_that_no_one_answers_after_hours_is_refused() -> None:
    # A sheet printed by day would send the night's answers to a fax no one reads.
    block = BY_DAY.replace('phone = "0999-700 00"', 'phone = "0999-700 00"\nfax = "0999-700 01"')
    text = _with_contact(block).replace(
        "accession_max_length = 16", 'accession_max_length = 16\nreply_contact = "teknik"', 1
    )
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert "[site] reply_contact: kontakten teknik har ingen som svarar" in str(raised.value)
