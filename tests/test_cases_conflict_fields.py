"""A save refused as stale lists what is stored now where it differs from what was typed: the
fields the user sees, by their Swedish labels, never a hidden field by its code's name."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, hidden_value, referral_data

ANGIO = {"exam_text": "DT hjärna med angiografi", "exam_code": "CT-HJA"}


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _stored_labels(page: str) -> list[str]:
    listed = re.search(r'<dl class="conflict-stored">(.*?)</dl>', page, re.S)
    assert listed is not None, "no stored values beside the refusal"
    return re.findall(r"<dt>(.*?)</dt>", listed.group(1))


def _edit(page: str, **fields: str) -> dict[str, object]:
    data = referral_data(
        form_key=hidden_value(page, "form_key"),
        version=hidden_value(page, "version"),
        case_version=hidden_value(page, "case_version"),
        **fields,
    )
    for name in ("id_mode", "personal_number", "patient_name"):
        data.pop(name)
    return data


def test_a_stale_exam_form_lists_the_exam_changed_by_its_label_alone(
    client: FlaskClient, case_url: str, tablet_factory
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    mine = client.get(case_url + "/exam").get_data(as_text=True)
    other = tablet_factory("bertil")
    theirs = other.get(case_url + "/exam").get_data(as_text=True)
    changed = exam_data(
        form_key=hidden_value(theirs, "form_key"), version=hidden_value(theirs, "version"), **ANGIO
    )
    assert other.post(case_url + "/exam", data=changed).status_code == 302

    stale = exam_data(
        form_key=hidden_value(mine, "form_key"), version=hidden_value(mine, "version"), notes="Lugn"
    )
    response = client.post(case_url + "/exam", data=stale)
    assert response.status_code == 409
    assert _stored_labels(response.get_data(as_text=True)) == [
        "Utförd undersökning",
        "Anteckningar",
    ]


def test_a_stale_referral_edit_lists_the_exam_changed_by_its_label_alone(
    client: FlaskClient, case_url: str, tablet_factory
) -> None:
    mine = client.get(case_url + "/referral").get_data(as_text=True)
    other = tablet_factory("bertil")
    theirs = other.get(case_url + "/referral").get_data(as_text=True)
    angio = _edit(theirs, **ANGIO, contrast_allergy="no", metformin="no", kidney_unknown="y")
    assert other.post(case_url + "/referral", data=angio).status_code == 302

    response = client.post(case_url + "/referral", data=_edit(mine, history="Waran."))
    labels = _stored_labels(response.get_data(as_text=True))
    assert response.status_code == 409
    assert labels[:2] == ["Undersökning", "Med kontrastmedel"]
    assert "Exam Code" not in labels and "Anamnes" in labels


def test_a_stale_exam_form_lists_a_stored_dose_as_the_screen_writes_it(
    client: FlaskClient, case_url: str, tablet_factory
) -> None:
    client.post(case_url + "/exam", data=exam_data())
    mine = client.get(case_url + "/exam").get_data(as_text=True)
    other = tablet_factory("bertil")
    theirs = other.get(case_url + "/exam").get_data(as_text=True)
    # Keyed into RIS from what is shown: exact, with a decimal comma, never rounded.
    changed = exam_data(
        form_key=hidden_value(theirs, "form_key"),
        version=hidden_value(theirs, "version"),
        dlp_mgycm="2468,25",
    )
    assert other.post(case_url + "/exam", data=changed).status_code == 302

    stale = exam_data(
        form_key=hidden_value(mine, "form_key"), version=hidden_value(mine, "version")
    )
    page = client.post(case_url + "/exam", data=stale).get_data(as_text=True)
    listed = re.search(r'<dl class="conflict-stored">(.*?)</dl>', page, re.S)
    assert listed is not None
    assert ">2468,25</dd>" in listed.group(1)
