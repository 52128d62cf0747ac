"""The binder page prints every outage routine of the site, logs the print, and says when the
routines on paper no longer say what the configuration does."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import AuditEvent, PrintRecord, Site, User
from webapp.printing.sheets import fmt_time
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

from .factories import DEFAULT_PIN
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routine_print_support import expected_of_scenario, scenario_texts

STALE = "Rutinerna har ändrats sedan de skrevs ut – skriv ut pärmens rutiner igen"


@pytest.fixture
def lan(monkeypatch: pytest.MonkeyPatch) -> str:
    """The laptop's LAN address as the network module finds it."""
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["192.168.50.7"])
    return "http://192.168.50.7:80/"


def _print_rows(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (e.action, e.username, e.detail)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "print").order_by(AuditEvent.id)
            )
        ]


def _display_name(app: Flask, user_id: int) -> str:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return user.display_name


def _edit_site(app: Flask, old: str, new: str) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and old in site.config_toml
        save_site_config(site.id, site.config_toml.replace(old, new, 1), None)


def test_every_scenario_prints_every_contact_number_window_and_fallback(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    auth.login("admin")
    response = client.get("/blanks/routines.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    texts = scenario_texts(response.get_data())
    assert sorted(texts) == list(range(1, len(config.scenarios) + 1))
    for number, key in enumerate(config.scenarios, start=1):
        for expected in expected_of_scenario(config, key):
            assert expected in texts[number], (key, expected)
    # The external reviewer answers at night only; outside, the on-call radiologist does.
    reviewer = texts[list(config.scenarios).index("external_reviewer") + 1]
    assert "mån–sön 21:00–07:30" in reviewer
    assert "Utanför öppettiderna: Jourhavande radiolog. Telefon 0999-100 50" in reviewer


def test_every_page_carries_the_laptops_address_readable_at_fax_resolution(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    auth.login("admin")
    pdf = client.get("/blanks/routines.pdf").get_data()
    found = decoded_payloads(pdf, STANDARD_FAX)
    assert len(found) >= 6
    assert all(payloads == [lan] for payloads in found)
    assert pdf_text(pdf).count(lan) >= 2 * len(found)


def test_each_page_says_when_by_whom_and_from_which_configuration(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    admin = auth.login("admin")
    _edit_site(app, 'phone = "0999-300 00"', 'phone = "0999-300 33"')
    pdf = client.get("/blanks/routines.pdf").get_data()
    with app.test_request_context():
        site = db.session.get(Site, 1)
        assert site is not None
        saved = fmt_time(site.updated_at)
        printed = fmt_time(db.session.scalar(select(PrintRecord.at)))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    for page in pages:
        assert "Röntgen Exempelstad" in page
        assert f"Utskriven {printed} av {_display_name(app, admin.id)}" in page
        assert f"Enhetens konfiguration version 2, sparad {saved}" in page
    assert "0999-300 33" in pdf_text(pdf) and "0999-300 00" not in pdf_text(pdf)


def test_the_print_is_logged_in_the_access_log(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    auth.login("admin")
    client.get("/blanks/routines.pdf")
    client.get("/blanks/routines.pdf?scenario=pacs")
    rows = _print_rows(app)
    assert [r[:2] for r in rows] == [("print", "test-admin"), ("print", "test-admin")]
    assert rows[0][2] == "Rutiner vid driftstopp, alla 6, konfiguration version 1"
    assert rows[1][2] == "Rutin vid driftstopp: PACS nere, konfiguration version 1"
    assert "Rutiner vid driftstopp" in client.get("/admin/audit?action=print").get_data(
        as_text=True
    )


def test_one_scenario_prints_alone(app: Flask, client: FlaskClient, auth, lan: str) -> None:
    auth.login("admin")
    text = pdf_text(client.get("/blanks/routines.pdf?scenario=pacs").get_data())
    assert "PACS nere" in text and "Totalt avbrott" not in text
    assert "Rutin 3 av 6" in text
    assert client.get("/blanks/routines.pdf?scenario=nope").status_code == 404
    assert len(_print_rows(app)) == 1


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "secretary"])
def test_only_the_admin_prints_the_binders_routines(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    auth.login(role)
    assert client.get("/blanks/routines.pdf").status_code == 403
    assert client.get("/blanks/routines.pdf?scenario=pacs").status_code == 403
    assert _print_rows(app) == []
    with app.app_context():
        assert db.session.scalar(select(PrintRecord.id)) is None


def test_the_binder_page_warns_after_a_change_to_a_routine_until_printed_again(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    admin = auth.login("admin")
    page = client.get("/blanks/").get_data(as_text=True)
    assert "Rutinerna har inte skrivits ut för pärmen än." in page
    assert STALE not in page
    client.get("/blanks/routines.pdf")
    page = client.get("/blanks/").get_data(as_text=True)
    assert f"av {_display_name(app, admin.id)} (konfiguration version 1)" in page
    assert STALE not in page
    _edit_site(app, 'phone = "0999-200 99"', 'phone = "0999-200 98"')
    assert STALE in client.get("/blanks/").get_data(as_text=True)
    # One scenario printed anew leaves the rest of the binder as old as it was.
    client.get("/blanks/routines.pdf?scenario=pacs")
    assert STALE in client.get("/blanks/").get_data(as_text=True)
    client.get("/blanks/routines.pdf")
    page = client.get("/blanks/").get_data(as_text=True)
    assert STALE not in page
    assert "(konfiguration version 2)" in page


def test_a_change_the_routines_do_not_print_raises_no_warning(
    app: Flask, client: FlaskClient, auth, lan: str
) -> None:
    auth.login("admin")
    client.get("/blanks/routines.pdf")
    _edit_site(app, 'name = "Ultraljud buk"', 'name = "Ultraljud buk och njurar"')
    page = client.get("/blanks/").get_data(as_text=True)
    assert "(konfiguration version 1)" in page
    assert STALE not in page


def test_a_print_that_cannot_be_drawn_is_not_logged(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("admin")

    def broken(_data: object) -> bytes:
        raise ValueError("layout")

    monkeypatch.setattr("printforms.render_routines", broken)
    response = client.get("/blanks/routines.pdf")
    assert response.status_code == 302
    assert _print_rows(app) == []
    assert "Rutinerna har inte skrivits ut" in client.get("/blanks/").get_data(as_text=True)


def test_each_of_the_example_sites_routines_fits_one_page_with_the_box_first(
    client: FlaskClient, auth, lan: str
) -> None:
    auth.login("admin")
    pdf = client.get("/blanks/routines.pdf").get_data()
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    config = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
    # A binder sheet per routine: a page holding only a routine's tail wastes paper and can
    # come loose from its first page.
    assert len(pages) == len(config.scenarios)
    for text in pages:
        # Read first, as whoever opens the binder most likely cannot reach the laptop.
        assert text.index("Om Reservrutin inte går att nå") < text.index("Gör så här")
        # A routine without a follow-up leaves that section out rather than saying so.
        assert "ingen uppföljning" not in text


def test_a_laptop_on_two_networks_prints_the_address_the_admins_tablet_used(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wired and on the Wi-Fi: the tablets reach it on the address the printing tablet used.
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["10.0.0.5", "192.168.50.7"])
    auth.login("admin")

    def printed_from(base: str) -> list[list[str]]:
        login = {"username": "test-admin", "secret": DEFAULT_PIN}
        assert client.post("/login", data=login, base_url=base).status_code == 302
        response = client.get("/blanks/routines.pdf", base_url=base)
        assert response.mimetype == "application/pdf"
        return decoded_payloads(response.get_data(), STANDARD_FAX)

    found = printed_from("http://192.168.50.7:8080")
    assert found and all(payloads == ["http://192.168.50.7:8080/"] for payloads in found)
    # Printed on the laptop itself: its first LAN address, never the loopback one.
    assert printed_from("http://127.0.0.1:8080")[0] == ["http://10.0.0.5:8080/"]
