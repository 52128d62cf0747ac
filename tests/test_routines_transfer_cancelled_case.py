"""A transfer is not opened for a cancelled case: its images would go out (or come in) under
a case that no longer stands, with the patient the cancelled case named."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import ImageTransfer, User
from webapp.routines.services import RoutineError
from webapp.routines.transfer_services import TransferValues, create_transfer
from webapp.siteconfig import parse_site_config

from .routines_support import transfer_case, transfer_data

EXAMPLE = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))


def _cancelled_case(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    case_id, code = transfer_case(app, client, auth)
    response = client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
    )
    assert response.status_code == 302
    return case_id, code


def test_a_transfer_with_the_code_of_a_cancelled_case_is_refused_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case_id, code = _cancelled_case(app, client, auth)
    refused = client.post(
        "/routines/transfers/new",
        data=transfer_data(case_code=code, patient_ref="", note="Ring före 14"),
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    error = page[page.index('id="case_code-error"') :]
    assert "makulerat" in error[:400]
    assert f'value="{code}"' in page and "Ring före 14" in page
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None


def test_a_restored_case_can_have_its_images_transferred(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _cancelled_case(app, client, auth)
    auth.login("radiologist")
    assert (
        client.post(f"/cases/{case_id}/restore", data={"reason": "Fel ärende"}).status_code == 302
    )
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(case_code=code))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer.case_id)) == case_id


def test_a_case_cancelled_as_the_transfer_is_written_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _code = _cancelled_case(app, client, auth)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.role == "radiographer"))
        with pytest.raises(RoutineError, match="makulerat"):
            create_transfer(
                user=user,
                config=EXAMPLE,
                incident=None,
                values=TransferValues(
                    direction="send",
                    counterpart_key="grannby_us",
                    urgency="akut",
                    case_id=case_id,
                ),
            )
        assert db.session.scalar(select(ImageTransfer)) is None
