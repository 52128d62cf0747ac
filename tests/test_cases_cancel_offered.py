"""The case page offers a cancel only where the server would take it, and says why not."""

from __future__ import annotations

import html

from flask.testing import FlaskClient

from .catchup_support import book
from .factories import referral_data


def test_a_case_booked_in_ris_offers_no_cancel_and_says_why(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert "Makulera ärendet" in client.get(url).get_data(as_text=True)
    auth.login("secretary")
    book(client, int(url.rsplit("/", 1)[-1]))
    auth.login("radiographer")
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "Makulera ärendet" not in page and 'action="' + url + '/cancel"' not in page
    assert "Ärendet är redan bokat i RIS" in page
