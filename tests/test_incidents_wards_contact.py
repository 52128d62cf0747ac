"""[site] wards_contact: the contact who tells the wards how to refer now (the TiB at the example
site). The incident page names it by its configured name, or names no one when a site has none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

from .dbsetup import make_test_app
from .other_site_support import done, last_id, login, shown

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
SET = 'wards_contact = "tib"\n'
TIB = "Tjänsteman i beredskap (TiB)"
OTHER = "Beredskapschef"

Page = Callable[[str], str]


@pytest.fixture
def incident_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    """The open incident's page, on an app with the site file given, in a language."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    apps: list[Callable[[], None]] = []

    def page(site: str, lang: str = "sv") -> str:
        (tmp_path / "site.toml").write_text(site, encoding="utf-8")
        app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
        apps.append(teardown)
        client = app.test_client()
        incident_id = _declare(app, client)
        if lang == "en":
            client.post("/language", data={"lang": "en", "next": "/"})
        return " ".join(shown(client.get(f"/incidents/{incident_id}")).split())

    yield page
    for teardown in apps:
        teardown()


def _declare(app: Flask, client: FlaskClient) -> str:
    login(app, client, "radiographer")
    return last_id(done(client.post("/incidents/new", data={"scenario": "integration"})))


def test_the_example_site_names_its_tib_on_the_list_and_in_the_scenario_hint(
    incident_page: Page,
) -> None:
    assert SET in EXAMPLE
    page = incident_page(EXAMPLE)
    assert f"Ärendelista (maskerad) för {TIB}" in page
    assert f"{TIB} informerar avdelningarna om hur de remitterar nu" in page


def test_a_site_calling_its_contact_otherwise_is_named_by_its_own_name(
    incident_page: Page,
) -> None:
    page = incident_page(EXAMPLE.replace(TIB, OTHER))
    assert f"Ärendelista (maskerad) för {OTHER}" in page
    assert f"{OTHER} informerar avdelningarna om hur de remitterar nu" in page
    assert "TiB informerar" not in page and "för TiB" not in page


def test_a_site_without_the_contact_names_no_one(incident_page: Page) -> None:
    page = incident_page(EXAMPLE.replace(SET, ""))
    assert "Ärendelista (maskerad)" in page and "Ärendelista (maskerad) för" not in page
    assert "kontakterna görs på nytt, så att avdelningarna får veta hur de remitterar nu" in page
    assert "TiB informerar" not in page and "för TiB" not in page


def test_an_english_page_names_the_contact_in_the_sites_words(incident_page: Page) -> None:
    page = incident_page(EXAMPLE, "en")
    assert f"Case list (masked) for {TIB}" in page
    assert f"{TIB} tells the wards how to refer now" in page


def test_a_misspelt_wards_contact_is_refused_naming_the_contact() -> None:
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(EXAMPLE.replace(SET, 'wards_contact = "tibb"\n'))
    assert "wards_contact: kontakten tibb finns inte bland [[contacts]]" in refused.value.text()
