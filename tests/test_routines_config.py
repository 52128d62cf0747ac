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


def test_unknown_keys_in_routines_are_refused_but_a_stored_one_still_loads() -> None:
    text = MINIMAL + "\n[routines.future]\nx = 1\n[routines.release]\ny = 2\n"
    with pytest.raises(SiteConfigError, match="routines: future är inget namn som används här"):
        parse_site_config(text)
    config = parse_site_config(text, strict=False)
    assert config.routines.release.own_region_hospitals == ()
    assert "routines" not in config.extra
    assert [r.text().split(";")[0] for r in config.broken_rules] == [
        "routines: future är inget namn som används här",
        "routines.release: y är inget namn som används här",
    ]


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


def _media(config_text: str) -> dict[str, tuple[str, ...]]:
    return dict(parse_site_config(config_text).routines.release.media)


def test_without_a_media_table_abroad_gets_discs_and_the_others_every_medium() -> None:
    media = _media(MINIMAL)
    assert media["abroad"] == ("cd", "dvd")
    assert media["patient"] == media["other_region_hospital"] == ("cd", "dvd", "usb")
    assert media["own_region_hospital"] == ()


def test_the_example_site_lets_only_discs_abroad() -> None:
    assert 'abroad = ["cd", "dvd"]' in EXAMPLE
    assert _media(EXAMPLE)["abroad"] == ("cd", "dvd")


def test_a_listed_recipient_gets_its_media_and_the_others_keep_the_routines() -> None:
    media = _media(MINIMAL + '[routines.release.media]\npatient = ["USB", "cd", "cd"]\n')
    # Written in any case and order, each once; kept in the routine's order.
    assert media["patient"] == ("cd", "usb")
    assert media["abroad"] == ("cd", "dvd")
    assert media["proxy"] == ("cd", "dvd", "usb")


def test_the_media_table_reads_as_an_inline_table_too() -> None:
    media = _media(MINIMAL + '[routines.release]\nmedia = { abroad = ["cd", "dvd", "usb"] }\n')
    assert media["abroad"] == ("cd", "dvd", "usb")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('abroad = ["cd", "blu-ray"]',
         'routines.release.media: abroad: "blu-ray" är inget media; möjliga: cd, dvd, usb.'),
        ("abroad = []", "routines.release.media: abroad = [] tillåter inget media; ange minst "
         "ett av cd, dvd, usb, eller ta bort raden för rutinens standard."),
        ('abroad = "cd"', 'routines.release.media: abroad ska vara en lista av media, t.ex. '
         'abroad = ["cd", "dvd"].'),
        ('utomlands = ["cd"]', "routines.release.media: utomlands är ingen mottagare; kontrollera "
         "stavningen (möjliga: patient, proxy, other_region_hospital, private_provider, abroad)."),
        ('own_region_hospital = ["cd"]', "routines.release.media: own_region_hospital får inga "
         "media – sjukhusen inom regionen hämtar bilderna från arkivet; ta bort raden."),
    ],
)  # fmt: skip
def test_a_media_line_that_cannot_be_followed_is_refused_in_swedish(
    line: str, message: str
) -> None:
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(MINIMAL + f"[routines.release.media]\n{line}\n")
    assert str(refused.value) == message


def test_media_not_written_as_a_table_is_refused() -> None:
    with pytest.raises(SiteConfigError, match=r"^\[routines.release.media\] ska vara en tabell"):
        parse_site_config(MINIMAL + '[routines.release]\nmedia = ["cd"]\n')


def test_a_stored_broken_media_line_still_loads_with_the_routines_media() -> None:
    # Saved before the rule: the laptop starts, abroad keeps its discs, the admin is told.
    config = parse_site_config(
        MINIMAL + '[routines.release.media]\nabroad = ["usb-minne"]\n', strict=False
    )
    assert dict(config.routines.release.media)["abroad"] == ("cd", "dvd")
    assert [r.text() for r in config.broken_rules] == [
        'routines.release.media: abroad: "usb-minne" är inget media; möjliga: cd, dvd, usb.',
    ]
