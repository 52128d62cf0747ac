"""[site] referral_fax: the contacts whose fax numbers the ward referral form tells wards to
fax their paper referrals to, each checked as a fax that answers at every hour."""

from __future__ import annotations

import pytest

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


def _with(line: str, text: str = EXAMPLE) -> str:
    return text.replace("four_eyes = true", f"{line}\nfour_eyes = true", 1)


def test_example_site_names_both_radiology_faxes() -> None:
    config = parse_site_config(EXAMPLE)
    assert config.referral_fax == ("fax_main", "fax_small_site")


def test_without_the_key_no_contact_is_named() -> None:
    text = "\n".join(line for line in EXAMPLE.splitlines() if not line.startswith("referral_fax"))
    assert parse_site_config(text).referral_fax == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('referral_fax = ["fax_mian"]', "fax_mian finns inte bland [[contacts]]"),
        ('referral_fax = ["tib"]', "kontakten tib har inget fax"),
        ('referral_fax = "fax_main"', "referral_fax ska vara en lista"),
        (
            'referral_fax = ["fax_main", "fax_main"]',
            "fax_main står två gånger",
        ),
        (
            'referral_fax = ["fax_main", "fax_small_site", "external_reviewer", "fax_main2"]',
            "högst 3 kontakter",
        ),
    ],
)
def test_a_wrong_referral_fax_is_refused_with_a_message(line: str, message: str) -> None:
    text = _with(line, EXAMPLE.replace("referral_fax = ", "# referral_fax = "))
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert message in str(refused.value)


def test_a_fallback_without_fax_is_refused() -> None:
    # The external reviewer's fallback, the on-call radiologist, has a phone only: a ward's
    # referral faxed at 08:00 would have nowhere to go.
    text = _with(
        'referral_fax = ["external_reviewer"]',
        EXAMPLE.replace("referral_fax = ", "# referral_fax = "),
    )
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert "kontakten oncall_radiologist har inget fax" in str(refused.value)


def test_a_listed_contacts_long_name_or_many_hours_is_a_broken_rule() -> None:
    text = EXAMPLE.replace('name = "Röntgen Lillby (fax)"', f'name = "{"L" * 61}"', 1)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert "högst 60 tecken" in str(refused.value)
    hours = 'hours = ["mon-fri 07:30-15:30"]\nfallback = "fax_main"'
    three = (
        'hours = ["mon 07:30-15:30", "tue 07:30-15:30", "wed 07:30-15:30"]\nfallback = "fax_main"'
    )
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(EXAMPLE.replace(hours, three, 1))
    assert "högst 2 får plats" in str(refused.value)
