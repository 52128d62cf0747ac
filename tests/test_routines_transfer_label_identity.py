"""A transfer's DVD label printed before the patient's identity was corrected: the transfer
page says the disc and label name the earlier patient, until a new label is printed (a
transfer has no handover step to hold, so the page is where it is said)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .routines_support import transfer_case
from .test_routines_release_label_identity import CORRECTION, STALE
from .test_routines_transfer_disc_label import _dvd, _transfer


def test_a_label_printed_before_an_identity_correction_is_said_on_the_transfer_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    assert client.get(f"{url}/label.pdf").status_code == 200
    assert STALE not in client.get(url).get_data(as_text=True)
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert STALE in page
    assert "skriv ut en ny skivetikett" in page
    # A new label names the patient as corrected: nothing more to say.
    assert client.get(f"{url}/label.pdf").status_code == 200
    assert STALE not in client.get(url).get_data(as_text=True)


def test_a_correction_before_any_label_is_printed_says_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    _dvd(client, url)
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    assert STALE not in client.get(url).get_data(as_text=True)
