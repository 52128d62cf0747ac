"""Release of images in the app: rules enforced, refusals explained, note, handover, billing."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageRelease

from .factories import hidden_value
from .routines_support import make_case, release_data, released_to_the_patient


def _releases(app: Flask) -> list[ImageRelease]:
    with app.app_context():
        return list(db.session.scalars(select(ImageRelease)))


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_release_page_shows_the_rules(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert "Rutinen i korthet" in page
    assert "Regionarkivet (BFR)" in page
    assert "Lillby lasarett" in page


def test_definitive_case_is_released_to_the_patient_for_pickup(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 302
    [release] = _releases(app)
    assert release.status == "awaiting_pickup"
    assert release.includes_report and release.is_billable
    assert "Bränt CD med undersökningsbilder och svarsutlåtande" in release.referral_note
    assert "release_create" in _actions(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Text till remissanteckningen" in page and "copy-btn" in page


def test_preliminary_case_is_refused_with_the_rule_and_what_to_do(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bara undersökningar med definitivt signerat utlåtande får lämnas ut." in page
    assert "Gör så här i stället:" in page
    assert _releases(app) == []
    # The refusal is logged, then the read of the case shown again beside it.
    assert _actions(app)[-2:] == ["release_refused", "release_form_view"]


def test_refused_form_keeps_input_and_shows_error_next_to_the_field(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    data = release_data(findings_positive="yes", doctor_cleared_by="")
    page = client.post(f"/routines/releases/cases/{case_id}", data=data).get_data(as_text=True)
    assert 'id="doctor_cleared_by-error"' in page
    assert re.search(r'<input checked[^>]*value="pickup"', page)


def test_own_region_hospital_is_offered_the_archive_push(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("radiographer")
    data = {
        "recipient_kind": "own_region_hospital",
        "recipient_name": "Lillby lasarett",
        "channel": "iep",
    }
    refused = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert refused.status_code == 400
    # The advice names the choice as the form does, with the site's archive.
    assert "välj &#39;Skicka till Regionarkivet (BFR)&#39;" in refused.get_data(as_text=True)
    pushed = client.post(
        f"/routines/releases/cases/{case_id}", data={**data, "channel": "archive_push"}
    )
    assert pushed.status_code == 302
    [release] = _releases(app)
    assert release.status == "sent" and not release.is_billable
    assert "via teleradiologidestinationen i PACS" in release.referral_note


def test_pickup_without_id_check_is_refused_then_handed_over(
    app: Flask, client: FlaskClient, auth
) -> None:
    location = released_to_the_patient(client, auth)
    refused = client.post(location + "/handover", data={})
    assert refused.status_code == 400
    assert "ID-handling ska visas" in refused.get_data(as_text=True)
    assert _releases(app)[0].status == "awaiting_pickup"
    done = client.post(location + "/handover", data={"patient_id_checked": "y"})
    assert done.status_code == 302
    [release] = _releases(app)
    assert release.status == "handed_over"
    assert "giltig ID-handling kontrollerad" in release.referral_note
    assert "release_handover" in _actions(app)


def test_proxy_needs_power_of_attorney_and_both_ids(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    location = client.post(
        f"/routines/releases/cases/{case_id}", data=release_data(recipient_kind="proxy")
    ).headers["Location"]
    partial = {"patient_id_checked": "y", "proxy_name": "Eva Ek", "proxy_id_checked": "y"}
    refused = client.post(location + "/handover", data=partial)
    assert refused.status_code == 400
    assert "fullmakt" in refused.get_data(as_text=True)
    client.post(location + "/handover", data={**partial, "power_of_attorney": "y"})
    [release] = _releases(app)
    assert release.status == "handed_over" and release.power_of_attorney
    assert "ombud Eva Ek" in release.referral_note
    assert "både ombud och patient" in release.referral_note


def test_billing_list_shows_private_use_only(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    client.post(
        f"/routines/releases/cases/{case_id}",
        data={
            "recipient_kind": "private_provider",
            "recipient_name": "Privatkliniken Syd",
            "channel": "iep",
        },
    )
    page = client.get("/routines/releases/billing").get_data(as_text=True)
    assert page.count("<tr>") == 2  # header + the patient's release
    assert "Örjan Älvström" in page


def test_billing_list_is_for_secretaries_and_admins(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    assert client.get("/routines/releases/billing").status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {
            "recipient_kind": "other_region_hospital",
            "recipient_name": "Växjö lasarett",
            "is_urgent_care": "y",
            "channel": "media",
            "media_kind": "cd",
            "delivery": "with_patient",
        },
        {
            "recipient_kind": "abroad",
            "recipient_name": "Hôpital de Nice",
            "is_urgent_care": "y",
            "channel": "media",
            "media_kind": "cd",
            "delivery": "with_patient",
        },
        {
            "recipient_kind": "own_region_hospital",
            "recipient_name": "Lillby lasarett",
            "channel": "archive_push",
        },
    ],
    ids=["urgent_care_outside_region", "urgent_care_abroad", "archive_push"],
)
def test_a_case_never_examined_has_no_images_to_release(
    app: Flask, client: FlaskClient, auth, data: dict[str, str]
) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Undersökningen är inte gjord – det finns inga bilder att lämna ut." in page
    # No release of this case can ever be allowed: the form is not offered again.
    assert "Kontrollera och registrera" not in page
    assert _releases(app) == []
    with app.app_context():
        refused = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "release_refused")
        )
        assert refused is not None and refused.detail.startswith("Undersökningen är inte gjord")


def test_refusals_and_rules_read_in_english_with_the_sites_names(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    client.post("/language", data={"lang": "en"})
    data = {"recipient_kind": "abroad", "channel": "iep"}
    page = client.post(f"/routines/releases/cases/{case_id}", data=data).get_data(as_text=True)
    iep = "IEP (nationell bildutbytesportal)"  # the site's name for it, as configured
    assert f"Images cannot be sent abroad via {iep}." in page
    assert f"{iep} first; CD/DVD/USB if the recipient is not connected." in page
    assert f"Within Region Exempel no images are sent via {iep} or on disc" in page
    assert "Regionarkivet (BFR)" in page
    assert "Bilder kan inte skickas" not in page
    assert "i första hand" not in page
    data = {"recipient_kind": "abroad", "channel": "media", "media_kind": "cd", "delivery": "post"}
    page = client.post(f"/routines/releases/cases/{case_id}", data=data).get_data(as_text=True)
    assert "Choose: given to the patient / goes with the patient." in page


def test_swedish_refusal_fills_in_the_sites_names(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    data = {"recipient_kind": "abroad", "channel": "iep"}
    page = client.post(f"/routines/releases/cases/{case_id}", data=data).get_data(as_text=True)
    iep = "IEP (nationell bildutbytesportal)"
    assert f"Bilder kan inte skickas via {iep} till utlandet." in page
    assert f"Inom Region Exempel skickas inga bilder via {iep} eller skiva" in page


def test_release_page_of_a_case_never_examined_says_so_and_offers_no_submit(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("secretary")
    response = client.get(f"/routines/releases/cases/{case_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Undersökningen är inte gjord – det finns inga bilder att lämna ut." in page
    assert "Kontrollera och registrera" not in page
    assert 'name="recipient_kind"' not in page
    assert f'href="/cases/{case_id}"' in page  # the way back to the case


def test_release_page_of_a_cancelled_case_says_so_and_offers_no_submit(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Dubblett"})
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert "Ärendet är makulerat." in page
    assert "Kontrollera och registrera" not in page


def test_a_release_sent_twice_is_recorded_and_billed_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    form = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    key = hidden_value(form, "form_key")
    data = release_data(form_key=key)
    first = client.post(f"/routines/releases/cases/{case_id}", data=data)
    again = client.post(f"/routines/releases/cases/{case_id}", data=data, follow_redirects=True)
    assert first.status_code == 302
    assert again.request.path == first.headers["Location"]
    assert "redan registrerat" in again.get_data(as_text=True)
    assert len(_releases(app)) == 1
    assert _actions(app).count("release_create") == 1


def test_the_own_region_refusal_names_the_sites_image_exchange(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    data = {
        "recipient_kind": "own_region_hospital",
        "recipient_name": "Västby sjukhus",
        "channel": "iep",
    }
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    iep = "IEP (nationell bildutbytesportal)"  # the site's name for it, as configured
    assert f"Inga bilder via {iep} och inga skivor till sjukhus inom Region Exempel." in page


def test_an_urgent_finding_in_an_addendum_needs_the_doctor_whatever_the_form_says(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    addendum = {"text": "Även misstänkt tumör.", "is_urgent": "y"}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'id="findings_positive-error"[^>]*>(.*?)</p>', page, re.S)
    assert error and "akut fynd" in error.group(1)
    assert _releases(app) == []
    cleared = release_data(findings_positive="yes", doctor_cleared_by="Dr Berg")
    assert client.post(f"/routines/releases/cases/{case_id}", data=cleared).status_code == 302
    [release] = _releases(app)
    assert release.findings_positive == "yes" and release.doctor_cleared_by == "Dr Berg"


def test_urgent_care_by_post_waits_for_the_definitive_report(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("secretary")
    data = {
        "recipient_kind": "other_region_hospital",
        "recipient_name": "Fjärrby sjukhus",
        "is_urgent_care": "y",
        "channel": "media",
        "recipient_not_on_iep": "y",
        "media_kind": "cd",
        "delivery": "post",
    }
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'id="delivery-error"[^>]*>(.*?)</p>', page, re.S)
    assert error and "följer skivan med patienten" in error.group(1)
    assert _releases(app) == []
    with_patient = {**data, "delivery": "with_patient"}
    assert client.post(f"/routines/releases/cases/{case_id}", data=with_patient).status_code == 302


def test_an_urgent_addendum_signed_before_pickup_needs_the_doctor_at_the_handover(
    app: Flask, client: FlaskClient, auth
) -> None:
    location = released_to_the_patient(client, auth)
    case_id = _releases(app)[0].case_id
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Även misstänkt tumör.", "is_urgent": "y"}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    auth.logout()
    auth.login("secretary")
    refused = client.post(location + "/handover", data={"patient_id_checked": "y"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    error = re.search(r'id="doctor_cleared_by-error"[^>]*>(.*?)</p>', page, re.S)
    assert error and "läkare" in error.group(1)
    assert _releases(app)[0].status == "awaiting_pickup"
    data = {"patient_id_checked": "y", "doctor_cleared_by": "Dr Berg"}
    assert client.post(location + "/handover", data=data).status_code == 302
    [release] = _releases(app)
    assert release.status == "handed_over" and release.doctor_cleared_by == "Dr Berg"
    assert "godkänt av Dr Berg" in release.referral_note


@pytest.mark.parametrize(
    "recipient",
    [
        {"recipient_kind": "abroad", "delivery": "with_patient"},
        {
            "recipient_kind": "other_region_hospital",
            "recipient_name": "Karolinska universitetssjukhuset",
            "delivery": "post",
            "recipient_not_on_iep": "y",
        },
    ],
)
def test_the_private_use_boxes_left_ticked_are_not_written_into_another_recipients_note(
    app: Flask, client: FlaskClient, auth, recipient: dict[str, str]
) -> None:
    # The form shows the private-use fields to every recipient: ticked before the recipient
    # was changed, they must not put a billing record ("Ingen kostnad") or a doctor's
    # clearance into the note that goes into RIS.
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    data = release_data(findings_positive="yes", doctor_cleared_by="Dr Berg", **recipient)
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [release] = _releases(app)
    assert not release.is_billable and not release.billing_recorded
    assert release.doctor_cleared_by == "" and release.findings_positive == ""
    assert "Fakturaunderlag" not in release.referral_note
    assert "Dr Berg" not in release.referral_note


def test_a_hospitals_name_left_typed_does_not_name_the_patients_disc_or_report(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Typed for a hospital, then the patient chosen: the patient's release names no hospital,
    # on its page, its label or the report printed for it (prefilled with the patient).
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    data = release_data(recipient_name="Karolinska universitetssjukhuset")
    response = client.post(f"/routines/releases/cases/{case_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [release] = _releases(app)
    assert release.recipient_name == ""
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Karolinska" not in page
    assert re.search(r'name="svar-recipient_name"[^>]*value="Örjan Älvström"', page)
