"""A blank sheet printed during the outage that was neither joined to a case nor voided may be a
filled-in sheet lost on the way: the batch page lists it, and the close waits for it."""

from __future__ import annotations

import html
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Incident, ReservedCode, User

from .catchup_support import close_incident, incident_ended, reconcile_world, reserve_blank
from .catchup_world_support import world as world  # the fixture


def _print_blank(app: Flask, client: FlaskClient, auth, doc_kind: str) -> str:
    """An admin reserves one blank and prints its sheet; its code, with nobody logged in."""
    code = reserve_blank(app, client, auth, doc_kind)
    auth.login("admin")
    assert client.get(f"/blanks/{code}/batch.pdf").status_code == 200
    auth.logout()
    return code


def _error(page: str) -> str:
    return html.unescape(page.split('id="close-error"', 1)[1].split("</div>", 1)[0])


def _admin_name(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(User.display_name).where(User.role == "admin")))


def test_a_blank_printed_in_the_outage_and_never_joined_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLU")
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert not incident_ended(app, world["incident_id"])
    assert "1 blankett skrevs ut under driftstoppet men är varken kopplad" in error
    assert code in error and "Utlåtande" in error and _admin_name(app) in error
    # What to do, in Swedish: scan and join it, or void it with a reason.
    assert "skanna den och koppla den till sitt ärende" in error
    assert "”Oanvänd, kasserad”" in error
    assert f'href="/blanks/{code}/attach"' in error


def test_a_voided_blank_no_longer_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    auth.login("admin")
    client.post(f"/blanks/{code}/void", data={"reason": "Oanvänd, kasserad"})
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_blank_joined_to_its_case_no_longer_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    auth.login("secretary")
    joined = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(world["ids"][0])})
    assert joined.status_code == 302
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_referral_blank_printed_in_the_outage_links_to_typing_it_in(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLR")
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert f'href="/blanks/{code}/open"' in error and "Remiss" in error


def test_a_blank_last_printed_before_the_outage_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLU")
    with app.app_context():
        started = db.session.get(Incident, world["incident_id"]).started_at
        db.session.execute(
            update(ReservedCode)
            .where(ReservedCode.code == code)
            .values(last_printed_at=started - timedelta(days=3))
        )
        db.session.commit()
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_the_batch_page_lists_each_loose_blank_with_where_to_join_or_void_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = _print_blank(app, client, auth, "BLD")
    auth.login("admin")
    page = html.unescape(client.get(f"/catchup/incidents/{world['incident_id']}").get_data(True))
    section = page.split('id="loose-blanks"', 1)[1].split("</ul>", 1)[0]
    assert code in section and "Dokumentation" in section and _admin_name(app) in section
    assert f'href="/blanks/{code}/attach"' in section
    assert f'href="/blanks/#code-{code}"' in section
    # The close section says what holds it.
    assert 'href="#loose-blanks"' in page
