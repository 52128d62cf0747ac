"""The anonymised report's header gives every phone number of the RIS administrator, as the
other sheets give every number of a contact ("… eller …"), beside its fax or e-mail."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .test_printing_changed import _print, _sign
from .test_printing_reply_contact import _text

ADMIN = 'phone = "0999-400 00"\nemail = "rispacs@exempel.invalid"'
TWO_PHONES = 'phone = ["0999-400 00", "0999-400 02"]'


def _admin_contact(app: Flask, replacement: str) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and ADMIN in site.config_toml
        save_site_config(site.id, site.config_toml.replace(ADMIN, replacement, 1), None)


def test_the_header_gives_the_e_mail_and_both_phone_numbers(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _admin_contact(app, TWO_PHONES + '\nemail = "rispacs@exempel.invalid"')
    _sign(client, auth, case_id)
    text = _text(_print(client, case_id, "report-anon"))
    assert "Till RIS/PACS-administratörer" in text
    assert "E-post / telefon rispacs@exempel.invalid / 0999-400 00 eller 0999-400 02" in text
    assert "Sida 1 av 1" in text


def test_a_contact_with_phones_only_gets_both_numbers(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _admin_contact(app, TWO_PHONES)
    _sign(client, auth, case_id)
    text = _text(_print(client, case_id, "report-anon"))
    assert "Telefon 0999-400 00 eller 0999-400 02" in text
    assert "E-post" not in text


@pytest.mark.parametrize("reach", ['fax = "0999-400 01"', 'email = "rispacs@exempel.invalid"'])
def test_a_contact_with_one_phone_gets_it_beside_its_fax_or_e_mail(
    app: Flask, client: FlaskClient, auth, case_id: int, reach: str
) -> None:
    _admin_contact(app, f'phone = "0999-400 00"\n{reach}')
    _sign(client, auth, case_id)
    text = _text(_print(client, case_id, "report-anon"))
    value = reach.split('"')[1]
    label = "Fax" if reach.startswith("fax") else "E-post"
    assert f"{label} / telefon {value} / 0999-400 00" in text
