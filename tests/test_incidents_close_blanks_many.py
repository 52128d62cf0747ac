"""After a big restock (hundreds of blanks printed in the outage) the close lists the first loose
blanks in the order printed and how many more, with a page listing them all; its tick still
confirms exactly the blanks loose when the page was drawn, counted beside it."""

from __future__ import annotations

import html
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.incidents.close_blanks import SHOWN_AT_MOST
from webapp.models import Incident, ReservedCode, User

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import DEFAULT_PIN, audit_events, make_user, second_site

MORE = 7


def _printed(app: Flask, client: FlaskClient, auth, incident_id: int, count: int) -> list[str]:
    """`count` blanks reserved and printed during the incident, each a minute apart, the last
    reserved printed first; their codes in the order printed, with nobody logged in."""
    auth.logout()
    auth.login("admin")
    assert client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": str(count)})
    auth.logout()
    with app.app_context():
        started = db.session.get(Incident, incident_id).started_at
        admin = db.session.scalar(select(User.id).where(User.role == "admin"))
        ids = list(db.session.scalars(select(ReservedCode.id).order_by(ReservedCode.id.desc())))
        assert len(ids) == count
        for minute, code_id in enumerate(ids):
            # The print stamps these; set here, as a stack printed sheet by sheet would leave them.
            db.session.execute(
                update(ReservedCode)
                .where(ReservedCode.id == code_id)
                .values(
                    last_printed_at=started + timedelta(minutes=minute + 1),
                    last_printed_by_id=admin,
                    printed_at=started + timedelta(minutes=minute + 1),
                )
            )
        db.session.commit()
        by_id = dict(db.session.execute(select(ReservedCode.id, ReservedCode.code)).all())
    return [by_id[i] for i in ids]


def _close_form(page: str) -> str:
    return html.unescape(page.split('class="sign-confirm close-confirm"', 1)[1])


def _listed_at_close(page: str) -> str:
    return _close_form(page).split('id="loose-blanks-at-close"', 1)[1].split("</ul>", 1)[0]


def _listed_to_do(page: str) -> str:
    return html.unescape(page.split('id="loose-blanks"', 1)[1].split("</ul>", 1)[0])


def _error(page: str) -> str:
    return html.unescape(page.split('id="confirm_blanks-error"', 1)[1].split("</p>", 1)[0])


def test_the_batch_page_lists_the_first_loose_blanks_in_time_order_and_how_many_more(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _printed(app, client, auth, world["incident_id"], SHOWN_AT_MOST + MORE)
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    for listed in (_listed_at_close(page), _listed_to_do(page)):
        shown = [c for c in codes if c in listed]
        assert shown == codes[:SHOWN_AT_MOST]
        assert [listed.index(c) for c in shown] == sorted(listed.index(c) for c in shown)
        assert f"och {MORE} till" in listed
        assert f'href="/catchup/incidents/{world["incident_id"]}/blanks"' in listed


def test_the_tick_says_how_many_blanks_it_confirms(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _printed(app, client, auth, world["incident_id"], SHOWN_AT_MOST + MORE)
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    form = _close_form(page)
    assert f"Bocken gäller alla {len(codes)} blanketter" in form
    # Every code loose as the page was drawn, the ones past the list too: the tick covers them.
    hidden = form.split('name="blank_codes" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert hidden.split() == codes


def test_the_page_of_all_loose_blanks_lists_each_in_time_order(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _printed(app, client, auth, world["incident_id"], SHOWN_AT_MOST + MORE)
    for role in ("secretary", "admin"):
        auth.logout()
        auth.login(role)
        response = client.get(f"/catchup/incidents/{world['incident_id']}/blanks")
        assert response.status_code == 200
        page = html.unescape(response.get_data(as_text=True))
        assert [page.index(c) for c in codes] == sorted(page.index(c) for c in codes)
        assert f'href="/blanks/{codes[-1]}/attach"' in page
        assert f"({len(codes)})" in page


def test_the_page_of_all_loose_blanks_is_not_for_the_radiographer_nor_another_site(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    codes = _printed(app, client, auth, world["incident_id"], 2)
    auth.login("radiographer")
    assert client.get(f"/catchup/incidents/{world['incident_id']}/blanks").status_code == 403
    auth.logout()
    other = second_site(app)
    with app.app_context():
        make_user(role="admin", username="lillby-admin", site_id=other)
    client.post("/login", data={"username": "lillby-admin", "secret": DEFAULT_PIN})
    response = client.get(f"/catchup/incidents/{world['incident_id']}/blanks")
    assert response.status_code == 404 and codes[0] not in response.get_data(as_text=True)


def test_ticked_with_every_code_the_page_held_the_close_ends_and_names_them_all(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _printed(app, client, auth, world["incident_id"], SHOWN_AT_MOST + MORE)
    close_incident(
        client, auth, world["incident_id"], confirm_blanks="y", blank_codes=" ".join(codes)
    )
    assert incident_ended(app, world["incident_id"])
    (ended,) = audit_events(app, "incident_end")
    assert f"blanketter kontrollerade som oifyllda: {', '.join(codes)}" in ended.detail


def test_a_refused_close_names_the_first_blanks_and_how_many_more(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _printed(app, client, auth, world["incident_id"], SHOWN_AT_MOST + MORE)
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert not incident_ended(app, world["incident_id"])
    assert f"{len(codes)} blanketter skrevs ut före eller under driftstoppet" in error
    assert all(c in error for c in codes[:SHOWN_AT_MOST])
    assert not any(c in error for c in codes[SHOWN_AT_MOST:])
    assert f"och {MORE} till" in error
