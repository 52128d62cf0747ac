"""The follow-up's page and sheet: who may open them, what they say, and what they never say."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.codes import incident_payload_prefix
from webapp.extensions import db
from webapp.models import Incident

from .factories import DEFAULT_PIN, audit_count, audit_events_since, declare_incident
from .followup_support import Seeded, identifying_strings, seed_ended_incident
from .other_site_support import visible
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text, raw_streams


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed_ended_incident(app)


def _login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_clinical_roles_are_refused_the_page_and_the_sheet(
    client: FlaskClient, auth, seeded: Seeded, role: str
) -> None:
    auth.login(role)
    assert client.get(f"/incidents/{seeded.incident_id}/followup").status_code == 403
    assert client.get(f"/incidents/{seeded.incident_id}/followup.pdf").status_code == 403


@pytest.mark.parametrize("username", ["fu-sara", "fu-admin"])
def test_secretaries_and_admins_open_the_page_and_the_sheet(
    client: FlaskClient, seeded: Seeded, username: str
) -> None:
    _login(client, username)
    page = client.get(f"/incidents/{seeded.incident_id}/followup")
    assert page.status_code == 200
    sheet = client.get(f"/incidents/{seeded.incident_id}/followup.pdf")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"


def test_the_page_and_the_sheet_give_the_outages_course_and_figures(
    client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-sara")
    page = visible(client.get(f"/incidents/{seeded.incident_id}/followup").get_data(as_text=True))
    text = " ".join(
        pdf_text(client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data()).split()
    )
    for shown in (page, text):
        # Declared 09:00 at the site, working again at 13:00, closed at 14:00.
        assert "2026-01-15 09:00" in shown and "2026-01-15 13:00" in shown
        assert "2026-01-15 14:00" in shown
        assert "4 h 00 min" in shown and "1 h 00 min" in shown
        assert "TiB informerad (informerar avdelningarna)" in shown
        for key in ("B", "C", "D", "E"):
            assert seeded.codes[key] in shown
        assert "Sara Sekreterare" in shown and "Sven Sekreterare" in shown
    assert "Över gränsen" in text and "Akut 3 30 70 60 90 60 2" in text
    assert "PÅGÅR" not in text


def test_the_page_and_the_sheet_list_the_images_that_were_only_on_the_modality(
    client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-sara")
    page = client.get(f"/incidents/{seeded.incident_id}/followup").get_data(as_text=True)
    page = " ".join(visible(page).split())
    text = " ".join(
        pdf_text(client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data()).split()
    )
    a, b = seeded.codes["A"], seeded.codes["B"]
    for shown in (page, text):
        assert "Bilder som bara fanns på modaliteten" in shown
        # A: examined 09:20, in PACS 13:05; B: examined 09:50, failed, still not in PACS.
        assert f"{a} 2026-01-15 09:20 2026-01-15 13:05 3 h 45 min" in shown
        assert f"{b} 2026-01-15 09:50 Inte än minst 4 h 10 min" in shown
    assert "Bilder bara på modaliteten 2 ärenden, 1 inte i PACS än" in text
    assert "2 ärenden, 1 inte i PACS än" in page


def test_no_patient_of_the_incident_is_named_on_the_page_or_the_sheet(
    client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-admin")
    page = client.get(f"/incidents/{seeded.incident_id}/followup").get_data(as_text=True)
    pdf = client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data()
    shown = {"page": page, "pdf": pdf_text(pdf), "pdf streams": raw_streams(pdf).decode("latin-1")}
    leaked = {
        (where, identifier)
        for where, text in shown.items()
        for identifier in identifying_strings()
        if identifier in text
    }
    assert leaked == set()
    # Nor what was typed about them: notes, reasons, questions, instructions, a draft.
    typed = ("Dubblett", "flyttad till annat sjukhus", "väntrummet", "Fall hos", "orolig")
    for free_text in (*typed, "Portovenös fas", "Isoleras, MRSA"):
        assert free_text not in page and free_text not in shown["pdf"]


def test_the_sheets_qr_carries_the_incidents_payload_at_fax_resolution(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-sara")
    pdf = client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data()
    with app.app_context():
        incident = db.session.get(Incident, seeded.incident_id)
        prefix = incident_payload_prefix(incident.id, stamp=incident.list_stamp)
    pages = decoded_payloads(pdf, STANDARD_FAX)
    assert pages and [p for p in pages] == [[f"{prefix}{n}"] for n in range(1, len(pages) + 1)]


def test_viewing_and_printing_write_access_log_rows_for_the_incident(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-sara")
    before = audit_count(app)
    client.get(f"/incidents/{seeded.incident_id}/followup")
    [view] = audit_events_since(app, before)
    assert (view.action, view.incident_id, view.username) == (
        "followup_view",
        seeded.incident_id,
        "fu-sara",
    )
    assert seeded.codes["C"] in view.detail
    before = audit_count(app)
    client.get(f"/incidents/{seeded.incident_id}/followup.pdf")
    [printed] = audit_events_since(app, before)
    assert (printed.action, printed.incident_id) == ("print", seeded.incident_id)
    assert "Uppföljning av driftstoppet" in printed.detail


def test_a_running_outage_is_marked_as_provisional(client: FlaskClient, auth) -> None:
    auth.login("admin")
    incident_id = declare_incident(client)
    page = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    assert 'id="provisional"' in page and "Driftstoppet pågår" in page
    text = pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data())
    assert "PÅGÅR" in text and "preliminär" in text
    assert "Pågår" in text


def test_a_drill_is_marked_as_a_drill(client: FlaskClient, auth) -> None:
    auth.login("admin")
    incident_id = declare_incident(client, drill=True)
    assert "ÖVNING" in pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data())


def test_the_incident_page_links_to_the_followup_for_secretaries_only(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    link = f'href="/incidents/{incident_id}/followup"'
    assert link not in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    auth.logout()
    auth.login("secretary")
    assert link in client.get(f"/incidents/{incident_id}").get_data(as_text=True)


@pytest.mark.parametrize("four_eyes", [True, False])
def test_the_sheet_says_as_the_page_whether_the_site_requires_four_eyes(
    app: Flask, client: FlaskClient, seeded: Seeded, four_eyes: bool
) -> None:
    from webapp.models import Site
    from webapp.sites import save_site_config

    if not four_eyes:
        with app.app_context():
            site = db.session.get(Site, 1)
            assert site is not None
            save_site_config(
                site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
            )
    _login(client, "fu-sara")
    page = visible(client.get(f"/incidents/{seeded.incident_id}/followup").get_data(as_text=True))
    text = " ".join(
        pdf_text(client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data()).split()
    )
    # Without the line, a reader of the sheet takes "0 av 4" checked for a failure.
    for shown in (page, text):
        assert ("Enheten kräver inte fyra ögon" in shown) is not four_eyes, shown
