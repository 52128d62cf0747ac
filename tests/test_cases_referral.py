"""Referral capture: validation, safety facts, idempotent submit, the incident it opens in."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.cases import creation
from webapp.codes import check_character
from webapp.extensions import db
from webapp.identity import MSG_RESERVE_LONG, luhn_check_digit
from webapp.models import Case, Incident, Referral, utcnow

from .factories import declare_incident, hidden_value, referral_data, unidentified_referral_data

# Right check digit, but there is no 13th month.
NO_SUCH_DATE = "19121312121" + str(luhn_check_digit("121312121"))


@pytest.fixture
def incident(client: FlaskClient, auth) -> int:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "integration"})
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _count_cases(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_valid_referral_opens_a_case_with_normalised_identity(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    response = client.post("/cases/new", data=referral_data(personal_number="121212+1212"))
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.patient_id == "191212121212"
        assert case.patient_id_kind == "personnummer"
        assert case.patient_sex == "M"
        assert case.status == "referral_received"
        assert case.incident_id == incident
        assert case.referral.reply_fax == "0999-123 46"
        assert case.referral.exam_code == "CT-HJ"
        assert len(case.code) == 7 and case.code[3] == "-"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Örjan Älvström" in page
    assert "19121212-1212" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("personal_number", "19121212-1213", "Kontrollsiffran stämmer inte"),
        ("personal_number", NO_SUCH_DATE, "Datumet finns inte"),
        ("personal_number", "1234", "Ange 10 eller 12 siffror"),
        ("reply_fax", "", "Svarsfax krävs"),
        ("reply_fax", "faxa hit", "Ange svarsfax som ett telefonnummer"),
        ("referrer_unit", "", "Ange remitterande enhet."),
        ("clinical_question", "", "Ange frågeställning."),
        ("patient_name", "", "Ange patientens namn."),
        ("arrived_at", "2099-01-01T10:00", "framtiden"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    app: Flask, client: FlaskClient, incident: int, field: str, value: str, message: str
) -> None:
    data = referral_data(**{field: value, "history": "Anamnes <b>med</b> å ä ö"})
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Anamnes &lt;b&gt;med&lt;/b&gt; å ä ö" in page
    assert _count_cases(app) == 0


def test_samordningsnummer_is_accepted(app: Flask, client: FlaskClient, incident: int) -> None:
    from webapp.identity import luhn_check_digit

    nine = "701063" + "239"
    number = nine + str(luhn_check_digit(nine))
    response = client.post("/cases/new", data=referral_data(personal_number=number))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case)).patient_id_kind == "samordningsnummer"


def test_unidentified_patient_needs_reserve_number_sex_and_age(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = referral_data(id_mode="reserve", personal_number="", patient_name="")
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert "Ange kön" in page and "Ange ungefärlig ålder" in page
    data.update(reserve_number="res 2026 0007", sex="U", approx_age="40", pregnancy="unknown")
    assert client.post("/cases/new", data=data).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.patient_id_kind == "reserve"
        assert case.patient_id == "RES20260007"
        assert case.patient_age_approx == 40


def test_a_reserve_number_typed_in_groups_counts_its_characters_not_its_spaces(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # 20 characters, the longest a reserve number may be, in the groups a wristband prints.
    typed = "RESX 2026 0000 0000 0007"
    data = unidentified_referral_data(reserve_number=typed)
    assert client.post("/cases/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case)).patient_id == "RESX2026000000000007"
    page = client.post(
        "/cases/new", data=unidentified_referral_data(reserve_number=typed + "8")
    ).get_data(as_text=True)
    assert html.escape(MSG_RESERVE_LONG) in page


def test_contrast_exam_requires_safety_answers(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = referral_data(exam_text="DT thorax-buk med kontrast", exam_code="CT-TAB")
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert 'id="contrast_allergy-error"' in page
    assert 'id="metformin-error"' in page
    assert "Ange eGFR eller kreatinin" in page
    assert _count_cases(app) == 0


def test_unknown_is_an_answer_for_safety_facts(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = referral_data(
        exam_text="DT thorax-buk med kontrast",
        exam_code="CT-TAB",
        contrast_allergy="unknown",
        metformin="unknown",
        kidney_unknown="y",
    )
    assert client.post("/cases/new", data=data).status_code == 302


def test_kidney_value_needs_its_date(app: Flask, client: FlaskClient, incident: int) -> None:
    data = referral_data(
        exam_text="DT thorax-buk med kontrast",
        exam_code="CT-TAB",
        contrast_allergy="no",
        metformin="no",
        egfr="58",
    )
    assert "Ange provtagningsdatum" in client.post("/cases/new", data=data).get_data(as_text=True)
    data["kidney_measured_on"] = "2026-01-14"
    assert client.post("/cases/new", data=data).status_code == 302


def test_pregnancy_is_asked_for_a_woman_of_childbearing_age_on_ct(
    client: FlaskClient, incident: int
) -> None:
    from webapp.identity import luhn_check_digit

    nine = "950505" + "982"  # 98x: even second-last digit means a woman
    woman = nine + str(luhn_check_digit(nine))
    data = referral_data(personal_number=woman, patient_name="Åsa Öberg")
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert 'id="pregnancy-error"' in page
    data["pregnancy"] = "no"
    assert client.post("/cases/new", data=data).status_code == 302


def test_pregnancy_is_not_asked_for_a_man(client: FlaskClient, incident: int) -> None:
    assert client.post("/cases/new", data=referral_data()).status_code == 302


def test_mr_exam_requires_pacemaker_and_implant_answers(client: FlaskClient, incident: int) -> None:
    data = referral_data(exam_text="MR hjärna", exam_code="MR-HJ", modality="MR")
    page = client.post("/cases/new", data=data).get_data(as_text=True)
    assert 'id="pacemaker-error"' in page and 'id="implants-error"' in page
    data.update(pacemaker="no", implants="yes")
    assert "Beskriv implantatet." in client.post("/cases/new", data=data).get_data(as_text=True)
    data["implants_note"] = "Höftprotes vänster"
    assert client.post("/cases/new", data=data).status_code == 302


def test_free_text_exam_is_allowed(app: Flask, client: FlaskClient, incident: int) -> None:
    data = referral_data(exam_text="DT ansiktsskelett", exam_code="")
    assert client.post("/cases/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Referral)).exam_code == ""


def test_double_submit_creates_one_case(app: Flask, client: FlaskClient, incident: int) -> None:
    data = referral_data()
    first = client.post("/cases/new", data=data)
    second = client.post("/cases/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert _count_cases(app) == 1


def test_back_button_form_for_the_next_patient_is_kept_and_can_be_saved(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    # Back to the saved form, the next patient typed over it: same form key, other content.
    second = referral_data(personal_number="19800101-0027", patient_name="Åsa Öberg")
    second["pregnancy"] = "no"
    response = client.post("/cases/new", data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "redan sparat som ett ärende" in page
    assert f'href="{first}"' in page
    assert 'value="Åsa Öberg"' in page and 'value="19800101-0027"' in page
    key = hidden_value(page, "form_key")
    assert key != second["form_key"]
    assert _count_cases(app) == 1
    again = client.post("/cases/new", data={**second, "form_key": key})
    assert again.status_code == 302 and again.headers["Location"] != first
    assert _count_cases(app) == 2


def test_referral_needs_an_open_incident(client: FlaskClient, auth) -> None:
    auth.login()
    response = client.get("/cases/new")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/incidents/new")


def _end_incident(app: Flask, incident_id: int) -> None:
    with app.app_context():
        db.session.get(Incident, incident_id).ended_at = utcnow()
        db.session.commit()


def test_referral_submitted_without_an_open_incident_is_sent_to_declare_one(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _end_incident(app, incident)
    response = client.post("/cases/new", data=referral_data())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/incidents/new")
    assert _count_cases(app) == 0


def test_invalid_referral_without_an_open_incident_is_sent_to_declare_one(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _end_incident(app, incident)
    response = client.post("/cases/new", data=referral_data(reply_fax=""))
    assert response.headers["Location"].endswith("/incidents/new")


def test_retried_referral_replays_after_its_incident_ended(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    first = client.post("/cases/new", data=referral_data())
    _end_incident(app, incident)
    again = client.post("/cases/new", data=referral_data())
    assert again.headers["Location"] == first.headers["Location"]
    assert _count_cases(app) == 1


def _case_incident(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(Case.incident_id))


def test_referral_opens_its_case_in_the_incident_the_tablet_chose(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    declare_incident(client, "pacs")
    client.post(f"/incidents/{incident}/select")
    client.post("/cases/new", data=referral_data())
    assert _case_incident(app) == incident


def test_referral_opens_its_case_in_the_newest_open_incident_once_the_chosen_one_ended(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    newest_open = declare_incident(client, "pacs")
    chosen = declare_incident(client, "total")
    _end_incident(app, chosen)
    client.post("/cases/new", data=referral_data())
    assert _case_incident(app) == newest_open


def test_a_generated_code_already_in_use_is_not_given_again(
    app: Flask, client: FlaskClient, incident: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post("/cases/new", data=referral_data())
    with app.app_context():
        taken = db.session.scalar(select(Case.code))
    fresh = "XYZ-23" + check_character("XYZ23")
    codes = iter([taken, fresh])
    monkeypatch.setattr(creation, "generate_case_code", lambda: next(codes))
    response = client.post("/cases/new", data=referral_data(key_suffix="2"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Case.code).order_by(Case.id)).all() == [taken, fresh]


@pytest.mark.parametrize("typed", ["70,5", "ca 70", "7_0"])
def test_an_approximate_age_that_is_no_whole_number_gets_one_message_and_is_kept(
    app: Flask, client: FlaskClient, incident: int, typed: str
) -> None:
    response = client.post("/cases/new", data=unidentified_referral_data(approx_age=typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="approx_age-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None
    assert error.group(1).split("</span>")[-1].strip() == "Ange ett heltal (bara siffror)."
    assert f'value="{typed}"' in page
    assert _count_cases(app) == 0


def test_a_kidney_value_and_unknown_kidney_function_together_are_refused(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = referral_data(
        exam_text="DT thorax-buk med kontrast",
        exam_code="CT-TAB",
        contrast_allergy="no",
        metformin="no",
        egfr="58",
        kidney_measured_on="2026-01-14",
        kidney_unknown="y",
    )
    response = client.post("/cases/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="kidney_unknown-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert error and "båda kan inte gälla" in error.group(1)
    assert 'value="58"' in page  # what was typed stays
    assert _count_cases(app) == 0
    data.pop("kidney_unknown")
    assert client.post("/cases/new", data=data).status_code == 302
