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
