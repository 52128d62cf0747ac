"""Misspelt sections and routine keys, and routine values of the wrong type, are refused in
Swedish naming what is wrong; a configuration stored before these checks still loads."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
# The example without its routines, for a routine written from scratch.
NO_ROUTINES = EXAMPLE.split("[routines.external_reviewer]")[0]


def _typed(replaced: str, typed: str) -> str:
    """The example with one line changed, or without routines and one added (replaced "")."""
    if not replaced:
        return NO_ROUTINES + typed
    assert replaced in EXAMPLE
    return EXAMPLE.replace(replaced, typed, 1)


@pytest.mark.parametrize(
    ("replaced", "typed", "message"),
    [
        ("", '[[exam]]\ncode = "DT-BUK"\nname = "DT buk"\nmodality = "CT"\n',
         "Avsnittet [exam] används inte här; kontrollera stavningen – menade du [exams]?"),
        ("[routines.transfer]\n", "[routines.transfers]\n",
         "routines: transfers är inget namn som används här; kontrollera stavningen – menade "
         "du transfer?"),
        ('fax_contact = "external_reviewer"', 'fax_contakt = "external_reviewer"',
         "routines.external_reviewer: fax_contakt är inget namn som används här; kontrollera "
         "stavningen – menade du fax_contact?"),
        ('dvd_hint = "', 'dvdhint = "',
         "routines.transfer: dvdhint är inget namn som används här; kontrollera stavningen – "
         "menade du dvd_hint?"),
        ('archive_name = "', 'archiv_name = "',
         "routines.release: archiv_name är inget namn som används här; kontrollera stavningen – "
         "menade du archive_name?"),
        ('region = "Region Grannby"', 'regoin = "Region Grannby"',
         "[[routines.transfer.counterparts]] 1 (grannby_us): regoin är inget namn som används här; "
         "kontrollera stavningen – menade du region?"),
        ('place = "Exempelstad"', 'plats = "Exempelstad"',
         "[[routines.transfer.link_computers]] 1 (LNK-0001): plats är inget namn som används här"),
        ('key = "modality"\n', 'key = "modality"\nhitn = "x"\n',
         "[[routines.external_reviewer.routes]] 1 (modality): hitn är inget namn som används här; "
         "kontrollera stavningen – menade du hint?"),
    ],
)  # fmt: skip
def test_a_misspelt_section_or_routine_key_is_refused_naming_it(
    replaced: str, typed: str, message: str
) -> None:
    text = _typed(replaced, typed)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert message in str(refused.value)
    # Stored before the check, it still loads (the laptop starts) and the admin is told.
    assert any(
        message in broken.text() for broken in parse_site_config(text, strict=False).broken_rules
    )


def test_a_misspelt_key_far_from_any_name_lists_the_names_instead() -> None:
    text = EXAMPLE.replace('dvd_hint = "', 'xyzzy = "', 1)
    with pytest.raises(SiteConfigError, match=re.escape("xyzzy är inget namn")) as refused:
        parse_site_config(text)
    assert "menade du" not in str(refused.value)
    assert "(möjliga: link_computers, via_regions," in str(refused.value)


def test_a_stored_configuration_with_a_misspelt_routine_key_still_serves(
    app: Flask, client: FlaskClient, auth
) -> None:
    stored = EXAMPLE.replace('fax_contact = "external_reviewer"', 'fax_contakt = "x"', 1)
    with app.app_context():
        db.session.get(Site, 1).config_toml = stored
        db.session.commit()
    auth.login("admin")
    assert client.get("/").status_code == 200
    page = html.unescape(client.get("/admin/").get_data(as_text=True))
    assert "routines.external_reviewer: fax_contakt är inget namn som används här" in page
    response = client.post("/admin/site", data={"config_toml": stored})
    assert response.status_code == 400
    assert "menade du fax_contact?" in html.unescape(response.get_data(as_text=True))


def test_site_page_refuses_a_misspelt_section_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace("[routines.release]\n", "[routines.relase]\n", 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "routines: relase är inget namn som används här" in page
    assert "menade du release?" in page
    assert "[routines.relase]" in page
    assert Path(app.config["DATA_DIR"], "site.toml").read_text(encoding="utf-8") == EXAMPLE


@pytest.mark.parametrize(
    ("replaced", "typed", "message"),
    [
        ('contacts = ["external_reviewer", "it_support", '
         '"oncall_radiologist"]', 'contacts = "external_reviewer"',
         'routines.external_reviewer: contacts ska vara en lista av texter, t.ex. '
         'contacts = ["…", "…"].'),
        ("", '[routines.external_reviewer.routes]\nkey = "modality"\n',
         "routines.external_reviewer: routes ska skrivas som block "
         "[[routines.external_reviewer.routes]] med en tabell per post."),
        ('via_regions = ["Region Grannby", "Region Västerby", "Region Söderby"]',
         'via_regions = ["Region Grannby", 7.5]',
         'routines.transfer: via_regions ska vara en lista av texter inom citattecken, t.ex. '
         'via_regions = ["…", "…"].'),
        ('via = ["Region Västerby", "Region Söderby"]', 'via = "Region Västerby"',
         "[[routines.transfer.counterparts]] 1 (grannby_us): via ska vara en lista av texter"),
        ('name = "LNK-0001"', "name = [1]",
         '[[routines.transfer.link_computers]] 1: name ska vara en text inom citattecken, t.ex. '
         'name = "…".'),
        ('archive_name = "Regionarkivet (BFR)"', "archive_name = true",
         'routines.release: archive_name ska vara en text inom citattecken'),
        ('dvd_hint = "', 'dvd_hint = ["',
         "routines.transfer: dvd_hint ska vara en text inom citattecken"),
        ("", "[routines]\ntransfer = 5\n", "[routines.transfer] ska vara en tabell"),
    ],
)  # fmt: skip
def test_a_routine_value_of_the_wrong_type_is_refused_naming_the_routine_and_key(
    replaced: str, typed: str, message: str
) -> None:
    text = _typed(replaced, typed)
    if typed.startswith('dvd_hint = ["'):
        text = text.replace('DVD:n följer med patienttransporten."', 'DVD"]', 1)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert message in str(refused.value)
    assert "object" not in str(refused.value) and "Fel struktur" not in str(refused.value)


ROUTINE_KEYS = (
    [
        ("external_reviewer", key)
        for key in (
            "contacts",
            "fax_contact",
            "who_calls_whom",
            "checklist",
            "admin_subject",
            "routes",
        )
    ]
    + [
        ("transfer", key)
        for key in ("link_computers", "via_regions", "counterparts", "first_steps", "dvd_hint")
    ]
    + [("release", key) for key in ("own_region_hospitals", "archive_name", "contacts", "media")]
)
WRONG_VALUES = ["5", '"text"', "[5]", "[{ a = 1 }]", "{ a = 1 }", "true", '[["a"]]']


@pytest.mark.parametrize("wrong", WRONG_VALUES)
@pytest.mark.parametrize(("section", "key"), ROUTINE_KEYS)
def test_any_wrong_type_in_a_routine_gets_a_swedish_message_or_loads(
    section: str, key: str, wrong: str
) -> None:
    text = NO_ROUTINES + f"[routines.{section}]\n{key} = {wrong}\n"
    for strict in (True, False):
        try:
            config = parse_site_config(text, strict=strict)
        except SiteConfigError as exc:
            message = str(exc)
            assert key in message and f"routines.{section}" in message, message
            assert "object" not in message and "Fel struktur" not in message, message
        else:
            assert strict is False or config.broken_rules == ()
