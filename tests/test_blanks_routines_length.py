"""The binder page says which routines print on more than one page, before they are printed:
a routine at the configuration's limits runs on, and the admin shortens its texts."""

from __future__ import annotations

import html
import io
import re
from collections import Counter

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

import printforms
from printforms import data_office as po
from webapp.extensions import db
from webapp.models import Site
from webapp.printing import routine_length
from webapp.sites import save_site_config

from .factories import DEFAULT_PIN

LAN = "fd12:3456:789a:1::a1b2"
BASE = f"http://[{LAN}]:8080"
# The longest a number may be (NUMBER_LENGTH), and a scenario's name and an after-hours text.
NUMBER = "+46 (0)31-373 77 95 12 34 56 78 90 123 4"
NAME = ("Länken till extern granskare nere (natt) " * 5)[:200]
AFTER = ("Ingen jour: vänta till vardag 07:00, eller ring TiB vid fara. " * 5)[:300]
AT_THE_LIMITS = (
    (
        'name = "Länken till extern granskare nere (natt)"',
        f'name = "{NAME}"',
    ),
    (
        'phone = ["0999-600 00", "0999-600 10", "0999-600 20"]\nfax = "0999-600 01"',
        f'phone = ["{NUMBER}", "{NUMBER}", "{NUMBER}"]\nfax = "{NUMBER}"',
    ),
    (
        'name = "IT-beredskap"\nphone = "0999-200 99"\n',
        f'name = "IT-beredskap"\nphone = "{NUMBER}"\nhours = ["mon-sun 17:00-07:00"]\n'
        f'after_hours = "{AFTER}"\n',
    ),
)


def _at_the_limits(app: Flask) -> None:
    assert len(NUMBER) == 40 and len(NAME) == 200 and len(AFTER) == 300
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        text = site.config_toml
        for old, new in AT_THE_LIMITS:
            assert old in text
            text = text.replace(old, new, 1)
        save_site_config(site.id, text, None)


def _login(client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: [LAN])
    auth.login("admin")
    login = {"username": "test-admin", "secret": DEFAULT_PIN}
    assert client.post("/login", data=login, base_url=BASE).status_code == 302


def _binder_page(client: FlaskClient) -> str:
    page = client.get("/blanks/", base_url=BASE).get_data(as_text=True)
    return html.unescape(page.split('id="routines"', 1)[1].split("</section>", 1)[0])


def test_the_binder_page_names_the_routine_that_prints_on_more_than_one_page(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at_the_limits(app)
    _login(client, auth, monkeypatch)
    said = _binder_page(client)
    pdf = client.get("/blanks/routines.pdf", base_url=BASE).get_data()
    # Each page names its routine ("Rutin 5 av 6"): the pages of each, as printed.
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    pages = Counter(re.findall(r"Rutin (\d+) av \d+", " ".join(texts)))
    long = {number: count for number, count in pages.items() if count > 1}
    assert list(long) == ["5"], pages  # the reviewer's routine, fifth of six
    assert f"Rutinen {NAME} blir {long['5']} sidor – korta texterna i konfigurationen" in said
    assert said.count("korta texterna i konfigurationen") == 1


def test_the_binder_page_says_nothing_of_length_when_every_routine_fits_one_page(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(client, auth, monkeypatch)
    assert "korta texterna" not in _binder_page(client)


def test_a_routine_that_cannot_be_laid_out_is_named_to_be_checked_by_eye(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = printforms.routines_over_one_page

    def fails_for_the_pacs_routine(data: po.RoutineBinderData) -> tuple[int, ...]:
        if any(s.name == "PACS nere" for s in data.scenarios):
            raise ValueError("a layout that fails")
        return real(data)

    monkeypatch.setattr(printforms, "routines_over_one_page", fails_for_the_pacs_routine)
    # Answers laid out by earlier tests in this process would hide the failure.
    routine_length._measured.cache_clear()
    _login(client, auth, monkeypatch)
    response = client.get("/blanks/", base_url=BASE)
    routine_length._measured.cache_clear()
    assert response.status_code == 200
    said = _binder_page(client)
    assert (
        "Längden på rutinen PACS nere kunde inte kontrolleras – "
        "se efter på utskriften om den blir mer än en sida"
    ) in said
    assert said.count("kunde inte kontrolleras") == 1  # the other routines were measured
