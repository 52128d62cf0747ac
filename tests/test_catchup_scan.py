"""Scan station: sheets that are not this site's open cases (another site, an ended incident)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import webapp.catchup.scans as scans
from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import AuditEvent

from .catchup_support import (
    case_begun_on_a_referral_blank,
    close_incident,
    login_at_second_site,
    reconcile_world,
)
from .catchup_world_support import world as world  # the fixture, shared
from .factories import case_code, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .statements import sent_statements


def test_sheet_of_another_site_names_that_site(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    login_at_second_site(app, client, auth)
    code = world["codes"][0]
    response = client.get("/scan", query_string={"code": make_case_payload(code, "UTL", 1)})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert f"Papperet {code} hör till en annan enhet: Röntgen Exempelstad." in page
    assert "Inget ärende har koden" not in page
    # Nothing of the patient is shown to the other site.
    assert "Älvström" not in page and "19121212" not in page


def test_sheet_of_an_ended_incident_says_the_incident_is_closed(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    auth.logout()
    auth.login("secretary")
    code = world["codes"][1]
    response = client.get(
        "/scan", query_string={"code": make_case_payload(code, "UTL", 1)}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Driftstoppet som papperet hör till är avslutat" in page
    assert "Lägg in som preliminärt" not in page
    ticks = re.findall(r'<button type="submit" class="tick"[^>]*>', page)
    assert ticks and all("disabled" in button for button in ticks)
    assert re.search(r"<button[^>]*disabled>Spara RIS-nummer", page)
    assert "Undanta från efterregistrering" not in page
    assert "Kontrollen görs när" not in page and "Inte kontrollerat." in page
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "scan")).all()


def test_filled_in_binder_blank_of_an_entered_case_asks_to_compare_the_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A reprinted blank puts a second sheet with the same code about: if both were filled in,
    # the second must not quietly pass for the first patient's paper.
    code = case_begun_on_a_referral_blank(app, client, auth)
    payload = make_case_payload(code, "BLR", 1)
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True).get_data(
        as_text=True
    )
    assert (
        f"Blanketten {code} är redan införd för Örjan Älvström, 19121212-1212. "
        "Kontrollera att papperet gäller samma patient." in page
    )
    typed = client.get("/scan", query_string={"code": code}, follow_redirects=True)
    assert "Kontrollera att papperet gäller samma patient" not in typed.get_data(as_text=True)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("RR1:{c}:UTL:2", "rr1Ö{c}Öutl;2"),  # a scanner set to another keyboard layout
        ("{d}", " {d_lower} "),  # typed by hand, once in lower case
        ("{c}", "{d}"),  # typed without and with the dash
    ],
    ids=["layout", "case", "dash"],
)
def test_the_same_sheet_scanned_differently_says_already_opened(
    client: FlaskClient, world, first: str, second: str
) -> None:
    display = world["codes"][0]
    values = {"c": display.replace("-", ""), "d": display, "d_lower": display.lower()}
    client.get("/scan", query_string={"code": first.format(**values)})
    response = client.get(
        "/scan", query_string={"code": second.format(**values)}, follow_redirects=True
    )
    assert "Redan öppnad" in response.get_data(as_text=True)


def test_sheet_of_a_cancelled_case_says_it_must_not_be_keyed(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(
        location + "/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett av annan remiss"}
    )
    page = client.get(location).get_data(as_text=True)
    code = re.search(r"[0-9A-Z]{3}-[0-9A-Z]{3}", page.split("Ärendekod", 1)[1]).group(0)
    auth.logout()
    auth.login("secretary")
    payload = make_case_payload(code, "REM", 1)
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert (
        "Ärendet är makulerat (Dubblett av annan remiss): lägg inte in papperet i RIS."
        in response.get_data(as_text=True)
    )


def test_a_typed_code_asks_to_compare_the_patient_with_the_paper(
    client: FlaskClient, world
) -> None:
    # Two typing errors can still give another case's valid code: the check character only
    # guarantees that one error is caught.
    typed = world["codes"][0].lower()
    page = client.get("/scan", query_string={"code": typed}, follow_redirects=True)
    assert (
        "Koden är inskriven för hand: kontrollera att papperet gäller Örjan Älvström, "
        "19121212-1212." in page.get_data(as_text=True)
    )
    payload = make_case_payload(world["codes"][0], "UTL", 2)
    scanned = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert "inskriven för hand" not in scanned.get_data(as_text=True)


def test_sheet_of_a_drill_says_not_to_key_it_into_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration", "is_drill": "y"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    auth.logout()
    auth.login("secretary")
    case_id = int(location.rsplit("/", 1)[-1])
    code = case_code(app, case_id)
    response = client.get("/scan", query_string={"code": make_case_payload(code, "REM", 1)})
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Papperet hör till en övning: lägg inte in det i RIS." in page


RESTORED = "Papperet skrevs ut när ärendet var makulerat och kan säga MAKULERAD"


def _print_referral_payload(client: FlaskClient, case_id: int) -> str:
    pdf = client.get(f"/print/cases/{case_id}/referral.pdf").get_data()
    return decoded_payloads(pdf, STANDARD_FAX)[0][0]


def _cancel_and_restore(
    client: FlaskClient, auth, case_id: int, *, print_while_cancelled: bool
) -> str | None:
    auth.login("radiographer")
    assert (
        client.post(
            f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
        ).status_code
        == 302
    )
    payload = _print_referral_payload(client, case_id) if print_while_cancelled else None
    auth.logout()
    auth.login("admin")
    restore = {"reason": "Rätt patient ändå"}
    assert client.post(f"/cases/{case_id}/restore", data=restore).status_code == 302
    auth.logout()
    auth.login("secretary")
    return payload


def test_a_sheet_printed_while_the_case_was_cancelled_says_the_case_is_restored(
    client: FlaskClient, auth, case_id: int
) -> None:
    payload = _cancel_and_restore(client, auth, case_id, print_while_cancelled=True)
    assert payload is not None
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True).get_data(
        as_text=True
    )
    assert RESTORED in page and "(Rätt patient ändå): det ska läggas in i RIS." in page
    assert "Ärendet är makulerat" not in page


def test_a_sheet_printed_before_a_cancel_that_was_undone_says_nothing_of_it(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    payload = _print_referral_payload(client, case_id)
    auth.logout()
    _cancel_and_restore(client, auth, case_id, print_while_cancelled=False)
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True).get_data(
        as_text=True
    )
    assert RESTORED not in page and "Papperet är inaktuellt" not in page


def test_scanning_a_printed_sheet_reads_the_case_history_once(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Both the restore check and the version check need the case's earlier versions.
    payload = _cancel_and_restore(client, auth, case_id, print_while_cancelled=True)
    with sent_statements(app) as statements:
        response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 302
    history = [s for s in statements if "FROM record_version" in s]
    assert len(history) == 1, history
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert RESTORED in page


def test_a_sheet_scanned_again_names_its_first_scan_even_after_the_clock_was_set_back(
    client: FlaskClient, world, user_factory, tablet_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_factory(role="secretary", username="sek-bo", display_name="Bo Berg")
    payload = make_case_payload(world["codes"][0], "UTL", 1)
    client.get("/scan", query_string={"code": payload})
    # The laptop's clock is put back an hour (a wrong time corrected) before the next scan.
    earlier_now = scans.utcnow() - timedelta(hours=1)
    monkeypatch.setattr(scans, "utcnow", lambda: earlier_now)
    tablet_factory("sek-bo", role="secretary").get("/scan", query_string={"code": payload})
    page = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Redan öppnad" in text and "av Testa Secretary Åström" in text
    assert "Bo Berg" not in text
