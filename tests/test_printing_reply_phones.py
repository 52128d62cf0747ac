"""A reply contact with two phone numbers: the sheets give both where they say whom to call."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .test_cases_cancel_notice import _cancel, _new_case
from .test_printing_changed import _print, _sign
from .test_printing_reply_contact import TUESDAY_MORNING, _at, _text

SMALL_SITE_PHONE = 'fax = "0999-500 01"\nphone = "0999-500 00"'


@pytest.fixture
def small_site_with_two_phones(app: Flask) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        documented = '# reply_contact = "fax_small_site"'
        assert documented in site.config_toml and SMALL_SITE_PHONE in site.config_toml
        text = site.config_toml.replace(documented, 'reply_contact = "fax_small_site"', 1)
        text = text.replace(
            SMALL_SITE_PHONE, 'fax = "0999-500 01"\nphone = ["0999-500 00", "0999-500 02"]', 1
        )
        save_site_config(site.id, text, None)


@pytest.mark.usefixtures("small_site_with_two_phones")
def test_the_report_gives_both_phone_numbers_of_the_reply_contact_on_one_page(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    _at(monkeypatch, TUESDAY_MORNING)
    text = _text(_print(client, case_id, "report"))
    assert "Fax / telefon 0999-500 01 / 0999-500 00 eller 0999-500 02" in text
    assert "Sida 1 av 1" in text


@pytest.mark.usefixtures("small_site_with_two_phones")
def test_the_cancel_notice_gives_both_phone_numbers_to_call(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    _at(monkeypatch, TUESDAY_MORNING)
    notice = url.replace("/cases/", "/print/cases/") + "/cancel-notice.pdf"
    assert "telefon 0999-500 00 eller 0999-500 02" in _text(client.get(notice).get_data())
