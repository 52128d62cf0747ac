"""The longest RIS accession a site takes is its own [site] setting, 16 unless set (a DICOM
Accession Number holds 16 characters), a whole number from 1 to 64, checked in Swedish."""

from __future__ import annotations

import pytest

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
SETTING = "accession_max_length = 16"


def test_the_example_site_names_the_longest_accession() -> None:
    assert SETTING in EXAMPLE


def test_the_longest_accession_defaults_to_16() -> None:
    text = EXAMPLE.replace(SETTING + "\n", "")
    assert "accession_max_length" not in text
    assert parse_site_config(text).accession_max_length == 16


@pytest.mark.parametrize(("typed", "length"), [("1", 1), ("20", 20), ("64", 64)])
def test_a_site_sets_its_longest_accession(typed: str, length: int) -> None:
    text = EXAMPLE.replace(SETTING, f"accession_max_length = {typed}")
    assert parse_site_config(text).accession_max_length == length


@pytest.mark.parametrize("typed", ['"16"', "true", "0", "-1", "16.5", "65", "nan"])
def test_a_longest_accession_out_of_range_is_refused_in_swedish(typed: str) -> None:
    text = EXAMPLE.replace(SETTING, f"accession_max_length = {typed}")
    with pytest.raises(SiteConfigError) as caught:
        parse_site_config(text)
    assert (
        "[site]: accession_max_length ska vara ett helt antal tecken mellan 1 och 64, "
        "t.ex. accession_max_length = 16"
    ) in str(caught.value)


def test_a_stored_longest_accession_out_of_range_still_loads_with_the_default() -> None:
    # The laptop must start in an outage; the admin is shown the broken rule instead.
    config = parse_site_config(EXAMPLE.replace(SETTING, "accession_max_length = 100"), strict=False)
    assert config.accession_max_length == 16
    assert any("accession_max_length" in m.text() for m in config.broken_rules)
