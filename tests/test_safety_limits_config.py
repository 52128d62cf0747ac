"""The kidney limits of the safety warnings are the site's own, read from [site] and checked."""

from __future__ import annotations

import pytest

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


def test_the_limits_default_to_30_and_45() -> None:
    text = EXAMPLE.replace("contrast_egfr_limit = 30\n", "").replace(
        "metformin_egfr_limit = 45\n", ""
    )
    assert "egfr_limit" not in text
    limits = parse_site_config(text).safety_limits
    assert (limits.contrast_egfr, limits.metformin_egfr) == (30, 45)


def test_the_example_site_names_its_limits() -> None:
    assert "contrast_egfr_limit = 30" in EXAMPLE
    assert "metformin_egfr_limit = 45" in EXAMPLE


def test_a_site_sets_its_own_limits_with_decimals() -> None:
    text = EXAMPLE.replace("contrast_egfr_limit = 30", "contrast_egfr_limit = 35.5")
    text = text.replace("metformin_egfr_limit = 45", "metformin_egfr_limit = 60")
    limits = parse_site_config(text).safety_limits
    assert (limits.contrast_egfr, limits.metformin_egfr) == (35.5, 60)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('contrast_egfr_limit = "30"', "[site]: contrast_egfr_limit ska vara ett tal"),
        ("contrast_egfr_limit = true", "[site]: contrast_egfr_limit ska vara ett tal"),
        ("contrast_egfr_limit = 0", "[site]: contrast_egfr_limit ska vara ett eGFR mellan 1 och"),
        ("contrast_egfr_limit = -30", "[site]: contrast_egfr_limit ska vara ett eGFR mellan 1 och"),
        ("contrast_egfr_limit = 300", "[site]: contrast_egfr_limit ska vara ett eGFR mellan 1 och"),
        ("contrast_egfr_limit = nan", "[site]: contrast_egfr_limit ska vara ett eGFR mellan 1 och"),
        (
            "metformin_egfr_limit = inf",
            "[site]: metformin_egfr_limit ska vara ett eGFR mellan 1 och",
        ),
    ],
)
def test_a_limit_that_is_no_egfr_is_refused_in_swedish(typed: str, message: str) -> None:
    key = typed.split(" ")[0]
    default = "30" if key.startswith("contrast") else "45"
    text = EXAMPLE.replace(f"{key} = {default}", typed)
    with pytest.raises(SiteConfigError) as caught:
        parse_site_config(text)
    assert message in str(caught.value)


def test_a_stored_limit_out_of_range_still_loads_with_the_default() -> None:
    # The laptop must start in an outage; the admin is shown the broken rule instead.
    config = parse_site_config(
        EXAMPLE.replace("contrast_egfr_limit = 30", "contrast_egfr_limit = 0"), strict=False
    )
    assert config.safety_limits.contrast_egfr == 30
    assert any("contrast_egfr_limit" in m.text() for m in config.broken_rules)


AGE = "kidney_value_max_age_days = 90"


def test_the_age_of_a_kidney_value_defaults_to_90_days_and_is_in_the_example() -> None:
    assert AGE in EXAMPLE
    assert parse_site_config(EXAMPLE.replace(AGE + "\n", "")).safety_limits.kidney_max_age_days == (
        90
    )


@pytest.mark.parametrize(("typed", "days"), [("0", 0), ("30", 30), ("365", 365)])
def test_a_site_sets_the_age_of_a_kidney_value(typed: str, days: int) -> None:
    text = EXAMPLE.replace(AGE, f"kidney_value_max_age_days = {typed}")
    assert parse_site_config(text).safety_limits.kidney_max_age_days == days


@pytest.mark.parametrize("typed", ['"90"', "true", "-1", "90.5", "366", "nan"])
def test_an_age_that_is_no_number_of_days_is_refused_in_swedish(typed: str) -> None:
    text = EXAMPLE.replace(AGE, f"kidney_value_max_age_days = {typed}")
    with pytest.raises(SiteConfigError) as caught:
        parse_site_config(text)
    assert (
        "[site]: kidney_value_max_age_days ska vara ett helt antal dagar mellan 0 och 365 "
        "(0 stänger av kontrollen), t.ex. kidney_value_max_age_days = 90"
    ) in str(caught.value)


def test_a_stored_age_out_of_range_still_loads_with_the_default() -> None:
    config = parse_site_config(
        EXAMPLE.replace(AGE, "kidney_value_max_age_days = 5000"), strict=False
    )
    assert config.safety_limits.kidney_max_age_days == 90
    assert any("kidney_value_max_age_days" in m.text() for m in config.broken_rules)
