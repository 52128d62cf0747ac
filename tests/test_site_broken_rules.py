"""A stored configuration that breaks a rule added since it was saved still starts the laptop."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError, parse_site_config
from webapp.startup import prepare

from .factories import DEFAULT_PIN, make_user, store_earlier_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
LETTERS = EXAMPLE.replace('fax = "0999-500 01"', 'fax = "0999-500 01 (vx)"', 1)
NO_FALLBACK = EXAMPLE.replace('fallback = "fax_main"', "", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LETTERS, 'kontakt "fax_small_site": fax ska vara ett nummer'),
        (NO_FALLBACK, 'kontakt "fax_small_site": har öppettider men ingen reservkontakt'),
    ],
)
def test_a_relaxed_read_lists_the_broken_rule_that_a_save_refuses(text: str, message: str) -> None:
    assert text != EXAMPLE
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert message in str(refused.value)
    config = parse_site_config(text, strict=False)
    assert any(message in broken.text() for broken in config.broken_rules), config.broken_rules
    assert parse_site_config(EXAMPLE, strict=False).broken_rules == ()


def test_a_stored_configuration_breaking_a_newer_rule_starts_and_the_admin_is_told(
    app: Flask, client: FlaskClient
) -> None:
    store_earlier_config(app, LETTERS)
    prepare(app)  # the start-up read of the files
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == LETTERS
        make_user(role="admin", username="exsadmin", site_id=1)
    client.post("/login", data={"username": "exsadmin", "secret": DEFAULT_PIN})
    for url in ("/admin/", "/admin/site"):
        page = html.unescape(client.get(url).get_data(as_text=True))
        assert "bryter mot regler som har tillkommit" in page, url
        assert 'kontakt "fax_small_site": fax ska vara ett nummer' in page, url
    # Staff pages keep working on the stored configuration.
    assert client.get("/").status_code == 200
    # The next save must mend it.
    response = client.post("/admin/site", data={"config_toml": LETTERS})
    assert response.status_code == 400
    response = client.post("/admin/site", data={"config_toml": EXAMPLE})
    assert response.status_code == 302
    page = html.unescape(client.get("/admin/site").get_data(as_text=True))
    assert "bryter mot regler som har tillkommit" not in page
