"""The site configuration's values are checked by type, with a message naming the entry."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config

from .factories import referral_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


def _errors(page: str) -> list[str]:
    found = re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)
    return [html.unescape(re.sub("<[^>]+>", "", e)).strip() for e in found]


@pytest.mark.parametrize(
    ("typed", "replaced", "message"),
    [
        ('rank = "hög"', "rank = 1", 'prioritet "akut": rank ska vara ett heltal'),
        ("rank = inf", "rank = 1", 'prioritet "akut": rank ska vara ett heltal'),
        ("rank = 1.5", "rank = 1", 'prioritet "akut": rank ska vara ett heltal'),
        ('max_wait_minutes = "en timme"', "max_wait_minutes = 60",
         'prioritet "akut": max_wait_minutes ska vara ett heltal'),
        ("max_wait_minutes = -5", "max_wait_minutes = 60",
         'prioritet "akut": max_wait_minutes ska vara minuter (0 eller mer)'),
        # A wait past what a date holds made every board, worklist and case page fail.
        ("max_wait_minutes = 100000000000", "max_wait_minutes = 60",
         'prioritet "akut": max_wait_minutes ska vara högst 43200'),
        # A rank past what a database integer holds made the board fail on every load.
        ("rank = 100000000000000000000", "rank = 1",
         'prioritet "akut": rank ska vara mellan -1000 och 1000'),
        ("rank = -1001", "rank = 1", 'prioritet "akut": rank ska vara mellan -1000 och 1000'),
        ('rooms = "DT 1"', 'rooms = ["DT 1", "DT 2"]', 'modalitet "CT": rooms ska vara en lista'),
        ('four_eyes = "nej"', "four_eyes = true", "[site]: four_eyes ska vara true eller false"),
        ('contrast = "ja"', "contrast = true",
         'undersökning "CT-HJA": contrast ska vara true eller'),
        ('pregnancy = "nej"', "pregnancy = true", 'modalitet "CR": pregnancy ska vara true eller'),
        ('code = "akut"', 'code = "inom_timmar"', "Prioriteten akut finns två gånger"),
        ('code = "CR"\nname = "Datortomografi"', 'code = "CT"\nname = "Datortomografi"',
         "Modaliteten CR finns två gånger"),
        ('code = "CR-THX"', 'code = "CR-HOFT"', "Undersökningen CR-THX finns två gånger"),
        ('key = "it_support"', 'key = "it_jour"', "Kontakten it_support finns två gånger"),
        ('hours = "mon-fri 07:00-17:00"', 'hours = ["mon-fri 07:00-17:00"]',
         'kontakt "it_support": hours ska vara en lista'),
        ('still_works = "Journalsystemet"', 'still_works = ["Journalsystemet", "RIS", "PACS"]',
         "scenariot integration: still_works ska vara en lista"),
        ("phone = 0.5", 'phone = "0999-100 00"', "[site]: phone ska vara en text"),
        ('name = ["Röntgen"]', 'name = "Röntgen Exempelstad"', "[site]: name ska vara en text"),
        ('code = "  "', 'code = "akut"', "prioritet 1: 'code' saknas (bara mellanslag)"),
        ('name = " "', 'name = "Röntgen Exempelstad"', "[site]: 'name' saknas (bara mellanslag)"),
    ],
)  # fmt: skip
def test_site_config_with_a_wrong_type_is_refused_naming_the_entry(
    typed: str, replaced: str, message: str
) -> None:
    assert replaced in EXAMPLE
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(EXAMPLE.replace(replaced, typed, 1))
    assert message in str(raw := raised.value), raw


def test_priorities_written_as_one_table_are_refused() -> None:
    text = (
        '[site]\ncode = "X"\nname = "X"\n[priorities]\ncode = "akut"\nlabel = "Akut"\n'
        '[[modalities]]\ncode = "CT"\nname = "DT"\n[scenarios.s]\nname = "S"\n'
    )
    with pytest.raises(SiteConfigError, match=re.escape("[[priorities]] ska skrivas som block")):
        parse_site_config(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[site]\nname = “Röntgen”\n", "Ogiltigt värde på rad 2, kolumn 8."),
        ("[site\n", "Avsnittsnamnet saknar sin avslutande ] på rad 1, kolumn 6."),
        ('name = "Röntgen', "Texten saknar sitt avslutande citattecken i slutet av filen."),
        ("[site]\nname = 'a' = 'b'\n", "Ny rad saknas efter värdet på rad 2, kolumn 12."),
        ('[site]\n\nname = "a\\q"\n', "Syntaxfel på rad 3, kolumn 12."),
    ],
)
def test_toml_syntax_error_is_told_in_swedish_with_line_and_column(text: str, message: str) -> None:
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text)
    assert str(raised.value) == f"TOML-filen går inte att läsa: {message}"


def test_site_page_tells_a_toml_syntax_error_in_swedish(client: FlaskClient, auth) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace('name = "Röntgen Exempelstad"', "name = “Röntgen Exempelstad”", 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    errors = _errors(response.get_data(as_text=True))
    assert any(re.search(r"Ogiltigt värde på rad \d+, kolumn 8\.", e) for e in errors), errors
    assert not any("Invalid" in e or "at line" in e for e in errors), errors


def test_example_site_config_is_read_with_its_types() -> None:
    config = parse_site_config(EXAMPLE)
    assert [p.rank for p in config.priorities] == [1, 2, 3]
    assert [p.max_wait_minutes for p in config.priorities] == [60, 360, 0]
    assert config.modality("CT").rooms == ("DT 1", "DT 2")
    assert config.four_eyes is True
    assert config.modality("US").pregnancy is False


@pytest.mark.parametrize("rank", ['"hög"', "inf"])
def test_site_config_with_a_bad_rank_gets_a_message_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth, rank: str
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace("rank = 1", f"rank = {rank}", 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any('prioritet "akut": rank ska vara ett heltal' in e for e in _errors(page))
    assert f"rank = {rank}" in html.unescape(page)
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_a_text_is_parsed_once_and_a_broken_one_is_refused_every_time() -> None:
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    assert parse_site_config(text, strict=False) is parse_site_config(text, strict=False)
    renamed = text.replace('name = "', 'name = "Nya ', 1)
    assert parse_site_config(renamed).name != parse_site_config(text).name
    broken = text.replace("[site]", "[sajt]", 1)
    for _ in range(2):
        with pytest.raises(SiteConfigError, match=r"\[site\] saknas"):
            parse_site_config(broken)


def test_a_stored_rank_too_large_still_loads_and_the_board_still_sorts(
    app: Flask, client: FlaskClient, auth
) -> None:
    text = EXAMPLE.replace("rank = 3", "rank = 100000000000000000000", 1)
    config = parse_site_config(text, strict=False)
    assert [p.rank for p in config.priorities] == [1, 2, 1000]
    assert any('prioritet "rutin": rank ska vara mellan' in r.text() for r in config.broken_rules)
    with app.app_context():
        db.session.get(Site, 1).config_toml = text
        db.session.commit()
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    assert client.post("/cases/new", data=referral_data(priority="rutin")).status_code == 302
    assert client.get("/board/").status_code == 200


@pytest.mark.parametrize(
    ("replaced", "typed", "message"),
    [
        ('mr_safety = true', 'mr_saftey = true', 'modalitet "MR": mr_saftey är inget namn'),
        ('contrast = true', 'kontrast = true', 'undersökning "CT-HJA": kontrast är inget namn'),
        ('max_wait_minutes = 60', 'max_wait = 60', 'prioritet "akut": max_wait är inget namn'),
        ('fallback = "it_jour"', 'reserv = "it_jour"', 'kontakt "it_support": reserv är inget'),
        ("four_eyes = true", "four_eye = true", "[site]: four_eye är inget namn"),
        ('calls = ["it_support", "tib"]', 'call = ["it_support", "tib"]',
         "scenariot integration: call är inget namn"),
        ('{ key = "it_called", label', '{ key = "it_called", text = "", label',
         'scenariot integration, avisering "it_called": text är inget namn'),
    ],
)  # fmt: skip
def test_a_misspelt_name_is_refused_rather_than_its_setting_left_off(
    replaced: str, typed: str, message: str
) -> None:
    # mr_saftey = true read as nothing left the MR safety questions unasked, with no word said.
    assert replaced in EXAMPLE
    text = EXAMPLE.replace(replaced, typed, 1)
    with pytest.raises(SiteConfigError, match=re.escape(message)):
        parse_site_config(text)
    # Saved before the rule, it still loads (the laptop starts) and the admin is told.
    assert any(message in r.text() for r in parse_site_config(text, strict=False).broken_rules)


def test_site_page_names_a_misspelt_name_beside_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace("mr_safety = true", "mr_saftey = true", 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any("mr_saftey är inget namn som används här" in e for e in _errors(page))
    assert "mr_saftey = true" in html.unescape(page)
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE
