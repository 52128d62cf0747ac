"""The example site's routines each on one binder page, whatever address the laptop has.

The example is what a department copies, and its routines were nearly full: the QR of a
longer address (the default port 8080, an IPv6 address) grows the header, and four of the six
routines spilled their last lines onto a second page.
"""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import parse_site_config

from .factories import DEFAULT_PIN
from .printforms.conftest import FINE_FAX, STANDARD_FAX, decoded_payloads

CONFIG = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))

ADDRESSES = {
    "192.168.1.20": "http://192.168.1.20:8080",
    "fd12:3456:789a:1::a1b2": "http://[fd12:3456:789a:1::a1b2]:8080",
}


def _binder(client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch, lan: str) -> bytes:
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: [lan])
    auth.login("admin")
    login = {"username": "test-admin", "secret": DEFAULT_PIN}
    assert client.post("/login", data=login, base_url=ADDRESSES[lan]).status_code == 302
    response = client.get("/blanks/routines.pdf", base_url=ADDRESSES[lan])
    assert response.mimetype == "application/pdf"
    return response.get_data()


@pytest.mark.parametrize("lan", list(ADDRESSES))
def test_each_of_the_example_sites_routines_fits_one_page_at_port_8080(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch, lan: str
) -> None:
    pdf = _binder(client, auth, monkeypatch, lan)
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(CONFIG.scenarios)
    for page, scenario in zip(pages, CONFIG.scenarios.values(), strict=True):
        assert scenario.name in page and "Sida 1 av 1" in page
        # The routine's last item is on its one page, not on a second.
        last = (scenario.follow_up or scenario.notifications)[-1].label
        assert last in page


@pytest.mark.parametrize("resolution", [STANDARD_FAX, FINE_FAX])
def test_the_ipv6_address_reads_on_each_one_page_routine_at_fax_resolution(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch, resolution
) -> None:
    pdf = _binder(client, auth, monkeypatch, "fd12:3456:789a:1::a1b2")
    found = decoded_payloads(pdf, resolution)
    assert len(found) == len(CONFIG.scenarios)
    assert all(payloads == ["http://[fd12:3456:789a:1::a1b2]:8080/"] for payloads in found)
