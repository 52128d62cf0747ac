"""With [site] reply_contact, the sheets print where to answer the site as it is at the moment of
printing: the small site's fax with its hours by day, the fallback's fax after them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .test_cases_cancel_notice import _cancel, _new_case
from .test_printing_changed import _print, _sign

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=STOCKHOLM)
TUESDAY_EVENING = datetime(2026, 11, 24, 19, 0, tzinfo=STOCKHOLM)
CHRISTMAS_DAY = datetime(2026, 12, 25, 10, 0, tzinfo=STOCKHOLM)
ANSWERS = "Fax / telefon svarar mån–fre 07:30–15:30; därefter 0999-100 01 / 0999-100 00"


@pytest.fixture
def small_site(app: Flask) -> None:
    """The example site answered by the small site's fax by day."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        documented = '# reply_contact = "fax_small_site"'
        assert documented in site.config_toml
        text = site.config_toml.replace(documented, 'reply_contact = "fax_small_site"', 1)
        save_site_config(site.id, text, None)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr("webapp.printing.reply_contact.local_now", lambda: moment)


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.mark.usefixtures("small_site")
def test_the_report_printed_by_day_gives_the_small_sites_fax_and_its_hours(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    _at(monkeypatch, TUESDAY_MORNING)
    pdf = _print(client, case_id, "report")
    text = _text(pdf)
    assert "Fax / telefon 0999-500 01 / 0999-500 00" in text and ANSWERS in text
    assert "Sida 1 av 1" in text
    assert all(len(page) == 1 for page in decoded_payloads(pdf, STANDARD_FAX))


@pytest.mark.usefixtures("small_site")
@pytest.mark.parametrize("moment", [TUESDAY_EVENING, CHRISTMAS_DAY], ids=["evening", "holiday"])
def test_the_report_printed_after_hours_gives_the_fallbacks_fax(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, case_id: int, moment: datetime
) -> None:
    _sign(client, auth, case_id)
    _at(monkeypatch, moment)
    text = _text(_print(client, case_id, "report"))
    assert "0999-100 01 / 0999-100 00" in text
    assert "0999-500 01" not in text and "0999-500 00" not in text
    assert "svarar" not in text  # the main fax answers round the clock


@pytest.mark.usefixtures("small_site")
def test_the_anonymised_referral_tells_the_reviewer_where_to_answer_by_the_hour(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    _at(monkeypatch, TUESDAY_MORNING)
    day = _text(_print(client, case_id, "referral-anon"))
    assert (
        "Svar till Röntgen Lillby (fax), fax 0999-500 01 "
        "(mån–fre 07:30–15:30; därefter fax 0999-100 01)"
    ) in day
    _at(monkeypatch, TUESDAY_EVENING)
    night = _text(_print(client, case_id, "referral-anon"))
    assert "Röntgen Exempelstad (fax), fax 0999-100 01" in night
    assert "0999-500 01" not in night
    # The same referral printed again later is a copy: the hour changed, not the case.
    assert "KOPIA" in night and "ÄNDRAD" not in night


@pytest.mark.usefixtures("small_site")
def test_the_cancel_notice_gives_the_phone_that_answers_when_it_is_printed(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    _cancel(client, url)
    notice = url.replace("/cases/", "/print/cases/") + "/cancel-notice.pdf"
    _at(monkeypatch, TUESDAY_MORNING)
    day = _text(client.get(notice).get_data())
    assert "ring Bild- och funktionsmedicin, Exempelstads sjukhus, telefon 0999-500 00" in day
    assert ANSWERS in day
    _at(monkeypatch, TUESDAY_EVENING)
    night = _text(client.get(notice).get_data())
    assert "telefon 0999-100 00" in night and "0999-500 00" not in night


def test_without_a_reply_contact_the_sheets_give_the_sites_own_fax_at_any_hour(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id)
    _at(monkeypatch, TUESDAY_MORNING)
    report = _text(_print(client, case_id, "report"))
    assert "0999-100 01 / 0999-100 00" in report and "0999-500" not in report
    assert "därefter" not in report
    anonymised = _text(_print(client, case_id, "referral-anon"))
    assert "Bild- och funktionsmedicin, Exempelstads sjukhus, fax 0999-100 01" in anonymised
