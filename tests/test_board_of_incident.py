"""An incident's page opens the board of that incident, not of the one the tablet works in: with
two outages (one ended and one running, or two running) each page's board shows its own cases."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Incident
from webapp.models.base import utcnow

from .factories import (
    DEFAULT_PIN,
    case_code,
    declare_incident,
    make_user,
    referral_data,
    second_site,
)


def _case_in(app: Flask, client: FlaskClient, incident_id: int, suffix: str) -> str:
    """A referral captured in this incident (chosen on the tablet first); its case code."""
    assert client.post(f"/incidents/{incident_id}/select").status_code == 302
    location = client.post("/cases/new", data=referral_data(key_suffix=suffix)).headers["Location"]
    return case_code(app, int(location.rsplit("/", 1)[-1]))


def _two_outages(app: Flask, client: FlaskClient, auth) -> tuple[int, str, int, str]:
    """Two running outages, each with a case; the tablet works in the second."""
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    first_code = _case_in(app, client, first, "a")
    second = declare_incident(client, "pacs")
    second_code = _case_in(app, client, second, "b")
    return first, first_code, second, second_code


def _board_link(page: str) -> str:
    """The incident page's button to the board (at its foot)."""
    foot = page.rsplit('<p><a class="btn" href="', 1)[1]
    return foot.split('"', 1)[0].replace("&amp;", "&")


def test_the_incident_page_opens_its_own_board_beside_another_outage(
    app: Flask, client: FlaskClient, auth
) -> None:
    first, first_code, _second, second_code = _two_outages(app, client, auth)
    link = _board_link(client.get(f"/incidents/{first}").get_data(as_text=True))
    assert link.startswith("/board/") and f"incident={first}" in link
    board = client.get(link).get_data(as_text=True)
    assert first_code in board and second_code not in board


def test_an_ended_outages_page_opens_its_board_with_every_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    first, first_code, _second, second_code = _two_outages(app, client, auth)
    with app.app_context():
        db.session.execute(update(Incident).where(Incident.id == first).values(ended_at=utcnow()))
        db.session.commit()
    link = _board_link(client.get(f"/incidents/{first}").get_data(as_text=True))
    board = client.get(link).get_data(as_text=True)
    assert first_code in board and second_code not in board
    assert "Efterregistreringen är klar" in board
    # Its referrals are not taken: a new one goes into the outage the tablet works in.
    filters = board.split('id="board-filters"', 1)[1].split("</form>", 1)[0]
    assert 'href="/cases/new"' not in filters
    assert "Tavlan för driftstoppet du arbetar i" in filters


def test_the_board_of_an_incident_refreshes_its_own_rows(
    app: Flask, client: FlaskClient, auth
) -> None:
    first, first_code, _second, second_code = _two_outages(app, client, auth)
    board = client.get(f"/board/?incident={first}").get_data(as_text=True)
    url = board.split('data-refresh-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    rows = client.get(url)
    assert rows.status_code == 200
    page = rows.get_data(as_text=True)
    assert first_code in page and second_code not in page


def test_the_filters_of_an_incidents_board_keep_its_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    first, *_ = _two_outages(app, client, auth)
    board = client.get(f"/board/?incident={first}").get_data(as_text=True)
    filters = board.split('id="board-filters"', 1)[1].split("</form>", 1)[0]
    assert f'name="incident" value="{first}"' in filters


def test_the_board_of_an_incident_is_logged_as_a_read_of_that_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    first, *_ = _two_outages(app, client, auth)
    client.get(f"/board/?incident={first}")
    with app.app_context():
        reads = db.session.scalars(
            select(AuditEvent.incident_id).where(AuditEvent.action == "board_view")
        ).all()
    assert reads == [first]


def test_an_unknown_or_bad_incident_on_the_board_is_not_found(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client, "om_ris")
    for value in ("999", "0", "x", "-1", "1" * 40):
        assert client.get(f"/board/?incident={value}").status_code == 404, value
        assert client.get(f"/board/rows?incident={value}&pinned=1").status_code in (302, 404)


def test_another_sites_incident_board_is_not_found(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    code = _case_in(app, client, incident_id, "a")
    auth.logout()
    other = second_site(app)
    with app.app_context():
        make_user(role="radiographer", username="lillby-rad", site_id=other)
    client.post("/login", data={"username": "lillby-rad", "secret": DEFAULT_PIN})
    board = client.get(f"/board/?incident={incident_id}")
    assert board.status_code == 404 and code not in board.get_data(as_text=True)
    rows = client.get(f"/board/rows?incident={incident_id}&pinned=1")
    assert rows.status_code in (302, 404) and code not in rows.get_data(as_text=True)


def test_an_ended_outages_board_reloaded_by_its_refresh_keeps_every_case_shown(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The refresh reloads the page when the laptop's warnings change (a backup stick pulled):
    # the board of an ended outage, opened showing every case, must not come back filtered to
    # the active ones, of which an ended outage has none.
    first, first_code, *_ = _two_outages(app, client, auth)
    with app.app_context():
        # Ended as an outage ends: its case reconciled.
        db.session.execute(update(Case).where(Case.code == first_code).values(status="closed"))
        db.session.execute(update(Incident).where(Incident.id == first).values(ended_at=utcnow()))
        db.session.commit()
    link = _board_link(client.get(f"/incidents/{first}").get_data(as_text=True))
    board = client.get(link).get_data(as_text=True)
    assert first_code in board
    url = board.split('data-refresh-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "laptop=" in url
    reloaded = client.get(url.replace("laptop=", "laptop=backup_failed", 1))
    assert reloaded.status_code == 302
    again = client.get(reloaded.headers["Location"]).get_data(as_text=True)
    assert first_code in again


def test_show_all_on_an_incidents_board_keeps_its_incident(
    app: Flask, client: FlaskClient, auth, monkeypatch
) -> None:
    from webapp.board import views

    monkeypatch.setattr(views, "BOARD_ROWS", 1)
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    assert client.post(f"/incidents/{first}/select").status_code == 302
    # Just arrived, so in time: the board shows the most urgent and counts the other.
    now = datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M")
    for suffix in ("a", "b"):
        data = referral_data(key_suffix=suffix, arrived_at=now)
        assert client.post("/cases/new", data=data).status_code == 302
    declare_incident(client, "pacs")  # the tablet works in this one now
    board = client.get(f"/board/?incident={first}").get_data(as_text=True)
    assert "Visa alla" in board
    link = board.split("Visa alla", 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0]
    every = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    # It opened the board of the outage the tablet works in, of no case, under its heading.
    assert every.count('class="board-row') == 2


def test_an_ended_outages_board_marks_no_case_late(app: Flask, client: FlaskClient, auth) -> None:
    # Left without a report at the close, the case was waived and is worked on in RIS: its case
    # page marks nothing late, and the board of its incident said "Försenad" beside it all the
    # same (and ranked every such case first), an alarm nobody can answer.
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    late = referral_data(key_suffix="t", priority="inom_timmar", arrived_at="2026-01-15T08:00")
    case_id = int(client.post("/cases/new", data=late).headers["Location"].rsplit("/", 1)[-1])
    code = case_code(app, case_id)
    assert "status overdue" in client.get(f"/board/?incident={incident_id}").get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            update(Incident).where(Incident.id == incident_id).values(ended_at=utcnow())
        )
        db.session.commit()
    board = client.get(f"/board/?incident={incident_id}").get_data(as_text=True)
    assert board.count(code) == 1
    assert "status overdue" not in board
    assert "Försenad" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
