"""Helpers for the catch-up tests: the RIS accession is saved before 'booked' is ticked done."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from webapp.catchup.ris_numbers import save_ris_ids
from webapp.models import CATCHUP_STEPS, User


def accession_of(case_id: int) -> str:
    """A RIS accession of its own for each case: no duplicate to confirm."""
    return f"EXS{case_id:08d}"


def save_accession(client: FlaskClient, case_id: int, accession: str = "") -> None:
    """The logged-in secretary saves the case's RIS accession, as before ticking 'booked'."""
    response = client.post(
        f"/catchup/cases/{case_id}/ris", data={"ris_accession": accession or accession_of(case_id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def book(client: FlaskClient, case_id: int, **extra: str) -> TestResponse:
    """Save the RIS accession, then tick 'booked' done (the answer of the tick)."""
    save_accession(client, case_id)
    return client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1", **extra}
    )


def tick_all(client: FlaskClient, case_id: int, **extra: str) -> None:
    """Save the RIS accession, then tick every step done in RIS order."""
    save_accession(client, case_id)
    for step in CATCHUP_STEPS:
        client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1", **extra})


def record_accession(case_id: int, user: User, accession: str = "") -> None:
    """The service-level save_accession, for tests that tick through tick_step."""
    save_ris_ids(
        case_id=case_id,
        user=user,
        accession=accession or accession_of(case_id),
        exam_number="",
        allow_duplicate=False,
    )
