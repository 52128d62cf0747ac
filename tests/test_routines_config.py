"""The [routines] section of the site TOML: parsed, optional, checked, tolerant of unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = (Path(__file__).resolve().parent.parent / "webapp" / "site_example.toml").read_text(
    encoding="utf-8"
)
MINIMAL = """
[site]
code = "MIN"
name = "Minsta"
[[priorities]]
code = "akut"
label = "Akut"
[[modalities]]
code = "CT"
name = "DT"
[scenarios.total]
name = "Totalt"
"""


def test_example_site_configures_every_routine() -> None:
    routines = parse_site_config(EXAMPLE).routines
    assert routines.external_reviewer.fax_contact == "external_reviewer"
    assert [r.key for r in routines.external_reviewer.routes][:2] == ["modality", "teleradiology"]
    assert routines.transfer.counterpart("grannby_us").via == ("Region Västerby", "Region Söderby")
    assert routines.transfer.link_computers[0].name == "LNK-0001"
    assert len(routines.transfer.problems_sending) == 6
    assert "Lillby lasarett" in routines.release.own_region_hospitals


def test_a_site_without_routines_still_loads() -> None:
    config = parse_site_config(MINIMAL)
    assert config.routines.external_reviewer.routes == ()
    assert config.routines.release.archive_name


def test_unknown_keys_in_routines_are_ignored() -> None:
    config = parse_site_config(MINIMAL + "\n[routines.future]\nx = 1\n[routines.release]\ny = 2\n")
    assert config.routines.release.own_region_hospitals == ()
    assert "routines" not in config.extra


def test_unknown_contact_in_routines_is_refused() -> None:
    with pytest.raises(SiteConfigError, match="okänd kontakt nobody"):
        parse_site_config(MINIMAL + '[routines.external_reviewer]\nfax_contact = "nobody"\n')


def test_counterpart_without_name_is_refused() -> None:
    with pytest.raises(SiteConfigError, match="'name' saknas"):
        parse_site_config(MINIMAL + '[[routines.transfer.counterparts]]\nkey = "x"\n')


def test_duplicate_route_keys_are_refused() -> None:
    routes = '[[routines.external_reviewer.routes]]\nkey = "a"\nname = "A"\n' * 2
    with pytest.raises(SiteConfigError, match="två gånger"):
        parse_site_config(MINIMAL + routes)
