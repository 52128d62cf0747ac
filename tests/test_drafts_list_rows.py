"""Rows of the drafts list: one masking rule for every row, and twin drafts told apart."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

REFERRAL_KEY = "referral-" + "r" * 20


@pytest.fixture
def logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _rows(page: str) -> list[str]:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def test_a_referral_draft_shows_the_number_masked_as_the_list_masks_case_rows(
    client: FlaskClient, logged_in
) -> None:
    # The label is what the tablet builds (drafts.js labelFor): the number in full.
    label = "Åsa Öberg · 19800101-0027 · DT hjärna utan kontrast"
    client.put(
        f"/api/drafts/{REFERRAL_KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": label,
            "data": {
                "patient_name": "Åsa Öberg",
                "personal_number": "19800101-0027",
                "exam_text": "DT hjärna utan kontrast",
            },
        },
    )
    (row,) = _rows(client.get("/drafts").get_data(as_text=True))
    assert "0027" not in row
    assert "19800101-****" in row
    assert "Åsa Öberg" in row and "DT hjärna utan kontrast" in row
