"""Paper read at a later hour (the binder's blanks, a disc's label) names where to answer the
site as the fax sheets do: the reply contact, with its hours and whom after, at any hour."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routines_support import transfer_case
from .test_blanks_reserve import batch_pdf_link
from .test_printing_reply_contact import TUESDAY_EVENING, TUESDAY_MORNING, _at, small_site
from .test_routines_release_disc_label import BY_POST, _release
from .test_routines_transfer_disc_label import _dvd, _transfer

__all__ = ["small_site"]  # the fixture, used by name

HOURS = "mån–fre 07:30–15:30"


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def no_referral_fax(app: Flask) -> None:
    """The example site without [site] referral_fax: a filled-in referral blank is then faxed
    to the reply fax (with referral_fax, tests/test_blanks_referral_fax.py)."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        named = 'referral_fax = ["fax_main", "fax_small_site"]'
        assert named in site.config_toml
        save_site_config(site.id, site.config_toml.replace(named, "", 1), None)


def _blank(client: FlaskClient, auth, doc_kind: str) -> bytes:
    auth.login("admin")
    reserved = client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": "1"})
    return client.get(batch_pdf_link(client, reserved)).get_data()


@pytest.mark.usefixtures("no_referral_fax", "small_site")
@pytest.mark.parametrize("moment", [TUESDAY_MORNING, TUESDAY_EVENING], ids=["day", "evening"])
def test_the_blank_referral_is_faxed_to_the_reply_contact_by_day_and_the_fallback_after(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, moment
) -> None:
    # Filled in from the binder at any hour: the hours and the fax after them are on it.
    _at(monkeypatch, moment)
    pdf = _blank(client, auth, "BLR")
    text = _text(pdf)
    assert "Ifylld remiss faxas till 0999-500 01" in text
    assert f"{HOURS}; därefter fax 0999-100 01" in text
    assert "Sida 1 av 1" in text
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


@pytest.mark.usefixtures("small_site")
def test_the_blank_report_gives_the_reply_contacts_numbers_and_hours(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    _at(monkeypatch, TUESDAY_EVENING)
    pdf = _blank(client, auth, "BLU")
    text = _text(pdf)
    assert "0999-500 01 / 0999-500 00" in text
    assert f"{HOURS}; därefter 0999-100 01 / 0999-100 00" in text
    assert "Sida 1 av 1" in text
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


@pytest.mark.usefixtures("no_referral_fax")
def test_without_a_reply_contact_the_blank_referral_gives_the_sites_own_fax(
    client: FlaskClient, auth
) -> None:
    text = _text(_blank(client, auth, "BLR"))
    assert "Ifylld remiss faxas till 0999-100 01 · frågor: telefon 0999-100 00" in text
    assert "därefter" not in text


@pytest.mark.usefixtures("small_site")
def test_the_released_discs_label_gives_the_reply_contacts_phone_and_hours(
    monkeypatch: pytest.MonkeyPatch, app: Flask, client: FlaskClient, auth
) -> None:
    _at(monkeypatch, TUESDAY_EVENING)
    release_id = _release(app, client, auth, BY_POST)
    pdf = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    text = _text(pdf)
    assert (
        "Exempelstads sjukhus, tel 0999-500 00 (mån–fre 07:30–15:30; därefter tel 0999-100 00)"
    ) in text
    assert len(decoded_payloads(pdf, STANDARD_FAX)) == 1


@pytest.mark.usefixtures("small_site")
def test_the_transfers_disc_label_gives_the_reply_contacts_phone_and_hours(
    monkeypatch: pytest.MonkeyPatch, app: Flask, client: FlaskClient, auth
) -> None:
    _at(monkeypatch, TUESDAY_MORNING)
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    text = _text(client.get(url + "/label.pdf").get_data())
    assert (
        "Exempelstads sjukhus, tel 0999-500 00 (mån–fre 07:30–15:30; därefter tel 0999-100 00)"
    ) in text


@pytest.fixture
def fax_only_reply(app: Flask, small_site: None) -> None:
    """The small site's fax answers by day and has no phone (a contact's phone is optional)."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        phone = 'phone = "0999-500 00"\nhours = ["mon-fri 07:30-15:30"]'
        assert phone in site.config_toml
        text = site.config_toml.replace(phone, 'hours = ["mon-fri 07:30-15:30"]', 1)
        save_site_config(site.id, text, None)


@pytest.mark.usefixtures("fax_only_reply")
def test_a_disc_label_names_the_reply_contacts_fax_when_it_has_no_phone(
    monkeypatch: pytest.MonkeyPatch, app: Flask, client: FlaskClient, auth
) -> None:
    # The recipient of a disc must be able to reach its sender: the fax, as the report's "call
    # back" line gives a sender without a phone, with its hours and whom after.
    _at(monkeypatch, TUESDAY_EVENING)
    release_id = _release(app, client, auth, BY_POST)
    text = _text(client.get(f"/routines/releases/{release_id}/label.pdf").get_data())
    assert (
        "Exempelstads sjukhus, fax 0999-500 01 (mån–fre 07:30–15:30; därefter tel 0999-100 00)"
    ) in text


@pytest.mark.usefixtures("fax_only_reply")
def test_a_transfers_disc_label_names_the_reply_contacts_fax_when_it_has_no_phone(
    monkeypatch: pytest.MonkeyPatch, app: Flask, client: FlaskClient, auth
) -> None:
    _at(monkeypatch, TUESDAY_MORNING)
    _case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    text = _text(client.get(url + "/label.pdf").get_data())
    assert (
        "Exempelstads sjukhus, fax 0999-500 01 (mån–fre 07:30–15:30; därefter tel 0999-100 00)"
    ) in text
