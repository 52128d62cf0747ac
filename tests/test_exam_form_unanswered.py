"""The exam form, open at the modality, says what the case page says: a pregnancy question that
applies to the patient identified afterwards, or contrast questions the exam's contrast needs,
still unanswered on the referral."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, identity_data, referral_data, unidentified_referral_data

WOMAN_OF_36 = "199001010009"


def _identified_as_a_woman_of_36(client: FlaskClient, auth) -> str:
    """A CT for an unidentified man of about 70 (not asked about pregnancy), then identified."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    response = client.post(
        url + "/identity",
        data=identity_data(
            personal_number=WOMAN_OF_36,
            patient_name="Åsa Öberg",
            confirm_patient="y",
            confirm_patient_for=WOMAN_OF_36,
        ),
    )
    assert response.status_code == 302
    return str(url)


def test_the_exam_form_says_the_pregnancy_question_is_unanswered(client: FlaskClient, auth) -> None:
    url = _identified_as_a_woman_of_36(client, auth)
    page = client.get(url + "/exam").get_data(as_text=True)
    assert "Graviditet ej besvarad" in page
    assert f'href="{url}/referral"' in page


def test_the_exam_form_of_a_man_says_nothing_of_pregnancy(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert "Graviditet ej besvarad" not in client.get(url + "/exam").get_data(as_text=True)


def test_the_exam_form_says_contrast_given_lacks_the_referrals_answers(
    client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert "Kontrastfrågor ej besvarade" not in client.get(url + "/exam").get_data(as_text=True)
    given = exam_data(
        contrast_agent="Omnipaque 350", contrast_volume_ml="80", contrast_batch_unknown="y"
    )
    assert client.post(url + "/exam", data=given).status_code == 302
    assert "Kontrastfrågor ej besvarade" in client.get(url + "/exam").get_data(as_text=True)
