"""A board left open on a tablet while its outage is closed on another: its refresh reloads the
page, so it offers no new referral into the ended outage and says where the tablet works now."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.extensions import db
from webapp.models import Incident
from webapp.models.base import utcnow

from .factories import declare_incident


def _end(app: Flask, incident_id: int) -> None:
    """Closed on another tablet (what the close checks first is tested with the close)."""
    with app.app_context():
        db.session.execute(
            update(Incident).where(Incident.id == incident_id).values(ended_at=utcnow())
        )
        db.session.commit()


def _refresh_url(page: str) -> str:
    return page.split('data-refresh-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def _filters(page: str) -> str:
    return page.split('id="board-filters"', 1)[1].split("</form>", 1)[0]


def test_the_own_outages_board_from_its_page_reloads_once_it_ends_elsewhere(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    board = client.get(f"/board/?incident={incident_id}").get_data(as_text=True)
    assert 'href="/cases/new"' in _filters(board)
    url = _refresh_url(board)
    assert client.get(url).status_code == 200
    _end(app, incident_id)
    refreshed = client.get(url)
    assert refreshed.status_code == 302
    again = client.get(refreshed.headers["Location"]).get_data(as_text=True)
    filters = _filters(again)
    # No outage is open: the board says so rather than offer a board that is not there.
    assert 'href="/cases/new"' not in filters and "Inget pågående driftstopp" in filters
    assert client.get(_refresh_url(again)).status_code == 200  # and stays


def test_the_own_outages_board_from_its_page_reloads_to_offer_the_one_worked_in_now(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    declare_incident(client, "pacs")
    assert client.post(f"/incidents/{first}/select").status_code == 302
    board = client.get(f"/board/?incident={first}").get_data(as_text=True)
    assert 'href="/cases/new"' in _filters(board)
    _end(app, first)
    refreshed = client.get(_refresh_url(board))
    assert refreshed.status_code == 302
    again = client.get(refreshed.headers["Location"]).get_data(as_text=True)
    filters = _filters(again)
    assert 'href="/cases/new"' not in filters
    assert "Tavlan för driftstoppet du arbetar i" in filters


def test_another_outages_board_reloads_to_take_referrals_once_the_tablets_own_ends(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    second = declare_incident(client, "pacs")
    assert client.post(f"/incidents/{second}/select").status_code == 302
    board = client.get(f"/board/?incident={first}").get_data(as_text=True)
    assert 'href="/cases/new"' not in _filters(board)
    _end(app, second)
    refreshed = client.get(_refresh_url(board))
    assert refreshed.status_code == 302
    again = client.get(refreshed.headers["Location"]).get_data(as_text=True)
    assert 'href="/cases/new"' in _filters(again)


def test_the_board_without_an_incident_named_leaves_an_outage_ended_elsewhere(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    second = declare_incident(client, "pacs")
    assert client.post(f"/incidents/{first}/select").status_code == 302
    board = client.get("/board/").get_data(as_text=True)
    assert f"incident={first}" in _refresh_url(board)
    _end(app, first)
    refreshed = client.get(_refresh_url(board))
    assert refreshed.status_code == 302 and refreshed.headers["Location"].endswith("/board/")
    again = client.get("/board/").get_data(as_text=True)
    assert f"incident={second}" in _refresh_url(again)
    assert 'href="/cases/new"' in _filters(again)
