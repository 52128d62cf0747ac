"""The tablets' address follows the address the server listens on: started on loopback, no tablet
reaches it, so no screen or sheet offers the laptop's LAN address as if one could."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from printforms.data_office import NO_ADDRESS
from webapp.network import lan_addresses

from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .proof.helpers import Client, ServerProcess, prepare_data_dir

LAN = "http://192.168.50.7:80/"
CANNOT_CONNECT = "surfplattorna kan inte ansluta"


@pytest.fixture
def lan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The laptop has a LAN address, as the network module finds it."""
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["192.168.50.7"])


def _listening_on(app: Flask, host: str) -> None:
    app.config["LISTEN_HOST"] = host


def _page_texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "::1", "localhost"])
def test_on_loopback_the_admin_screen_says_tablets_cannot_connect_and_shows_no_qr(
    app: Flask, client: FlaskClient, auth, lan: None, host: str
) -> None:
    _listening_on(app, host)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert CANNOT_CONNECT in page and "--host 0.0.0.0" in page
    assert 'class="lan-qr"' not in page and "192.168.50.7" not in page
    assert client.get("/admin/lan-qr.svg").status_code == 404


def test_on_loopback_the_binders_routines_print_no_address(
    app: Flask, client: FlaskClient, auth, lan: None
) -> None:
    _listening_on(app, "127.0.0.1")
    auth.login("admin")
    pdf = client.get("/blanks/routines.pdf").get_data()
    pages = decoded_payloads(pdf, STANDARD_FAX)
    assert len(pages) >= 6 and all(payloads == [] for payloads in pages)
    texts = _page_texts(pdf)
    assert all(NO_ADDRESS in text for text in texts)
    assert not any("192.168.50.7" in text or "127.0.0.1" in text for text in texts)


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_on_every_address_the_laptops_lan_address_is_offered_as_before(
    app: Flask, client: FlaskClient, auth, lan: None, host: str
) -> None:
    _listening_on(app, host)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'class="lan-qr"' in page and LAN in page and CANNOT_CONNECT not in page
    pdf = client.get("/blanks/routines.pdf").get_data()
    assert all(payloads == [LAN] for payloads in decoded_payloads(pdf, STANDARD_FAX))


def test_on_one_lan_address_that_address_is_offered(
    app: Flask, client: FlaskClient, auth, lan: None
) -> None:
    _listening_on(app, "10.20.30.40")
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'class="lan-qr"' in page and "http://10.20.30.40:80/" in page
    assert "192.168.50.7" not in page
    pdf = client.get("/blanks/routines.pdf").get_data()
    found = decoded_payloads(pdf, STANDARD_FAX)
    assert found and all(payloads == ["http://10.20.30.40:80/"] for payloads in found)


def test_on_one_ipv6_address_the_address_is_bracketed(
    app: Flask, client: FlaskClient, auth, lan: None
) -> None:
    _listening_on(app, "fd00::7")
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'class="lan-qr"' in page and "http://[fd00::7]:80/" in page


def test_behind_caddy_the_laptops_lan_address_is_offered_as_before(
    app: Flask, client: FlaskClient, auth, lan: None
) -> None:
    # make tls: the app listens on loopback, Caddy on the laptop's addresses in front of it.
    _listening_on(app, "127.0.0.1")
    app.config["BEHIND_PROXY"] = True
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'class="lan-qr"' in page and LAN in page and CANNOT_CONNECT not in page


def test_app_py_started_on_loopback_offers_the_tablets_no_address(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cookies = prepare_data_dir(data_dir, ["adm"], role="admin")["adm"]
    server = ServerProcess(data_dir, threads=2)  # python app.py --host 127.0.0.1
    server.start()
    try:
        client = Client(server.base_url, cookies=dict(cookies))
        page = client.get("/admin/").text
        assert CANNOT_CONNECT in page and 'class="lan-qr"' not in page
        for address in lan_addresses():
            assert address not in page
        request = urllib.request.Request(
            f"{server.base_url}/blanks/routines.pdf?scenario=pacs",
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            pdf = response.read()
        assert decoded_payloads(pdf, STANDARD_FAX) == [[]]
    finally:
        server.kill()


def test_on_one_long_ipv6_address_the_binder_prints_with_it_as_its_qr(
    app: Flask, client: FlaskClient, auth, lan: None
) -> None:
    # Over the 32 characters of a case's QR: the binder was refused as a failed print.
    _listening_on(app, "2001:db8:85a3:1234:5678:8a2e:370:7334")
    address = "http://[2001:db8:85a3:1234:5678:8a2e:370:7334]:80/"
    auth.login("admin")
    response = client.get("/blanks/routines.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    found = decoded_payloads(response.get_data(), STANDARD_FAX)
    assert found and all(payloads == [address] for payloads in found)
