"""Helpers for the catch-up tests: the RIS accession saved marks 'booked' done;
a case begun on a blank, reconciled, waived, faxed; an incident closed."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.catchup.ris_numbers import save_ris_ids
from webapp.extensions import db
from webapp.incidents.close_asked import on_modality_cases, unfaxed_reports, unidentified_cases
from webapp.incidents.close_checks import listed_keys, unmade_notifications
from webapp.incidents.close_left_open import cancelled_with_blanks, open_transfers
from webapp.incidents.close_over_signed import over_signed_unread
from webapp.incidents.forms import LISTING_BOXES
from webapp.models import CATCHUP_STEPS, Incident, ReservedCode, User

from .factories import hidden_value, local_minute, make_user, referral_data, second_site


def accession_of(case_id: int) -> str:
    """A RIS accession of its own for each case: no duplicate to confirm."""
    return f"EXS{case_id:08d}"


def save_accession(client: FlaskClient, case_id: int, accession: str = "") -> None:
    """The logged-in secretary saves the case's RIS accession ('booked' is marked done with it)."""
    response = client.post(
        f"/catchup/cases/{case_id}/ris", data={"ris_accession": accession or accession_of(case_id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def book(client: FlaskClient, case_id: int) -> TestResponse:
    """Save the RIS accession, which marks 'booked' done with it (the answer of the save)."""
    return client.post(
        f"/catchup/cases/{case_id}/ris", data={"ris_accession": accession_of(case_id)}
    )


def tick_all(client: FlaskClient, case_id: int, **extra: str) -> None:
    """Save the RIS accession ('booked' done with it), then tick the other steps in RIS order."""
    save_accession(client, case_id)
    for step in CATCHUP_STEPS[1:]:
        client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1", **extra})


def record_accession(case_id: int, user: User, accession: str = "") -> None:
    """The service-level save_accession ('booked' done with it), for tests that tick through
    tick_step."""
    save_ris_ids(
        case_id=case_id,
        user=user,
        accession=accession or accession_of(case_id),
        exam_number="",
        allow_duplicate=False,
    )


def new_case(client: FlaskClient, auth: Any, **overrides: object) -> int:
    """A radiographer captures a referral (overrides go to referral_data); nobody logged in."""
    auth.logout()
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(**overrides)).headers["Location"]
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def waive(
    client: FlaskClient,
    auth: Any,
    case_id: int,
    reason: str = "Inlagd i RIS",
    *,
    confirmed: bool = True,
) -> None:
    """A secretary waives the case's catch-up (it was keyed in RIS some other way); with
    `confirmed`, a second secretary confirms it (four eyes, on at the test site), and the first
    is logged in again after."""
    auth.login("secretary")
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": reason})
    assert response.status_code == 302, response.get_data(as_text=True)
    if confirmed:
        confirm_waiver(client, auth, case_id)
        auth.logout()
        auth.login("secretary")


def confirm_waiver(client: FlaskClient, auth: Any, case_id: int) -> None:
    """A second secretary (sek2, who waived nothing) confirms the case's waiver; sek2 stays
    logged in."""
    auth.logout()
    auth.login("secretary", username="sek2")
    response = client.post(f"/catchup/cases/{case_id}/waive/confirm")
    assert response.status_code == 302, response.get_data(as_text=True)
    flashed = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Undantaget är bekräftat." in flashed, flashed


def fax_to_referrer(client: FlaskClient, case_id: int) -> None:
    """The logged-in user logs the signed report as faxed to the referrer."""
    response = client.post(
        f"/reporting/{case_id}/dispatch",
        data={"fax_number": "035-123 45 67", "faxed_at": local_minute()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def reconcile_world(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    """The `world` fixture's two cases: the first keyed and checked, the second waived (and the
    waiver confirmed); both reports faxed to the referrer; nobody logged in."""
    first, second = world["ids"]
    auth.logout()
    auth.login("secretary")
    for case_id in (first, second):
        fax_to_referrer(client, case_id)
    tick_all(client, first)
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Remitterad vidare"})
    auth.logout()
    # The second secretary checks the keyed case and confirms the waiver (four eyes).
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{first}/verify")
    client.post(f"/catchup/cases/{second}/waive/confirm")
    auth.logout()


def close_incident(client: FlaskClient, auth: Any, incident_id: int, **confirm: str) -> str:
    """The admin closes the incident (confirm: the checkboxes ticked); the page shown after.

    The routine's notifications are confirmed as made unless the test says otherwise
    (confirm_unnotified=""): the tests of the close's other conditions never tick them.
    """
    auth.logout()
    auth.login("admin")
    confirm.setdefault("confirm_unnotified", "y")
    response = client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, confirm),
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def with_page_lists(client: FlaskClient, incident_id: int, sent: dict[str, str]) -> dict[str, str]:
    """`sent`, with the list the close page writes beside each ticked box that brought none,
    as the page would send it: a tick without its list covers nothing. Read by the logged-in
    admin from the batch page as it stands; a list `sent` names is kept, to test one older."""
    lists = {
        listing: value
        for box, listing in LISTING_BOXES.items()
        if sent.get(box) and listing not in sent
        for value in [_hidden_or_none(client, incident_id, listing)]
        if value is not None
    }
    return {**sent, **lists}


def _hidden_or_none(client: FlaskClient, incident_id: int, name: str) -> str | None:
    # The close form is drawn only once nothing else holds the close: then there is no list.
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    return hidden_value(page, name) if f'name="{name}"' in page else None


def record_clean_up(client: FlaskClient, case_id: int) -> None:
    """The logged-in secretary records the cancelled case as cleaned up in RIS/PACS."""
    data = {"form_key": f"clean-up-of-case-{case_id:06d}", "note": "Makulerad i RIS"}
    response = client.post(f"/catchup/cases/{case_id}/ris-pacs-cleaned", data=data)
    assert response.status_code == 302


def incident_ended(app: Flask, incident_id: int) -> bool:
    with app.app_context():
        return db.session.get(Incident, incident_id).ended_at is not None


def reserve_blank(app: Flask, client: FlaskClient, auth: Any, doc_kind: str) -> str:
    """An admin reserves one blank sheet of the kind (BLR, BLD, BLU); its code, with nobody
    logged in. The first reserved code: call it once per test."""
    auth.logout()
    auth.login("admin")
    response = client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    assert code is not None, f"no blank reserved (answer {response.status_code})"
    auth.logout()
    return code


def case_begun_on_a_referral_blank(app: Flask, client: FlaskClient, auth: Any) -> str:
    """An admin reserves one referral blank and a radiographer enters its referral in a new
    incident; the blank's code, with a secretary logged in."""
    code = reserve_blank(app, client, auth, "BLR")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post(f"/blanks/{code}/open", data=referral_data(key_suffix="blank"))
    auth.logout()
    auth.login("secretary")
    return code


def login_at_second_site(app: Flask, client: FlaskClient, auth: Any) -> None:
    """A secretary of another site on this laptop logs in instead."""
    site_id = second_site(app)
    with app.app_context():
        make_user(role="secretary", username="lby-sek", site_id=site_id)
    auth.logout()
    auth.login("secretary", username="lby-sek")


def listed_now(incident_id: int, config: Any = None) -> dict[str, frozenset[str]]:
    """What the close page would list beside each box now, by the same queries, for a test that
    calls the close's service (inside an app context); config: the site's, for the routine's
    notifications."""
    incident = db.session.get(Incident, incident_id)
    scenario = config.scenarios.get(incident.scenario) if config is not None else None
    found = {
        "confirm_unidentified": unidentified_cases(incident_id),
        "confirm_unfaxed": unfaxed_reports(incident_id),
        "confirm_on_modality": on_modality_cases(incident_id),
        "confirm_over_signed": over_signed_unread(incident_id),
        "confirm_open_transfers": open_transfers(incident_id),
        "confirm_cancelled_blanks": cancelled_with_blanks(incident_id),
        "confirm_unnotified": unmade_notifications(incident_id, scenario.notifications)
        if scenario
        else [],
    }
    return {box: frozenset(listed_keys(items).split()) for box, items in found.items()}
