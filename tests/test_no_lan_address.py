"""A laptop that finds no address on the network knows only 127.0.0.1, which works on the laptop
itself: the sheets print no QR of it as if tablets could use it, and the admin screen says so."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from printforms.data_office import NO_ADDRESS
from webapp.network import started_lines

from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .printforms.test_printforms_pin_slips import slip_payloads
from .test_admin_users_bulk import _create, _slips

WARNING = "Datorns adress i nätverket kunde inte läsas"


@pytest.fixture
def no_lan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The network module finds no address but loopback (a laptop off every network)."""
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: [])


def test_the_binders_routines_print_no_qr_of_loopback_and_say_to_ask_the_admin(
    client: FlaskClient, auth, no_lan: None
) -> None:
    auth.login("admin")
    response = client.get("/blanks/routines.pdf")
    assert response.status_code == 200
    pdf = response.get_data()
    pages = decoded_payloads(pdf, STANDARD_FAX)
    assert len(pages) >= 6 and all(payloads == [] for payloads in pages)
    texts = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    # Under the title on every page, and in the box of what to do when the app cannot be reached.
    assert all(text.count(NO_ADDRESS) == 2 for text in texts)
    assert not any("127.0.0.1" in text or "Prova adressen i QR-koden" in text for text in texts)


def test_pin_slips_print_no_qr_of_loopback_and_say_to_ask_the_admin(
    client: FlaskClient, auth, no_lan: None
) -> None:
    auth.login("admin")
    pdf = _slips(client, _create(client).headers["Location"]).data
    assert slip_payloads(pdf) == [[[]] * 8]
    text = " ".join(pdf_text(pdf).split())
    assert text.count(NO_ADDRESS) == 3
    assert "127.0.0.1" not in text


def test_the_admin_screen_warns_and_shows_no_qr_for_tablets(
    client: FlaskClient, auth, no_lan: None
) -> None:
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert WARNING in page
    assert 'class="lan-qr"' not in page
    # The loopback address is named for what it is: this laptop's own.
    assert "http://127.0.0.1:80/" in page and "bara på den här datorn" in page
    assert client.get("/admin/lan-qr.svg").status_code == 404


def test_with_a_lan_address_the_admin_screen_shows_its_qr_and_no_warning(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["192.168.50.7"])
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert WARNING not in page
    assert 'class="lan-qr"' in page and "http://192.168.50.7:80/" in page
    qr = client.get("/admin/lan-qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"


def test_app_py_without_a_lan_address_says_tablets_cannot_reach_the_laptop() -> None:
    lines = started_lines("0.0.0.0", 8080, [])
    text = "\n".join(lines)
    assert "Öppna på surfplattorna" not in text
    assert "Surfplattorna kan inte nå datorn förrän den är ansluten till ett nätverk" in text
    # The laptop's own browser still works, and is named as such.
    assert "  I den här datorns webbläsare: http://127.0.0.1:8080/" in lines


def test_app_py_with_a_lan_address_offers_it_to_the_tablets() -> None:
    lines = started_lines("0.0.0.0", 8080, ["10.0.0.5", "192.168.50.7"])
    assert lines == [
        "Reservrutin är igång. Öppna på surfplattorna:",
        "  http://10.0.0.5:8080/",
        "  http://192.168.50.7:8080/",
    ]


def test_app_py_on_a_given_address_offers_that_address() -> None:
    assert started_lines("192.168.50.7", 8080, []) == [
        "Reservrutin är igång. Öppna på surfplattorna:",
        "  http://192.168.50.7:8080/",
    ]


def test_app_py_listening_on_loopback_only_says_tablets_cannot_reach_it() -> None:
    lines = started_lines("127.0.0.1", 8080, ["192.168.50.7"])
    text = "\n".join(lines)
    assert "Öppna på surfplattorna" not in text
    assert "Surfplattorna kan inte nå datorn" in text
    assert "--host 0.0.0.0" in text
    assert "  I den här datorns webbläsare: http://127.0.0.1:8080/" in lines
