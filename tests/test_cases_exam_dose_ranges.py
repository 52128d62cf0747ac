"""A dose or a count out of range is refused naming it and the accepted range; the limits stay."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import ExamRecord

from .factories import exam_data, referral_data


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _beside(page: str, field_id: str) -> str:
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


# A no-break space groups the thousands, so the range never wraps between its digits.
@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("dlp_mgycm", "100000,5", "Ange DLP i mGy·cm, 0–100\u00a0000."),
        ("ctdivol_mgy", "10001", "Ange CTDIvol i mGy, 0–10\u00a0000."),
        ("dap_gycm2", "-1", "Ange DAP i Gy·cm², 0–100\u00a0000."),
        ("fluoro_seconds", "36000,1", "Ange genomlysningstiden i sekunder, 0–36\u00a0000."),
        ("series_count", "10001", "Antal serier ska vara mellan 0 och 10\u00a0000."),
        ("image_count", "100001", "Antal bilder ska vara mellan 0 och 100\u00a0000."),
    ],
)
def test_a_dose_out_of_range_names_its_unit_and_range_and_keeps_the_typing(
    app: Flask, client: FlaskClient, case_url: str, field: str, typed: str, message: str
) -> None:
    response = client.post(case_url + "/exam", data=exam_data(**{field: typed}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _beside(page, field)
    assert f'value="{typed}"' in page
    assert message in EN
    with app.app_context():
        assert db.session.scalar(select(func.count(ExamRecord.id))) == 0


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        # A real overdose stays recordable: the limits are the old ones, only the words changed.
        ("dlp_mgycm", "100000", 100000.0),
        # With a DLP that is not smaller (a smaller one reads as the two swapped).
        ("ctdivol_mgy", "10 000", 10000.0),
        ("dap_gycm2", "0", 0.0),
        ("fluoro_seconds", "36000", 36000.0),
        ("series_count", "10000", 10000.0),
        ("image_count", "100000", 100000.0),
    ],
)
def test_a_dose_at_the_edge_of_its_range_is_taken(
    app: Flask, client: FlaskClient, case_url: str, field: str, typed: str, stored: float
) -> None:
    data = exam_data(**{"dlp_mgycm": "100000", field: typed})
    assert client.post(case_url + "/exam", data=data).status_code == 302
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord))
        assert float(getattr(exam, field)) == pytest.approx(stored)
