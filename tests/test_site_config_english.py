"""The site-configuration editor's messages in the admin's language: English when chosen, the
Swedish text unchanged otherwise."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.startup import prepare

from .conftest import AuthActions
from .factories import store_earlier_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
MODALITY_NAMES = "code, name, rooms, pregnancy, mr_safety"

# (the text saved, its message in Swedish, in English): each a message built from parts, the
# part naming where in the file translated with it.
REFUSED = [
    (
        "[site]\ncode = = 1",
        "TOML-filen går inte att läsa: Ogiltigt värde på rad 2, kolumn 8.",
        "The TOML file cannot be read: Invalid value on line 2, column 8.",
    ),
    (
        EXAMPLE.replace("mr_safety = true", "mr_saftey = true", 1),
        'modalitet "MR": mr_saftey är inget namn som används här; kontrollera stavningen – menade '
        f"du mr_safety? (möjliga: {MODALITY_NAMES}).",
        'modality "MR": mr_saftey is not a name used here; check the spelling – did you mean '
        f"mr_safety? (possible: {MODALITY_NAMES}).",
    ),
    (
        EXAMPLE.replace('hours = ["mon-fri 07:30-15:30"]', 'hours = ["mån-fre 7-15"]', 1),
        'kontakt "fax_small_site": '
        "öppettiden 'mån-fre 7-15' ska skrivas som t.ex. 'mån-fre 07:00-15:30' eller "
        "'mon-fri 07:00-15:30'.",
        'contact "fax_small_site": '
        "the opening hours 'mån-fre 7-15' must be written as e.g. 'mon-fri 07:00-15:30' "
        "(Swedish day names work too).",
    ),
    (
        EXAMPLE.replace('fallback = "fax_main"', "", 1),
        'kontakt "fax_small_site": '
        "har öppettider men ingen reservkontakt; ange med "
        'fallback = "…" '
        'vem som gäller utanför dem (t.ex. jourhavande), eller med after_hours = "…" vad som '
        "gäller när ingen svarar då, eller ta bort hours om kontakten svarar dygnet runt.",
        'contact "fax_small_site": '
        "has opening hours but no fallback contact; give with "
        'fallback = "…" '
        'who answers outside them (e.g. the on-call doctor), or with after_hours = "…" what '
        "applies when no one answers then, or remove hours if the contact answers around the "
        "clock.",
    ),
    (
        EXAMPLE.replace('[[exams]]\ncode = "', '[[exams]]\nkod = "x"\ncode = "', 1),
        'undersökning "CR-THX": '
        "kod är inget namn som används här; kontrollera stavningen "
        "(möjliga: code, name, modality, contrast, pregnancy, mr_safety, sided).",
        'exam "CR-THX": '
        "kod is not a name used here; check the spelling "
        "(possible: code, name, modality, contrast, pregnancy, mr_safety, sided).",
    ),
]


def _field_error(page: str) -> str:
    found = re.search(r'<p class="error" id="config_toml-error"[^>]*>(.*?)</p>', page, re.S)
    assert found is not None, "no error beside the field"
    text = re.sub(r"<[^>]+>", "", found.group(1))
    return html.unescape(" ".join(text.split()))


def _saved(client: FlaskClient, text: str) -> tuple[int, str]:
    response = client.post("/admin/site", data={"config_toml": text})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(("text", "swedish", "english"), REFUSED)
def test_the_editor_refuses_in_english_when_english_is_chosen(
    client: FlaskClient, auth: AuthActions, text: str, swedish: str, english: str
) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    status, page = _saved(client, text)
    assert status == 400
    assert _field_error(page) == english


@pytest.mark.parametrize(("text", "swedish", "english"), REFUSED)
def test_the_editor_refuses_in_the_same_swedish_as_before(
    client: FlaskClient, auth: AuthActions, text: str, swedish: str, english: str
) -> None:
    auth.login("admin")
    status, page = _saved(client, text)
    assert status == 400
    assert _field_error(page) == swedish


def test_a_code_still_used_in_an_open_outage_is_refused_in_english(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    # The case's room DT 1 goes; its case still names it.
    status, page = _saved(client, EXAMPLE.replace('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]'))
    assert status == 400
    message = _field_error(page)
    assert message.startswith("The configuration lacks codes used in ongoing outages: ")
    assert "the room DT 1 (case " in message
    assert "ärende" not in message and "rummet" not in message


def test_a_stored_broken_rule_is_listed_in_english(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    letters = EXAMPLE.replace('fax = "0999-500 01"', 'fax = "0999-500 01 (vx)"', 1)
    store_earlier_config(app, letters)
    prepare(app)
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    page = html.unescape(client.get("/admin/site").get_data(as_text=True))
    assert (
        'contact "fax_small_site": '
        "fax must be a number of digits, spaces and hyphens, e.g. "
        'fax = "035-123 45 67"; it now says "0999-500 01 (vx)".' in page
    )
    assert "ska vara ett nummer" not in page
