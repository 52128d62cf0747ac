"""The binder's routines of a department that shares nothing with the example site: its own
scenarios, contacts, numbers and hours, and nothing of the example's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.siteconfig import parse_site_config

from .dbsetup import make_test_app
from .other_site_support import NORDMARK, leaks, login
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text
from .routine_print_support import expected_of_scenario, scenario_texts

# Nordmark's service desk answers on its own hours; outside them its on-duty chief does, who
# has hours too, and outside those the radiology back-up.
HOURS = NORDMARK.replace(
    'name = "Nordmarks driftcentral"\nphone = "0111-333 00"\n',
    'name = "Nordmarks driftcentral"\nphone = "0111-333 00"\nmenu = "Tryck 4 för bild"\n'
    'hours = ["tis-tor 06:30-14:00", "lör 10:00-13:00"]\nfallback = "beredskap"\n',
).replace(
    'name = "Chef i beredskap"\nphone = "0111-333 10"\n',
    'name = "Chef i beredskap"\nphone = "0111-333 10"\nhours = ["mån-sön 14:00-06:30"]\n'
    'fallback = "bakjour"\n',
)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark, its contacts with hours."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("webapp.network.lan_addresses", lambda: ["10.20.30.40"])
    assert HOURS.count("hours = ") == 2
    (tmp_path / "site.toml").write_text(HOURS, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


def test_every_scenario_prints_its_own_contacts_hours_and_fallbacks(
    app: Flask, client: FlaskClient
) -> None:
    login(app, client, "admin")
    pdf = client.get("/blanks/routines.pdf").get_data()
    config = parse_site_config(HOURS)
    texts = scenario_texts(pdf)
    assert sorted(texts) == list(range(1, len(config.scenarios) + 1))
    for number, key in enumerate(config.scenarios, start=1):
        for expected in expected_of_scenario(config, key):
            assert expected in texts[number], (key, expected)
    chain = texts[1]
    for expected in (
        "Öppet: tis–tor 06:30–14:00, lör 10:00–13:00",
        "Utanför öppettiderna: Chef i beredskap. Telefon 0111-333 10. Öppet: mån–sön 14:00–06:30",
        "Utanför öppettiderna: Bakjour bild. Telefon 0111-333 30",
    ):
        assert expected in chain, expected
    assert "Bildmedicin Nordmark" in chain
    assert leaks(pdf_text(pdf)) == []
    found = decoded_payloads(pdf, STANDARD_FAX)
    assert found and all(payloads == ["http://10.20.30.40:80/"] for payloads in found)


def test_the_sheet_calling_the_reviewer_names_its_own_escalation_contact(
    app: Flask, client: FlaskClient
) -> None:
    login(app, client, "admin")
    texts = scenario_texts(client.get("/blanks/routines.pdf").get_data())
    config = parse_site_config(HOURS)
    fjarr = list(config.scenarios).index("fjarr") + 1
    line = "Kvarstår felet: granskaren ringer in Bakjour bild. Telefon 0111-333 30."
    assert line in texts[fjarr]
    assert all(line not in text for number, text in texts.items() if number != fjarr)
