"""A transfer's latest tick and latest try are the ones written last, whatever the clock said.

A troubleshooting item unticked after the laptop's clock was set back carries an earlier time
than its tick, and a try logged then an earlier time than the try before it.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import ImageTransfer
from webapp.routines.queries import check_log, check_states

from .clock_support import clock_set_back
from .routines_support import transfer_data


def _transfer(client: FlaskClient, auth) -> tuple[str, str]:
    """A new transfer's address and the key of its first troubleshooting item."""
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    item = re.search(r'name="item" value="([0-9a-f]{12})"', client.get(url).get_data(as_text=True))
    assert item is not None
    return url, item.group(1)


def _transfer_id(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[-1])


def test_an_item_unticked_with_the_clock_set_back_stands_unticked(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, item = _transfer(client, auth)
    tick = {"list_key": "first", "item": item}
    assert client.post(url + "/checks", data={**tick, "is_done": "1"}).status_code == 302
    with clock_set_back():
        assert client.post(url + "/checks", data={**tick, "is_done": "0"}).status_code == 302
    with app.app_context():
        (state,) = check_states(_transfer_id(url)).values()
        assert not state.is_done
        assert [c.is_done for c in check_log(_transfer_id(url))] == [False, True]


def test_the_latest_try_is_the_one_logged_last_though_the_clock_was_set_back(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, _item = _transfer(client, auth)
    tried = client.post(url + "/attempts", data={"route": "direct", "outcome": "failed"})
    assert tried.status_code == 302
    with clock_set_back():
        tried = client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    assert tried.status_code == 302
    with app.app_context():
        transfer = db.session.get(ImageTransfer, _transfer_id(url))
        assert [a.outcome for a in transfer.attempts] == ["failed", "ok"]
