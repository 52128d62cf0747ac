"""A transfer of a case registered with the patient's ID typed in, whose identity was corrected
since: the page no longer shows the earlier ID as if it were the patient's, beside the
corrected one in the header; it says it was the ID registered, before the correction."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .routines_support import transfer_case, transfer_data
from .test_routines_release_label_identity import CORRECTION

EARLIER = 'id="ref-earlier"'


def _meta(page: str) -> str:
    """The line under the header: the transfer's number, exam, case and what was typed."""
    start = page.index('<p class="meta">')
    return page[start : page.index("</p>", start)]


def test_the_id_typed_before_a_correction_is_said_to_be_the_earlier_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = client.post(
        "/routines/transfers/new",
        data=transfer_data(case_code=code, patient_ref="19121212-1212"),
    ).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert EARLIER not in page
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    page = client.get(url).get_data(as_text=True)
    # The header names the patient as corrected; the earlier ID is not shown as the patient's.
    assert "19800101-0027" in page
    assert "19121212-1212" not in _meta(page)
    warning = page[page.index(EARLIER) :]
    assert "19121212-1212" in warning[:600]
    assert "rättades" in warning[:600]


def test_a_transfer_with_no_case_shows_its_typed_id(app: Flask, client: FlaskClient, auth) -> None:
    transfer_case(app, client, auth)
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "19121212-1212" in page
    assert EARLIER not in page
