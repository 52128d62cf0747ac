"""A closed transfer's troubleshooting lists are a record: no tick is added after the close,
also not from a page opened before it."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import TransferCheck

from .routines_support import transfer_data


def _open_then_closed(client: FlaskClient, auth) -> tuple[str, str]:
    """A transfer's page as drawn while open (its first item's key), then the transfer closed."""
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    item = re.search(r'name="item" value="([0-9a-f]{12})"', page)
    assert item is not None
    closed = client.post(
        url + "/close", data={"close-status": "abandoned", "close-note": "Patienten åker"}
    )
    assert closed.status_code == 302
    return url, item.group(1)


def test_a_tick_sent_from_a_page_opened_before_the_close_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, item = _open_then_closed(client, auth)
    response = client.post(
        url + "/checks", data={"list_key": "first", "item": item, "is_done": "1"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Överföringen är avslutad." in page
    with app.app_context():
        assert db.session.scalar(select(TransferCheck)) is None


def test_a_closed_transfer_shows_its_lists_without_live_ticks(client: FlaskClient, auth) -> None:
    url, _item = _open_then_closed(client, auth)
    page = client.get(url).get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" class="tick"[^>]*>', page)
    assert buttons and all(" disabled" in b for b in buttons)


def test_a_tick_with_an_unknown_state_keeps_the_item_done(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Read as "not 1", such a state once unticked a done item unasked.
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    item = re.search(r'name="item" value="([0-9a-f]{12})"', client.get(url).get_data(as_text=True))
    assert item is not None
    tick = {"list_key": "first", "item": item.group(1)}
    client.post(url + "/checks", data=tick | {"is_done": "1"})
    client.post(url + "/checks", data=tick | {"is_done": "ja"})
    with app.app_context():
        states = list(db.session.scalars(select(TransferCheck.is_done).order_by(TransferCheck.id)))
    assert states == [True]
