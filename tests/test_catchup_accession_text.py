"""An accession of separators only ("-", ".") names no exam in RIS: it is refused at the field."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.ris_numbers import save_ris_ids
from webapp.catchup.services import CatchupError
from webapp.extensions import db
from webapp.models import CatchupRecord, User

from .catchup_world_support import world as world  # the fixture


def _accession(app: Flask, case_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(CatchupRecord.ris_accession).where(CatchupRecord.case_id == case_id)
        )


@pytest.mark.parametrize("typed", ["-", "- -", "...", "/", "_"])
def test_an_accession_of_separators_only_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, world, typed: str
) -> None:
    """Typed to get past the required field, it would let 'booked' be ticked and the case be
    reconciled with no RIS exam to match it to, and two such cases would not be flagged as one
    accession."""
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": typed, "ris_exam_number": "U 123"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page.split('id="ris_accession-error"', 1)[1].split("</p>", 1)[0]
    assert "Accessionsnumret ska innehålla bokstäver eller siffror" in error
    assert 'value="U 123"' in page  # what was typed is kept
    assert not _accession(app, case_id)


def test_the_service_refuses_an_accession_of_separators_only(app: Flask, world) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-secretary"))
        with pytest.raises(CatchupError):
            save_ris_ids(
                case_id=world["ids"][0],
                user=user,
                accession=" - ",
                exam_number="",
                allow_duplicate=False,
            )
    assert not _accession(app, world["ids"][0])


def test_an_accession_with_separators_and_digits_is_saved(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "exs-1000 01"})
    assert response.status_code == 302
    assert _accession(app, case_id) == "EXS-1000 01"


def test_an_accession_with_a_swedish_letter_is_refused_saying_which_letters_ris_takes(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": "ÖRE123", "ris_exam_number": "U 123"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page.split('id="ris_accession-error"', 1)[1].split("</p>", 1)[0]
    assert "Bara bokstäverna A–Z (inte å, ä, ö), siffror, mellanslag och - _ / ." in error
    assert 'value="ÖRE123"' in page
    assert not _accession(app, case_id)
