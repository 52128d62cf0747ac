"""A scenario says outright whether RIS still works in it (ris_works): a release of images made
then is written in the referral notes in RIS at once. Left out, RIS is taken to be down."""

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
# The integration scenario's line: the first scenario of the example.
RIS_UP = 'still_works = ["Journalsystemet", "RIS", "PACS"]\nris_works = true\n'


def test_the_example_says_which_scenarios_have_ris_working() -> None:
    scenarios = parse_site_config(EXAMPLE).scenarios
    working = {key for key, s in scenarios.items() if s.ris_works}
    assert working == {"integration", "pacs", "external_reviewer", "image_transfer"}
    assert not scenarios["om_ris"].ris_works and not scenarios["total"].ris_works


def test_a_scenario_without_ris_works_has_ris_down() -> None:
    assert RIS_UP in EXAMPLE
    text = EXAMPLE.replace(RIS_UP, 'still_works = ["Journalsystemet", "RIS", "PACS"]\n', 1)
    assert parse_site_config(text).scenarios["integration"].ris_works is False


@pytest.mark.parametrize("typed", ['"ja"', "1", '["RIS"]'])
@pytest.mark.parametrize("strict", [True, False])
def test_ris_works_of_another_type_is_refused_in_swedish(typed: str, strict: bool) -> None:
    text = EXAMPLE.replace("ris_works = true", f"ris_works = {typed}", 1)
    with pytest.raises(SiteConfigError) as raised:
        parse_site_config(text, strict=strict)
    assert "scenariot integration: ris_works ska vara true eller false" in str(raised.value)


def test_the_site_page_refuses_ris_works_in_quotes_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace("ris_works = true", 'ris_works = "ja"', 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "scenariot integration: ris_works ska vara true eller false" in page
    assert 'ris_works = "ja"' in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE
