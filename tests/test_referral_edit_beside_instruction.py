"""A referral edit open while a radiologist writes the instruction: the instruction is no part
of the referral form, so it does not make the edit stale; a real change of what the form
shows still does."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.draft_versions import is_superseded, stored_versions
from webapp.extensions import db
from webapp.models import Case

from .factories import hidden_value, referral_data
from .test_cases_referral import incident as incident  # the fixture

INSTRUCTION = "Gör DT buk med portovenös fas i stället."


def _open_edit(client: FlaskClient, location: str, **overrides: object) -> dict[str, object]:
    """The edit as its page posts it, with the versions the page was opened at."""
    page = client.get(location + "/referral").get_data(as_text=True)
    return referral_data(
        key_suffix="edit",
        version=hidden_value(page, "version"),
        case_version=hidden_value(page, "case_version"),
        **overrides,
    )


def _instruct(tablet: FlaskClient, case_id: int, text: str = INSTRUCTION) -> None:
    response = tablet.post(f"/reporting/{case_id}/protocol", data={"protocol": text})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_referral_edit_open_while_the_instruction_is_written_is_saved(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    edit = _open_edit(client, location, reply_fax="0999-555 55")
    _instruct(tablet_factory("rad-asa", role="radiologist"), case_id)
    response = client.post(location + "/referral", data=edit)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.referral.reply_fax == "0999-555 55"
        assert case.protocol == INSTRUCTION  # the edit leaves the instruction as written


def test_a_referral_edit_open_while_the_instruction_is_written_twice_is_saved(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    edit = _open_edit(client, location, history="Waran. Nu även huvudvärk.")
    radiologist = tablet_factory("rad-asa", role="radiologist")
    _instruct(radiologist, case_id)
    _instruct(radiologist, case_id, "Utan kontrast.")
    assert client.post(location + "/referral", data=edit).status_code == 302
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.referral.history == "Waran. Nu även huvudvärk."
        assert case.protocol == "Utan kontrast."


def test_a_referral_edit_open_while_the_instruction_and_the_priority_change_is_refused(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    # The priority is on the referral form: changed meanwhile, the edit would put it back.
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    edit = _open_edit(client, location, reply_fax="0999-555 55")
    radiologist = tablet_factory("rad-asa", role="radiologist")
    _instruct(radiologist, case_id)
    moved = radiologist.post(
        f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Stabil"}
    )
    assert moved.status_code == 302
    response = client.post(location + "/referral", data=edit)
    assert response.status_code == 409
    assert "Någon annan har ändrat remissen" in response.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.priority, case.referral.reply_fax) == ("inom_timmar", "0999-123 46")


def test_a_referral_edit_from_a_case_version_not_yet_written_is_refused(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    _instruct(tablet_factory("rad-asa", role="radiologist"), case_id)
    edit = referral_data(key_suffix="edit", version="1", case_version="7", reply_fax="0999-5")
    assert client.post(location + "/referral", data=edit).status_code == 409


def test_a_referral_edit_draft_is_not_overtaken_by_the_instruction(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    # Its save would go through (above): the draft still holds the incident open.
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    radiologist = tablet_factory("rad-asa", role="radiologist")
    _instruct(radiologist, case_id)
    draft = {"version": "1", "case_version": "1"}
    with app.app_context():
        versions = stored_versions([(case_id, "referral_edit")])[case_id]
        assert not is_superseded("referral_edit", draft, versions)
        assert not is_superseded("referral_edit", {**draft, "case_version": "2"}, versions)
        assert is_superseded("referral_edit", {**draft, "case_version": "3"}, versions)
        assert is_superseded("referral_edit", {**draft, "case_version": ""}, versions)
        # The identity form shows no instruction either: its save goes through, so its draft
        # stays as the referral edit's does.
        identity = stored_versions([(case_id, "identity")])[case_id]
        assert not is_superseded("identity", {"case_version": "1"}, identity)
        assert is_superseded("identity", {"case_version": "3"}, identity)
    moved = radiologist.post(
        f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Stabil"}
    )
    assert moved.status_code == 302
    with app.app_context():
        versions = stored_versions([(case_id, "referral_edit")])[case_id]
        assert is_superseded("referral_edit", draft, versions)
        assert is_superseded("referral_edit", {**draft, "case_version": "2"}, versions)
        assert not is_superseded("referral_edit", {**draft, "case_version": "3"}, versions)
        identity = stored_versions([(case_id, "identity")])[case_id]
        assert is_superseded("identity", {"case_version": "1"}, identity)
        assert not is_superseded("identity", {"case_version": "3"}, identity)
