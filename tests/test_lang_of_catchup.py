"""The catch-up pages in English: the site's and staff's Swedish is marked, the app's own words
are not (WCAG 3.1.2), so a screen reader reads "Right" and "Wheelchair" as English."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import declare_incident, exam_data, identity_data, unidentified_referral_data
from .test_lang_of_parts import lang_of

INFECTION_NOTE = "Misstänkt calicivirus"
HAND = {"exam_text": "Hand/handled", "exam_code": "CR-HAND", "modality": "CR"}
HAND_EXAM = {**HAND, "room": "Lab 1", "dlp_mgycm": "", "ctdivol_mgy": ""}


def _identified_case(client: FlaskClient, auth) -> str:
    """A case examined under a reserve number on the right side, then identified; its id."""
    auth.login("radiographer")
    declare_incident(client, "pacs")
    referral = unidentified_referral_data(
        side="right",
        infection="yes",
        infection_note=INFECTION_NOTE,
        mobility="wheelchair",
        **HAND,
    )
    location = client.post("/cases/new", data=referral).headers["Location"]
    exam = exam_data(referral_side="right", side="right", **HAND_EXAM)
    assert client.post(location + "/exam", data=exam).status_code == 302
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    return location.rsplit("/", 1)[-1]


def test_the_catchup_case_in_english_marks_only_the_typed_swedish(
    client: FlaskClient, auth
) -> None:
    case_id = _identified_case(client, auth)
    auth.login("secretary")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    # The app's own words, translated: English.
    assert lang_of(page, "Right") == {"en"}
    assert lang_of(page, "Wheelchair") == {"en"}
    assert lang_of(page, "Yes, sent") == {"en"}
    assert lang_of(page, "Temporary ID RES-0007") == {"en"}
    # What staff typed: Swedish, also beside an app word in the same value.
    assert lang_of(page, INFECTION_NOTE) == {"sv"}
    assert lang_of(page, "Hand/handled") == {"sv"}


def test_the_catchup_batch_in_english_marks_the_sites_follow_up_inside_its_sentence(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"})
    auth.login("secretary")
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert lang_of(page, "TiB informerad om att systemen fungerar igen") == {"sv"}
    assert lang_of(page, "Follow-up:") == {"en"}
