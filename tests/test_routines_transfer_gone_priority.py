"""A transfer whose urgency the site configuration no longer has names it in words, not by code."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import ImageTransfer

from .routines_support import transfer_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
HOURS_BLOCK = (
    '[[priorities]]\ncode = "inom_timmar"\nlabel = "Inom timmar"\nrank = 2\n'
    "max_wait_minutes = 360\n\n"
)


def _transfer(client: FlaskClient, auth, urgency: str) -> int:
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(urgency=urgency))
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _pages(client: FlaskClient, auth, transfer_id: int) -> tuple[str, str]:
    auth.login("radiographer")
    listed = client.get("/routines/transfers").get_data(as_text=True)
    shown = client.get(f"/routines/transfers/{transfer_id}").get_data(as_text=True)
    return html.unescape(listed), html.unescape(shown)


def _urgency_cell(page: str) -> str:
    # The list's fifth column is the urgency.
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[4].strip()


def test_a_transfer_whose_priority_was_removed_shows_the_label_it_had(
    app: Flask, client: FlaskClient, auth
) -> None:
    assert HOURS_BLOCK in EXAMPLE
    transfer_id = _transfer(client, auth, "inom_timmar")
    auth.login("admin")
    saved = client.post("/admin/site", data={"config_toml": EXAMPLE.replace(HOURS_BLOCK, "")})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    auth.logout()
    listed, shown = _pages(client, auth, transfer_id)
    assert _urgency_cell(listed) == "Inom timmar"
    assert "· Inom timmar ·" in shown
    assert "inom_timmar" not in listed + shown


def test_a_transfer_whose_priority_no_configuration_had_is_shown_as_unknown_with_its_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(client, auth, "akut")
    with app.app_context():
        # As a transfer from before a site file was replaced by hand and its history cleared.
        db.session.execute(update(ImageTransfer).values(urgency="gammal_kod"))
        db.session.commit()
        assert db.session.scalar(select(ImageTransfer.urgency)) == "gammal_kod"
    listed, shown = _pages(client, auth, transfer_id)
    assert _urgency_cell(listed) == "okänd prioritet (gammal_kod)"
    assert "· okänd prioritet (gammal_kod) ·" in shown


def test_an_unknown_priority_is_named_in_english_too(app: Flask, client: FlaskClient, auth) -> None:
    transfer_id = _transfer(client, auth, "akut")
    with app.app_context():
        db.session.execute(update(ImageTransfer).values(urgency="gammal_kod"))
        db.session.commit()
    auth.login("radiographer")
    client.post("/language", data={"lang": "en", "next": "/"})
    listed, shown = _pages(client, auth, transfer_id)
    assert _urgency_cell(listed) == "unknown priority (gammal_kod)"
    assert "· unknown priority (gammal_kod) ·" in shown


def test_a_transfer_keeps_showing_the_label_its_priority_has_now(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(client, auth, "inom_timmar")
    listed, shown = _pages(client, auth, transfer_id)
    assert _urgency_cell(listed) == "Inom timmar"
    assert "· Inom timmar ·" in shown
