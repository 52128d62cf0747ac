"""Whom to phone: a "Ring nu" list or an urgent call never leaves staff under an empty heading."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site, utcnow

from .factories import exam_data, referral_data, report_data

NO_CONTACTS = (
    "Enhetens kontaktlista har inga nummer för det här. Ring enligt er skriftliga rutin, och be "
    "en administratör lägga in numren under Enhetens konfiguration."
)
NO_NUMBER = "Inget nummer i enhetens kontaktlista – be en administratör lägga in det"
NO_PHONE = "Remissen har inget telefonnummer till remittenten."
CALL_UNIT = "Ring remitterande enhet på numret som står på pappersremissen"


def _configure(app: Flask, old: str, new: str) -> None:
    """Edit site 1's stored configuration as an admin's save would."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert old in site.config_toml
        site.config_toml = site.config_toml.replace(old, new, 1)
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()


def _incident_page(client: FlaskClient) -> str:
    response = client.post("/incidents/new", data={"scenario": "integration"})
    assert response.status_code == 302
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def _calls_panel(page: str) -> str:
    found = re.search(r'<section class="panel" id="calls">(.*?)</section>', page, re.S)
    assert found, page
    return found.group(1)


def test_an_outage_without_contacts_to_call_says_what_to_do_instead(
    app: Flask, client: FlaskClient, auth
) -> None:
    _configure(app, 'calls = ["it_support", "tib"]', "calls = []")
    auth.login("radiographer")
    panel = _calls_panel(_incident_page(client))
    assert "Ring nu" in panel
    assert NO_CONTACTS in panel
    assert "<ul" not in panel


def test_an_outage_with_contacts_lists_them_to_call(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    panel = _calls_panel(_incident_page(client))
    assert 'href="tel:0999-30000"' in panel  # TiB
    assert "Tjänsteman i beredskap (TiB)" in panel
    assert NO_CONTACTS not in panel
    assert NO_NUMBER not in panel


def test_a_contact_without_a_number_says_an_administrator_adds_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    _configure(
        app, 'name = "Tjänsteman i beredskap (TiB)"\nphone = "0999-300 00"\n', 'name = "TiB"\n'
    )
    auth.login("radiographer")
    panel = _calls_panel(_incident_page(client))
    tib = panel[panel.index("<strong>TiB</strong>") :].split("</li>", 1)[0]
    assert NO_NUMBER in tib
    assert "IT-support (servicedesk)" in panel  # the other contact is still there to call


def test_the_reviewer_routine_without_contacts_says_what_to_do_instead(
    app: Flask, client: FlaskClient, auth
) -> None:
    _configure(
        app,
        'contacts = ["external_reviewer", "it_support", "oncall_radiologist"]',
        "contacts = []",
    )
    auth.login("radiologist")
    page = html.unescape(client.get("/routines/reviewer").get_data(as_text=True))
    panel = _calls_panel(page)
    assert NO_CONTACTS in panel
    assert "<ul" not in panel


def _case(client: FlaskClient, auth, **referral: object) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(**referral)).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _whom_panel(page: str) -> str:
    found = re.search(r'<section class="panel" id="whom">(.*?)</section>', page, re.S)
    assert found, page
    return found.group(1)


def test_the_call_screen_without_the_referrers_phone_says_whom_to_call(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, referrer_phone="")
    auth.login("radiologist")
    page = html.unescape(client.get(f"/reporting/{case_id}/call").get_data(as_text=True))
    panel = _whom_panel(page)
    assert NO_PHONE in panel
    assert CALL_UNIT in panel
    assert "Remittent: <bdi>Dr Åberg</bdi>, Akutmottagningen · Svarsfax 0999-123 46" in panel
    assert "tel:" not in panel


def test_the_call_screen_shows_the_referrers_phone_to_call(client: FlaskClient, auth) -> None:
    case_id = _case(client, auth)
    auth.login("radiologist")
    page = html.unescape(client.get(f"/reporting/{case_id}/call").get_data(as_text=True))
    panel = _whom_panel(page)
    assert 'href="tel:0999-12345"' in panel
    assert "<bdi>Dr Åberg</bdi>, Akutmottagningen" in panel
    assert NO_PHONE not in panel


def test_the_urgent_reminder_without_the_referrers_phone_says_whom_to_call(
    client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth, referrer_phone="", referrer_clinician="")
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}",
        data=report_data(
            findings="Subduralhematom höger.",
            conclusion="Akut blödning.",
            version="",
            is_urgent="y",
        ),
    )
    page = html.unescape(client.get(f"/reporting/{case_id}").get_data(as_text=True))
    reminder = page[page.index('class="flash flash-error call-reminder"') :].split("</div>", 1)[0]
    assert NO_PHONE in reminder
    assert "Remittent: Akutmottagningen · Svarsfax 0999-123 46" in reminder
    assert "Logga samtal till remittenten" in reminder
