"""The cancel form of a case with an image transfer still open says so before the tap: once
cancelled, no further try is logged under it, and the other hospital is waiting for images."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .routines_support import transfer_case, transfer_data

WARNING = 'id="cancel-transfer"'


def _cancel_box(page: str) -> str:
    start = page.index('id="cancel"')
    return page[start : page.index("</details>", start)]


def test_an_open_transfer_is_named_on_the_cancel_form(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    assert WARNING not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    url = client.post("/routines/transfers/new", data=transfer_data(case_code=code)).headers[
        "Location"
    ]
    box = _cancel_box(client.get(f"/cases/{case_id}").get_data(as_text=True))
    warning = box[box.index(WARNING) :]
    assert "Grannby universitetssjukhus" in warning[:800]
    assert "avbryt" in warning[:800].lower()
    # Ended, it waits for nothing: the form says no more of it.
    ended = client.post(
        url + "/close", data={"close-status": "abandoned", "close-note": "Patienten åker"}
    )
    assert ended.status_code == 302
    assert WARNING not in client.get(f"/cases/{case_id}").get_data(as_text=True)
