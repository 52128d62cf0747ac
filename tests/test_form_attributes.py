"""Attributes that pick the tablet's keyboard and keep its form history off patient fields."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from .conftest import AuthActions
from .factories import referral_data


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "textarea", "select") and found.get("id"):
            self.by_id[str(found["id"])] = found


def inputs_of(page: str) -> dict[str, dict[str, str | None]]:
    parser = _Inputs()
    parser.feed(page)
    return parser.by_id


@pytest.fixture
def new_referral_page(client: FlaskClient, auth) -> dict[str, dict[str, str | None]]:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return inputs_of(client.get("/cases/new").get_data(as_text=True))


@pytest.mark.parametrize(
    "field_id", ["personal_number", "patient_name", "reserve_number", "exam_text"]
)
def test_new_referral_patient_fields_have_autocomplete_off(
    new_referral_page: dict[str, dict[str, str | None]], field_id: str
) -> None:
    assert new_referral_page[field_id].get("autocomplete") == "off"


def test_field_macro_adds_classes_and_keywords_to_attrs(app: Flask) -> None:
    from wtforms import Form, StringField

    class _Form(Form):
        code = StringField("Kod")

    source = (
        '{% from "macros/forms.html" import field %}'
        '{{ field(form.code, attrs={"class": "scan-input", "inputmode": "text"}) }}'
        '{{ field(form.code, inputmode="numeric", attrs={"inputmode": "text", "id": "other"}) }}'
    )
    with app.test_request_context():
        page = render_template_string(source, form=_Form())
    found = inputs_of(page)
    assert found["code"]["class"] == "input scan-input"
    assert found["code"]["inputmode"] == "text"
    assert found["other"]["inputmode"] == "numeric"


@pytest.mark.parametrize(
    ("field_id", "attribute", "value"),
    [
        ("patient_name", "autocapitalize", "words"),
        ("patient_name", "autocorrect", "off"),
        ("patient_name", "spellcheck", "false"),
        ("reserve_number", "autocorrect", "off"),
        ("reserve_number", "spellcheck", "false"),
    ],
)
def test_new_referral_keyboard_hints(
    new_referral_page: dict[str, dict[str, str | None]], field_id: str, attribute: str, value: str
) -> None:
    assert new_referral_page[field_id].get(attribute) == value


def test_exam_form_modality_id_is_not_autocorrected(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login()
    found = inputs_of(client.get(f"/cases/{case_id}/exam").get_data(as_text=True))
    assert found["modality_temp_id"].get("autocorrect") == "off"
    assert found["modality_temp_id"].get("spellcheck") == "false"


@pytest.mark.parametrize(
    ("url", "field_id", "attribute", "value"),
    [
        ("/admin/users", "display_name", "autocapitalize", "words"),
        ("/admin/users", "secret", "inputmode", "numeric"),
        ("/admin/site", "config_toml", "autocorrect", "off"),
        ("/admin/site", "config_toml", "autocapitalize", "off"),
    ],
)
def test_admin_keyboard_hints(
    client: FlaskClient, auth: AuthActions, url: str, field_id: str, attribute: str, value: str
) -> None:
    auth.login(role="admin")
    found = inputs_of(client.get(url).get_data(as_text=True))
    assert found[field_id].get(attribute) == value


def test_identity_correction_name_is_not_autocorrected(
    client: FlaskClient, auth: AuthActions, case_id: int
) -> None:
    auth.login()
    found = inputs_of(client.get(f"/cases/{case_id}/identity").get_data(as_text=True))
    assert found["patient_name"].get("autocorrect") == "off"
    assert found["patient_name"].get("spellcheck") == "false"


def test_the_now_buttons_of_the_exam_form_say_which_time_they_fill(
    client: FlaskClient, auth: AuthActions
) -> None:
    # Three buttons all read out as "Nu" cannot be told apart by a screen reader or by voice.
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    page = client.get(location + "/exam").get_data(as_text=True)
    names = re.findall(r'<button[^>]*class="btn now-button"[^>]*aria-label="([^"]*)"', page)
    assert names == ["Nu: Start", "Nu: Slut", "Nu: Skickade"]
    page = client.get("/cases/new").get_data(as_text=True)
    assert re.findall(r'class="btn now-button"[^>]*aria-label="([^"]*)"', page) == ["Nu: Mottagen"]


# A case code is capitals and digits; a name or number the tablet "corrects" is another patient.
CODE_KEYS = {"autocapitalize": "characters", "autocorrect": "off", "spellcheck": "false"}
NUMBER_KEYS = CODE_KEYS | {"autocomplete": "off"}
NAME_KEYS = {"autocomplete": "off", "autocapitalize": "words", "autocorrect": "off"}


@pytest.mark.parametrize(
    ("role", "url", "field_id", "expected"),
    [
        ("radiographer", "/routines/transfers/new", "case_code", CODE_KEYS),
        ("radiographer", "/routines/transfers/new", "patient_ref", NUMBER_KEYS),
        ("radiographer", "/routines/transfers/new", "patient_name", NAME_KEYS),
        ("admin", "/routines/reviewer/receive", "case_code", CODE_KEYS),
        ("admin", "/admin/audit", "case_code", CODE_KEYS),
    ],
)
def test_routine_forms_keyboard_for_codes_and_patients(
    client: FlaskClient, auth: AuthActions, role: str, url: str, field_id: str, expected: dict
) -> None:
    auth.login(role=role)
    client.post("/incidents/new", data={"scenario": "integration"})
    found = inputs_of(client.get(url).get_data(as_text=True))[field_id]
    assert {k: found.get(k) for k in expected} == expected


def test_release_forms_keep_names_out_of_the_tablets_form_history(
    client: FlaskClient, auth: AuthActions
) -> None:
    from .routines_support import make_case, release_data

    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    found = inputs_of(client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True))
    assert found["recipient_name"].get("autocomplete") == "off"
    response = client.post(
        f"/routines/releases/cases/{case_id}", data=release_data(recipient_kind="proxy")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    found = inputs_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert {k: found["proxy_name"].get(k) for k in NAME_KEYS} == NAME_KEYS
