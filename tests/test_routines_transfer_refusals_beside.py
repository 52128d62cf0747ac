"""Each refusal of a transfer's forms is shown next to its field, with what was typed kept.

The tries and the close sit far down the transfer's page on a tablet: a refusal shown only at
the top of the page is not seen where the field is.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import ImageTransfer, TransferAttempt, User
from webapp.routines.services import FieldRefused
from webapp.routines.transfer_services import TransferValues, create_transfer, log_attempt
from webapp.siteconfig import parse_site_config

from .routines_support import transfer_data

EXAMPLE = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))
NOTE = "Ringde Grannby, de väntar"


def _url(client: FlaskClient, auth) -> str:
    auth.login("radiographer")
    return client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]


def _flashes(page: str) -> str:
    found = re.search(r'<div class="flashes".*?</div>', page, re.S)
    return found.group(0) if found else ""


def _beside(page: str, field_id: str, message: str) -> None:
    """The message in the field's own error, the field marked invalid and described by it,
    the summary linking to it, and no banner of it at the top."""
    error = re.search(rf'<p class="error" id="{field_id}-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None and message in error.group(1)
    control = re.search(rf'<(?:select|textarea|fieldset|input)[^>]*id="{field_id}(?:-0)?"', page)
    assert control is not None
    described = re.search(
        rf'aria-describedby="[^"]*{field_id}-error[^"]*"[^>]*aria-invalid="true"'
        rf'|aria-invalid="true"[^>]*aria-describedby="[^"]*{field_id}-error',
        page,
    )
    assert described is not None
    summary = page[page.index('id="error-summary"') :]
    assert re.search(rf'<a href="#{field_id}(?:-0)?">[^<]*{re.escape(message)}', summary)
    assert message not in _flashes(page)


@pytest.mark.parametrize(
    ("region", "message"),
    [("", "Välj grannregion."), ("Region Okänd", "Välj en grannregion från listan.")],
    ids=["none", "unlisted"],
)
def test_a_try_via_a_region_without_a_listed_region_is_refused_beside_the_region(
    app: Flask, client: FlaskClient, auth, region: str, message: str
) -> None:
    url = _url(client, auth)
    response = client.post(
        url + "/attempts",
        data={"route": "via_region", "via_region": region, "outcome": "failed", "note": NOTE},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    _beside(page, "via_region", message)
    assert f"{NOTE}</textarea>" in page
    chosen = r'<input[^>]*checked[^>]*value="via_region"|value="via_region"[^>]*checked'
    assert re.search(chosen, page)
    with app.app_context():
        assert db.session.scalar(select(TransferAttempt)) is None


def test_a_try_without_a_route_or_outcome_is_refused_beside_each(client: FlaskClient, auth) -> None:
    url = _url(client, auth)
    response = client.post(url + "/attempts", data={"note": NOTE})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    _beside(page, "route", "Välj väg.")
    _beside(page, "outcome", "Ange hur det gick.")
    assert f"{NOTE}</textarea>" in page


def test_abandoning_without_a_reason_is_refused_beside_the_note(client: FlaskClient, auth) -> None:
    url = _url(client, auth)
    response = client.post(url + "/close", data={"close-status": "abandoned"})
    assert response.status_code == 400
    _beside(response.get_data(as_text=True), "close-note", "Skriv varför")


def test_done_without_a_successful_try_is_refused_beside_how_it_ended(
    client: FlaskClient, auth
) -> None:
    url = _url(client, auth)
    response = client.post(url + "/close", data={"close-status": "done", "close-note": NOTE})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    _beside(page, "close-status", "Logga först det försök som lyckades.")
    assert f"{NOTE}</textarea>" in page


def _user(app: Flask) -> User:
    user = db.session.scalar(select(User).where(User.role == "radiographer"))
    assert user is not None
    return user


def test_the_services_refusal_of_an_unlisted_region_names_its_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The form checks the list first; the service's check (a list changed in between) must
    # also land next to the region, not in a banner.
    _url(client, auth)
    with app.test_request_context():
        transfer_id = db.session.scalar(select(ImageTransfer.id))
        assert transfer_id is not None
        with pytest.raises(FieldRefused) as refused:
            log_attempt(
                transfer_id=transfer_id,
                user=_user(app),
                config=EXAMPLE,
                route="via_region",
                via_region="Region Okänd",
                outcome="failed",
            )
    assert (refused.value.field, str(refused.value)) == (
        "via_region",
        "Välj en grannregion från listan.",
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"counterpart_key": "nowhere"}, "counterpart"),
        ({"exam_text": ""}, "exam_text"),
        ({"patient_ref": ""}, "patient_ref"),
        ({"case_id": 999_999}, "case_code"),
    ],
    ids=["counterpart", "exam", "patient", "case"],
)
def test_the_services_refusals_of_a_new_transfer_name_their_fields(
    app: Flask, client: FlaskClient, auth, values: dict[str, object], field: str
) -> None:
    auth.login("radiographer")
    typed = {
        "direction": "send",
        "counterpart_key": "grannby_us",
        "urgency": "akut",
        "exam_text": "DT hjärna",
        "patient_ref": "19121212-1212",
    }
    with app.test_request_context(), pytest.raises(FieldRefused) as refused:
        create_transfer(
            user=_user(app),
            config=EXAMPLE,
            incident=None,
            values=TransferValues(**(typed | values)),  # type: ignore[arg-type]
        )
    assert refused.value.field == field
