"""The binder's referral blank names where a filled-in referral is faxed as the ward referral
form does: the site's referral faxes ([site] referral_fax), not its reply fax."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_blanks_reserve import batch_pdf_link

EXAMPLE_REFERRAL_FAX = 'referral_fax = ["fax_main", "fax_small_site"]'


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _blank(client: FlaskClient, auth, doc_kind: str = "BLR") -> bytes:
    auth.login("admin")
    reserved = client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": "1"})
    return client.get(batch_pdf_link(client, reserved)).get_data()


def _edit_site(app: Flask, old: str, new: str, appended: str = "") -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and old in site.config_toml
        save_site_config(site.id, site.config_toml.replace(old, new, 1) + appended, None)


def test_the_referral_blank_names_each_referral_fax_with_its_hours(
    client: FlaskClient, auth
) -> None:
    pdf = _blank(client, auth)
    text = _text(pdf)
    assert "Ifylld remiss faxas till Röntgen Exempelstad (fax): fax 0999-100 01" in text
    assert (
        "Röntgen Lillby (fax): fax 0999-500 01, telefon 0999-500 00 (mån–fre 07:30–15:30; "
        "därefter Röntgen Exempelstad (fax), fax 0999-100 01)"
    ) in text
    assert "Sida 1 av 1" in text
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


def test_the_referral_blank_names_the_referral_fax_not_the_reply_fax(
    app: Flask, client: FlaskClient, auth
) -> None:
    _edit_site(
        app,
        EXAMPLE_REFERRAL_FAX,
        'referral_fax = ["referral_desk"]',
        '\n[[contacts]]\nkey = "referral_desk"\nname = "Remissmottagningen"\nfax = "0999-700 01"\n',
    )
    text = _text(_blank(client, auth))
    assert "Ifylld remiss faxas till Remissmottagningen: fax 0999-700 01" in text
    # The site's own fax (its reply fax) is not where the referral goes.
    assert "0999-100 01" not in text


def test_without_referral_fax_the_referral_blank_names_the_reply_fax(
    app: Flask, client: FlaskClient, auth
) -> None:
    _edit_site(app, EXAMPLE_REFERRAL_FAX, "")
    text = _text(_blank(client, auth))
    assert "Ifylld remiss faxas till 0999-100 01 · frågor: telefon 0999-100 00" in text


def test_the_report_blank_still_names_the_reply_fax(client: FlaskClient, auth) -> None:
    text = _text(_blank(client, auth, "BLU"))
    assert "Fax / telefon 0999-100 01 / 0999-100 00" in text
    assert "0999-500 01" not in text


def test_the_report_blank_of_a_site_without_numbers_has_a_box_to_write_them_in(
    app: Flask, client: FlaskClient, auth
) -> None:
    # [site] fax and phone are optional, and this site names no reply contact either.
    _edit_site(app, 'fax = "0999-100 01"\nphone = "0999-100 00"\n', "")
    pdf = _blank(client, auth, "BLU")
    text = _text(pdf)
    assert "Från Bild- och funktionsmedicin, Exempelstads sjukhus Fax / telefon (fyll i)" in text
    assert "0999-100 0" not in text
    assert "Sida 1 av 1" in text
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))
