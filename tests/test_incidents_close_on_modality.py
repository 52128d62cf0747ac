"""A waived case whose images are only on the modality does not let the incident end unasked:
once it has ended they can no longer be recorded as sent to PACS, and the modality deletes them.
Nor does a cancelled one: an exam done before its referral was cancelled (a duplicate) left
images on the modality all the same, and the close names the case as cancelled."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import close_incident, incident_ended, new_case, reconcile_world, waive
from .catchup_world_support import world as world  # the fixture
from .factories import audit_events, case_code, exam_data, hidden_value, local_minute

CANCELLED_ADVICE = "Ett makulerat ärendes bilder kan inte registreras som skickade"


def _waived_on_modality(app: Flask, client: FlaskClient, auth: Any) -> int:
    """A case documented with its images not sent to PACS, then waived (and confirmed)."""
    case_id = new_case(client, auth, key_suffix="m", patient_name="Mona Modalitet")
    auth.login("radiographer")
    exam = exam_data(key_suffix="m", pacs_status="no", pacs_sent_at="")
    assert client.post(f"/cases/{case_id}/exam", data=exam).status_code == 302
    auth.logout()
    waive(client, auth, case_id, reason="Inlagd direkt i RIS av röntgensjuksköterskan")
    auth.logout()
    return case_id


def test_a_waived_case_with_images_only_on_the_modality_is_asked_about_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _waived_on_modality(app, client, auth)
    page = html.unescape(close_incident(client, auth, world["incident_id"], confirm_unfaxed="y"))
    assert not incident_ended(app, world["incident_id"])
    error = page.split('id="confirm_on_modality-error"', 1)[1].split("</p>", 1)[0]
    assert "bara finns på modaliteten" in error and case_code(app, case_id) in error
    assert "Mona Modalitet" in error
    assert "registrera det på ärendets sida" in error and CANCELLED_ADVICE not in error


def test_with_the_box_ticked_the_incident_ends_and_the_audit_names_the_case(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _waived_on_modality(app, client, auth)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y", confirm_on_modality="y")
    assert incident_ended(app, world["incident_id"])
    (end,) = audit_events(app, "incident_end")
    assert f"bilder bara på modaliteten: {case_code(app, case_id)}" in end.detail


def test_images_recorded_as_sent_before_the_close_ask_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _waived_on_modality(app, client, auth)
    auth.login("radiographer")
    sent = client.post(
        f"/cases/{case_id}/pacs",
        data={"sent_at": local_minute(), "form_key": "images-sent-" + "m" * 12},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    auth.logout()
    page = close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"]), page


def _cancelled_on_modality(
    app: Flask, client: FlaskClient, auth: Any, name: str = "Carl Dubblett"
) -> int:
    """A case documented with its images not sent to PACS, then cancelled as a duplicate."""
    suffix = "c" + name.split()[0].lower()
    case_id = new_case(client, auth, key_suffix=suffix, patient_name=name)
    auth.login("radiographer")
    exam = exam_data(key_suffix=suffix, pacs_status="no", pacs_sent_at="")
    assert client.post(f"/cases/{case_id}/exam", data=exam).status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    cancel = {"reason": "Dubblett av en annan remiss", "form_key": hidden_value(page, "form_key")}
    assert client.post(f"/cases/{case_id}/cancel", data=cancel).status_code == 302
    auth.logout()
    return case_id


def test_a_cancelled_case_with_images_only_on_the_modality_is_asked_about_as_cancelled(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _cancelled_on_modality(app, client, auth)
    page = html.unescape(close_incident(client, auth, world["incident_id"], confirm_unfaxed="y"))
    assert not incident_ended(app, world["incident_id"])
    error = page.split('id="confirm_on_modality-error"', 1)[1].split("</p>", 1)[0]
    assert f"{case_code(app, case_id)} (Carl Dubblett, " in error and "), makulerat" in error
    # Its images cannot be recorded as sent on its page: the advice is the one that fits it.
    assert CANCELLED_ADVICE in error and "registrera det på ärendets sida" not in error


def test_a_cancelled_case_beside_a_waived_one_gets_its_own_advice_after_theirs(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    waived = _waived_on_modality(app, client, auth)
    cancelled = _cancelled_on_modality(app, client, auth)
    page = html.unescape(close_incident(client, auth, world["incident_id"], confirm_unfaxed="y"))
    error = page.split('id="confirm_on_modality-error"', 1)[1].split("</p>", 1)[0]
    assert case_code(app, waived) in error and case_code(app, cancelled) in error
    assert "registrera det på ärendenas sidor" in error
    assert error.index("registrera det på ärendenas sidor") < error.index(CANCELLED_ADVICE)


def test_the_batch_lists_the_cancelled_case_as_cancelled_beside_the_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _cancelled_on_modality(app, client, auth)
    auth.login("admin")
    page = html.unescape(client.get(f"/catchup/incidents/{world['incident_id']}").get_data(True))
    listed = page.split("Bilder som bara finns på modaliteten", 1)[1].split("</p>", 1)[0]
    assert case_code(app, case_id) in listed and "makulerat" in listed


def test_the_cancelled_case_confirmed_the_incident_ends_and_the_audit_names_it_cancelled(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = _cancelled_on_modality(app, client, auth)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y", confirm_on_modality="y")
    assert incident_ended(app, world["incident_id"])
    (end,) = audit_events(app, "incident_end")
    assert f"bilder bara på modaliteten: {case_code(app, case_id)} (makulerat)" in end.detail


def test_cancelled_cases_alone_are_not_told_to_record_their_images_as_sent(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    _cancelled_on_modality(app, client, auth)
    _cancelled_on_modality(app, client, auth, name="Doris Dubblett")
    page = html.unescape(close_incident(client, auth, world["incident_id"], confirm_unfaxed="y"))
    error = page.split('id="confirm_on_modality-error"', 1)[1].split("</p>", 1)[0]
    assert "2 ärenden har bilder" in error
    assert CANCELLED_ADVICE in error and "registrera det på ärendenas sidor" not in error
