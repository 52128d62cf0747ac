"""A patient identified after the referral may turn out to be someone the pregnancy question is
asked of: the case says it is unanswered until it is."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .factories import identity_data, unidentified_referral_data

WOMAN_OF_36 = "199001010009"


@pytest.fixture
def corrected_url(client: FlaskClient, auth) -> str:
    """An unidentified man of about 70 for a CT (no pregnancy question), then identified as a
    woman of childbearing age."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    response = client.post(
        url + "/identity",
        # Of the other sex than the one seen: confirmed as the right patient.
        data=identity_data(
            personal_number=WOMAN_OF_36,
            patient_name="Åsa Öberg",
            confirm_patient="y",
            confirm_patient_for=WOMAN_OF_36,
        ),
    )
    assert response.status_code == 302
    return url


def test_the_case_page_says_the_pregnancy_question_is_unanswered(
    client: FlaskClient, corrected_url: str
) -> None:
    assert "Graviditet ej besvarad" in client.get(corrected_url).get_data(as_text=True)


def test_the_board_says_the_pregnancy_question_is_unanswered(
    client: FlaskClient, corrected_url: str
) -> None:
    assert "Graviditet ej besvarad" in client.get("/board/").get_data(as_text=True)


def test_the_warning_goes_once_the_referral_has_the_answer(
    client: FlaskClient, corrected_url: str
) -> None:
    from .factories import hidden_value

    form = client.get(corrected_url + "/referral").get_data(as_text=True)
    data = {
        **unidentified_referral_data(),
        "form_key": "p" * 20,
        "version": hidden_value(form, "version"),
        "case_version": hidden_value(form, "case_version"),
    }
    refused = client.post(corrected_url + "/referral", data=data)
    assert refused.status_code == 400  # the edit asks it now that the patient is known
    data["pregnancy"] = "no"
    assert client.post(corrected_url + "/referral", data=data).status_code == 302
    assert "Graviditet ej besvarad" not in client.get(corrected_url).get_data(as_text=True)
    assert "Graviditet ej besvarad" not in client.get("/board/").get_data(as_text=True)


def test_an_unidentified_man_is_not_asked(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    assert "Graviditet ej besvarad" not in client.get(url).get_data(as_text=True)
    assert "Graviditet ej besvarad" not in client.get("/board/").get_data(as_text=True)
