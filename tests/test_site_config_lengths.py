"""A site configuration value longer than the column it is copied into is refused when saved."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

from .factories import referral_data
from .printforms.conftest import pdf_text
from .test_printing_changed import _sign

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
SCENARIO = "[scenarios.image_transfer]"


def _errors(page: str) -> list[str]:
    found = re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)
    return [html.unescape(re.sub("<[^>]+>", "", e)).strip() for e in found]


@pytest.mark.parametrize(
    ("replaced", "typed", "message"),
    [
        (SCENARIO, "[scenarios." + "s" * 41 + "]", "högst 40 tecken; nu är det 41"),
        ('name = "Integrationsmotorn nere (remisser når inte RIS)"', 'name = "' + "I" * 201 + '"',
         "scenariot integration: name får vara högst 200 tecken"),
        ('code = "rutin"', 'code = "' + "r" * 31 + '"',
         'prioritet "' + "r" * 31 + '": code får vara högst 30'),
        ('code = "US"', 'code = "' + "U" * 31 + '"',
         'modalitet "' + "U" * 31 + '": code får vara högst 30'),
        ('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 1", "' + "D" * 61 + '"]',
         'modalitet "CT": rooms får vara högst 60'),
        ('code = "CR-THX"', 'code = "' + "C" * 41 + '"',
         'undersökning "' + "C" * 41 + '": code får vara högst 40'),
        ('name = "Lungröntgen"', 'name = "' + "L" * 301 + '"',
         'undersökning "CR-THX": name får vara'),
        ('name = "Röntgen Exempelstad"', 'name = "' + "R" * 201 + '"', "[site]: name får vara"),
        ('care_unit = "Röntgen Exempelstad"', 'care_unit = "' + "R" * 201 + '"',
         "[site]: care_unit får vara högst 200"),
        ('{ key = "it_called",', '{ key = "' + "k" * 61 + '",',
         'scenariot integration, avisering "' + "k" * 59 + '…": key får vara högst 60'),
        ('fax = "0999-100 01"', 'fax = "' + "0" * 41 + '"', "[site]: fax får vara högst 40"),
        ('key = "grannby_us"', 'key = "' + "g" * 61 + '"', "g" * 61 + "): key får vara högst 60"),
        ('key = "modality"', 'key = "' + "m" * 41 + '"', "m" * 41 + "): key får vara högst 40"),
        ('via_regions = ["Region Grannby"', 'via_regions = ["' + "R" * 201 + '"',
         "routines.transfer.via_regions får vara högst 200"),
    ],
)  # fmt: skip
def test_a_value_longer_than_its_column_is_refused_beside_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth, replaced: str, typed: str, message: str
) -> None:
    assert replaced in EXAMPLE
    auth.login("admin")
    text = EXAMPLE.replace(replaced, typed, 1)
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(message in e for e in _errors(page)), _errors(page)
    assert typed in html.unescape(page)  # nothing typed is lost
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_a_stored_configuration_with_a_too_long_value_still_loads_listing_the_rule() -> None:
    # Saved before the rule: the laptop must still start in an outage.
    text = EXAMPLE.replace('code = "rutin"', 'code = "' + "r" * 31 + '"', 1)
    config = parse_site_config(text, strict=False)
    assert any(
        'prioritet "' + "r" * 31 + '": code får vara högst 30' in b.text()
        for b in config.broken_rules
    )


def test_values_as_long_as_their_columns_can_be_used_by_staff(client: FlaskClient, auth) -> None:
    scenario = "s" * 40
    priority = "p" * 30
    text = EXAMPLE.replace(SCENARIO, f"[scenarios.{scenario}]", 1).replace(
        'code = "rutin"', f'code = "{priority}"', 1
    )
    text = text.replace('name = "Bildöverföring', 'name = "' + "B" * 150 + " Bildöverföring", 1)
    auth.login("admin")
    assert client.post("/admin/site", data={"config_toml": text}).status_code == 302
    auth.logout()
    auth.login("radiographer")
    assert client.post("/incidents/new", data={"scenario": scenario}).status_code == 302
    response = client.post("/cases/new", data=referral_data(priority=priority))
    assert response.status_code == 302, _errors(response.get_data(as_text=True))


def test_toml_nested_too_deep_is_refused_in_swedish(client: FlaskClient, auth) -> None:
    auth.login("admin")
    text = EXAMPLE + "\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    assert "nästlade för djupt" in " ".join(_errors(response.get_data(as_text=True)))


DEPARTMENT = 'department = "Bild- och funktionsmedicin, Exempelstads sjukhus"'


def test_a_department_longer_than_a_sheet_can_carry_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The department is the sender on every faxed sheet; 400 characters took the anonymised
    # report onto a second page, as the reply contact's name was limited for.
    auth.login("admin")
    typed = 'department = "' + "Bild och funktionsmedicin " * 8 + '"'
    response = client.post("/admin/site", data={"config_toml": EXAMPLE.replace(DEPARTMENT, typed)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any("[site]: department får vara högst 200" in e for e in _errors(page)), _errors(page)
    assert typed in html.unescape(page)


def test_the_anonymised_report_of_a_department_at_its_limit_is_one_page(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    typed = 'department = "' + ("Bild och funktionsmedicin " * 8)[:200] + '"'
    with app.app_context():
        save_site_config(1, EXAMPLE.replace(DEPARTMENT, typed), None)
    _sign(client, auth, case_id)
    pdf = client.get(f"/print/cases/{case_id}/report-anon.pdf").get_data()
    assert "Sida 1 av 1" in pdf_text(pdf)
