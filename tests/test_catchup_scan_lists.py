"""Scan station: printed incident lists of another site, another laptop, no incident; old lists."""

from __future__ import annotations

from random import Random

from flask import Flask
from flask.testing import FlaskClient

from webapp.codes import generate_incident_stamp, make_incident_payload
from webapp.extensions import db
from webapp.models import Incident
from webapp.web import local_time

from .catchup_support import (
    login_at_second_site,
)
from .catchup_world_support import world as world  # the fixture, shared
from .factories import audit_events
from .printforms.conftest import STANDARD_FAX, decoded_payloads

MSG_OTHER_INCIDENT = "Ärendelistan hör till ett driftstopp som inte finns här."


def _list_of_this_sites_incident(app: Flask, incident_id: int) -> str:
    """The payload of the incident's printed list, with its stamp."""
    with app.app_context():
        stamp = db.session.get(Incident, incident_id).list_stamp
    return make_incident_payload(incident_id, 1, stamp=stamp)


def test_incident_list_of_another_site_names_that_site_and_is_logged(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    payload = _list_of_this_sites_incident(app, world["incident_id"])
    with app.app_context():
        title = db.session.get(Incident, world["incident_id"]).title
    login_at_second_site(app, client, auth)
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    message = (
        f"Ärendelistan hör till driftstopp {world['incident_id']} på en annan enhet: "
        "Röntgen Exempelstad. Skicka den dit."
    )
    assert message in page and f'value="{payload}"' in page
    assert MSG_OTHER_INCIDENT not in page
    # Only the site is named: nothing of the incident nor of its patients.
    assert title not in page and "Älvström" not in page
    assert audit_events(app, "scan") == []
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {message}"
    assert row.incident_id is None and row.case_id is None


def test_incident_list_of_another_site_reads_in_english_and_is_logged_in_swedish(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    payload = _list_of_this_sites_incident(app, world["incident_id"])
    login_at_second_site(app, client, auth)
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert (
        f"The case list belongs to outage {world['incident_id']} at another department: "
        "Röntgen Exempelstad. Send it there." in page
    )
    assert "Ärendelistan" not in page
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == (
        f"{payload} – Ärendelistan hör till driftstopp {world['incident_id']} på en annan "
        "enhet: Röntgen Exempelstad. Skicka den dit."
    )


def test_unstamped_incident_list_of_another_site_is_refused_without_naming_a_site(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # Without the stamp the id may be another laptop's incident: no site can be named.
    login_at_second_site(app, client, auth)
    payload = f"RR1:I{world['incident_id']}:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert MSG_OTHER_INCIDENT in page
    assert f'value="{payload}"' in page
    assert "Röntgen Exempelstad" not in page
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {MSG_OTHER_INCIDENT}"


def test_list_of_another_laptops_incident_with_another_sites_id_names_no_site(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    payload = _other_laptops_list(app, world["incident_id"])
    login_at_second_site(app, client, auth)
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert MSG_OTHER_INCIDENT in page
    assert "Röntgen Exempelstad" not in page
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {MSG_OTHER_INCIDENT}"


def test_incident_list_with_an_id_beyond_any_database_is_refused_not_an_error(
    client: FlaskClient, world
) -> None:
    # A misread or foreign barcode can carry any digits: no incident has such an id.
    payload = "RR1:I99999999999999999999:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    assert (
        "Det finns inget driftstopp 99999999999999999999 här. Kontrollera ärendelistan."
        in response.get_data(as_text=True)
    )


def test_incident_list_of_no_incident_says_there_is_none_and_is_logged(
    app: Flask, client: FlaskClient, world
) -> None:
    payload = "RR1:I999:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    message = "Det finns inget driftstopp 999 här. Kontrollera ärendelistan."
    assert message in page and f'value="{payload}"' in page
    assert MSG_OTHER_INCIDENT not in page
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {message}"


def test_incident_list_of_no_incident_reads_in_english(client: FlaskClient, world) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.get("/scan", query_string={"code": "RR1:I999:LST:1"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "There is no outage 999 here. Check the case list." in page
    assert "Det finns inget driftstopp" not in page


MSG_OTHER_LAPTOP = (
    "Ärendelistan hör till driftstopp {id} på en annan reservdator (eller i en tidigare "
    "databas), inte till driftstopp {id} här. Stäm av den på den datorn."
)
UNSTAMPED = "Ärendelistan är utskriven innan listorna märktes med sitt driftstopp"


def _other_laptops_list(app: Flask, incident_id: int) -> str:
    """The list of another laptop's incident with this id: its own stamp, not this one's."""
    with app.app_context():
        own = db.session.get(Incident, incident_id).list_stamp
    rng, other = Random(incident_id), own
    while other == own:
        other = generate_incident_stamp(rng)
    return make_incident_payload(incident_id, 1, stamp=other)


def test_printed_incident_list_scanned_opens_its_batch(
    app: Flask, client: FlaskClient, world
) -> None:
    pdf = client.get(f"/print/incidents/{world['incident_id']}/list.pdf").get_data()
    payload = decoded_payloads(pdf, STANDARD_FAX)[0][0]
    with app.app_context():
        stamp = db.session.get(Incident, world["incident_id"]).list_stamp
    assert payload == f"RR1:I{world['incident_id']}-{stamp}:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.headers["Location"].endswith(f"/catchup/incidents/{world['incident_id']}")
    assert UNSTAMPED not in client.get(response.headers["Location"]).get_data(as_text=True)
    (row,) = audit_events(app, "scan")
    assert row.incident_id == world["incident_id"] and row.detail == payload
    # A US-layout scanner on a Swedish keyboard types the stamp's dash as "+".
    layout = payload.replace(":", "Ö").replace("-", "+").lower()
    response = client.get("/scan", query_string={"code": layout})
    assert response.headers["Location"].endswith(f"/catchup/incidents/{world['incident_id']}")


def test_list_of_another_laptops_incident_with_the_same_id_is_refused_and_logged(
    app: Flask, client: FlaskClient, world
) -> None:
    payload = _other_laptops_list(app, world["incident_id"])
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    message = MSG_OTHER_LAPTOP.format(id=world["incident_id"])
    assert message in page and f'value="{payload}"' in page
    assert audit_events(app, "scan") == []
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {message}"
    assert row.incident_id is None and row.case_id is None


def test_list_printed_before_lists_were_stamped_opens_its_batch_with_a_warning(
    app: Flask, client: FlaskClient, world
) -> None:
    payload = f"RR1:I{world['incident_id']}:LST:1"
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    assert response.request.path == f"/catchup/incidents/{world['incident_id']}"
    page = response.get_data(as_text=True)
    with app.app_context():
        incident = db.session.get(Incident, world["incident_id"])
        started = local_time(incident.started_at)
        title = incident.title
    assert (
        f"{UNSTAMPED}: en annan reservdators driftstopp {world['incident_id']} ger samma "
        f"QR-kod. Kontrollera att listan gäller driftstopp {world['incident_id']}, startat "
        f"{started} ({title})." in page
    )
    (row,) = audit_events(app, "scan")
    assert row.incident_id == world["incident_id"] and row.detail == payload


def test_list_with_a_malformed_stamp_is_refused_with_its_reason(
    app: Flask, client: FlaskClient, world
) -> None:
    payload = f"RR1:I{world['incident_id']}-K7Q:LST:1"
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 400
    message = (
        "Ärendelistans QR-kod har en felaktig driftstoppsmärkning (4 tecken efter "
        "bindestrecket). Skanna listan igen."
    )
    assert message in response.get_data(as_text=True)
    (row,) = audit_events(app, "scan_refused")
    assert row.detail == f"{payload} – {message}"
