"""A contrast exam is never recorded without its referral's contrast questions saying so."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral

from .factories import referral_data


def test_a_catalogue_exam_with_contrast_is_stored_as_planned_with_contrast(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The box left unticked (or untick after picking): the answers were asked for the exam's
    # contrast, so the referral, its sheet and the reviewer's copy say it is with contrast.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(
        exam_text="DT lungartärer (lungemboli)",
        exam_code="CT-LE",
        contrast_allergy="no",
        metformin="no",
        kidney_unknown="y",
    )
    url = client.post("/cases/new", data=data).headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(Referral.contrast_planned)) is True
    assert "DT lungartärer (lungemboli) (med kontrast)" in client.get(url).get_data(as_text=True)
