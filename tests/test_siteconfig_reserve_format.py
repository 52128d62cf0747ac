"""[identity] reserve_number_pattern: a region's own reserve-number format, checked at load (a
regular expression matched in full, with an example that must itself match); left out, the
generic rule."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
MOST_CHOICES = "högst 6 upprepningar med varierande längd eller alternativ"


def with_format(pattern: str, example: str = "", description: str = "") -> str:
    """The example site with an [identity] section (TOML literal strings: no escapes)."""
    lines = ["", "[identity]"]
    if pattern:
        lines.append(f"reserve_number_pattern = '{pattern}'")
    if example:
        lines.append(f"reserve_number_example = '{example}'")
    if description:
        lines.append(f"reserve_number_description = '{description}'")
    return EXAMPLE + "\n".join(lines) + "\n"


def test_without_the_section_there_is_no_site_format() -> None:
    assert "\n[identity]" not in EXAMPLE
    assert parse_site_config(EXAMPLE).reserve_format is None


def test_the_example_sites_commented_format_loads_when_uncommented() -> None:
    block = EXAMPLE.split("# [identity]", 1)[1]
    text = EXAMPLE + "\n[identity]" + block.replace("# reserve_number", "reserve_number")
    config = parse_site_config(text)
    assert config.reserve_format is not None
    assert config.reserve_format.example == "20260115-R001"


def test_a_site_names_its_format_and_example() -> None:
    config = parse_site_config(
        with_format("[0-9]{8}-R[0-9]{3}", "20260115-R001", "födelsedatum, R och löpnummer")
    )
    assert config.reserve_format is not None
    assert config.reserve_format.example == "20260115-R001"
    assert config.reserve_format.description == "födelsedatum, R och löpnummer"
    assert config.reserve_format.matches("20260115-R001")
    # Matched in full: a number with more after it is not of the format.
    assert not config.reserve_format.matches("20260115-R0012")
    assert not config.reserve_format.matches("X20260115-R001")


@pytest.mark.parametrize(
    ("pattern", "example", "message"),
    [
        ("([0-9]{8}", "12345678", "reserve_number_pattern går inte att läsa som reguljärt uttryck"),
        ("[0-9]*", "1234", "reserve_number_pattern godtar ett tomt reservnummer"),
        ("(R[0-9])\\1[0-9]{2}", "R1R123", "bakåtreferenser"),
        ("(?=R)[A-Z0-9]{4,8}", "RES1", "lookahead eller lookbehind"),
        ("(?<!X)R[0-9]{4}", "R1234", "lookahead eller lookbehind"),
        ("(R[0-9]+)+", "R1234", "en upprepad grupp får inte själv innehålla"),
        ("(A|AB)*C", "ABC", "en upprepad grupp får inte själv innehålla"),
        ("R" * 201, "R" * 20, "högst 200 tecken"),
        # Each repeat of varying length or alternative is a choice the matcher may go back on:
        # twelve took seconds on a 20-character number.
        ("[A-Z]*" * 7 + "X", "ABCX", MOST_CHOICES),
        ("(A|B1)" * 7 + "X", "AAAAAAAX", MOST_CHOICES),
        ("RES-[0-9]{4}", "RES-12", "reserve_number_example RES-12 följer inte"),
        ("RES-[0-9]{4}", "", "reserve_number_example saknas"),
        ("", "RES-1234", "reserve_number_pattern saknas"),
        ("[A-Z]{2}", "AB", "reserve_number_example AB är inget giltigt reservnummer"),
    ],
)
def test_a_bad_format_is_refused_in_swedish(pattern: str, example: str, message: str) -> None:
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(with_format(pattern, example))
    assert message in str(refused.value)
    assert "[identity]" in str(refused.value)


def test_a_misspelt_key_is_refused() -> None:
    text = with_format("RES-[0-9]{4}", "RES-1234") + "reserve_number_exmaple = 'x'\n"
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert "reserve_number_exmaple är inget namn som används här" in str(refused.value)


def test_the_example_is_read_as_a_typed_number_is() -> None:
    # Typed numbers are upper-cased and their spaces dropped before the format is checked:
    # the example is checked as the number it stands for.
    config = parse_site_config(with_format("RES-[0-9]{4}", "res-1234"))
    assert config.reserve_format is not None
    assert config.reserve_format.matches("RES-1234")


def test_the_site_page_refuses_a_bad_format_in_swedish_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = with_format("RES-[0-9]{4}", "RES-12")
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "[identity]: reserve_number_example RES-12 följer inte reserve_number_pattern" in page
    assert "reserve_number_pattern = 'RES-[0-9]{4}'" in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_the_editor_names_a_bad_example_in_english_when_english_is_chosen(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.post("/admin/site", data={"config_toml": with_format("[A-Z]{2}", "AB")})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert (
        "[identity]: reserve_number_example AB is not a valid reserve number: "
        "The temporary ID is too short"
    ) in page
