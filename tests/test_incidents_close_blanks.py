"""A blank sheet printed during the outage that was neither joined to a case nor voided may be a
filled-in sheet lost on the way, or an unused one back in the binder for the next outage: the
batch page lists it, and the close asks the admin to confirm that none of them is filled in."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode, User

from .catchup_support import (
    close_incident,
    incident_ended,
    reconcile_world,
    reserve_blank,
    with_page_lists,
)
from .catchup_world_support import world as world  # the fixture
from .factories import DEFAULT_PIN, audit_events
from .row_held import sent_while_row_held


def _print_blank(app: Flask, client: FlaskClient, auth, doc_kind: str) -> str:
    """An admin reserves one blank and prints its sheet; its code, with nobody logged in."""
    code = reserve_blank(app, client, auth, doc_kind)
    auth.login("admin")
    assert client.get(f"/blanks/{code}/batch.pdf").status_code == 200
    auth.logout()
    return code


def _print_blanks(app: Flask, client: FlaskClient, auth, doc_kind: str, count: int) -> list[str]:
    """An admin reserves `count` blanks and prints their sheets; their codes, nobody logged in."""
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": str(count)})
    with app.app_context():
        # In the order reserved, which is the order printed: under the suite's fixed clock all
        # are printed at one moment, and the close lists them by that, then as reserved.
        codes = list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))
    assert len(codes) == count
    for code in codes:
        assert client.get(f"/blanks/{code}/batch.pdf").status_code == 200
    auth.logout()
    return codes


def _error(page: str) -> str:
    """What the close says beside the blanks' tick."""
    return html.unescape(page.split('id="confirm_blanks-error"', 1)[1].split("</p>", 1)[0])


def _listed_at_close(page: str) -> str:
    """The blanks the close form lists beside the tick."""
    form = html.unescape(page.split('class="sign-confirm close-confirm"', 1)[1])
    return form.split('id="loose-blanks-at-close"', 1)[1].split("</ul>", 1)[0]


def _ended_detail(app: Flask) -> str:
    (ended,) = audit_events(app, "incident_end")
    return ended.detail


def _admin_name(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(User.display_name).where(User.role == "admin")))


def test_a_blank_printed_in_the_outage_and_never_joined_asks_for_the_tick(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLU")
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert not incident_ended(app, world["incident_id"])
    assert "1 blankett skrevs ut före eller under driftstoppet men är varken kopplad" in error
    assert code in error and "Utlåtande" in error and _admin_name(app) in error
    # What to do with a filled one, in Swedish: scan and join it (a referral its own case).
    assert "Är den ifylld: skanna den och koppla den till sitt ärende" in error
    assert "en remissblankett förs in som ett eget ärende" in error
    assert "lägg den i pärmen" in error


def test_the_close_form_lists_each_loose_blank_beside_its_tick(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    listed = _listed_at_close(page)
    assert code in listed and "Dokumentation" in listed and _admin_name(app) in listed
    assert f'href="/blanks/{code}/attach"' in listed
    form = page.split('class="sign-confirm close-confirm"', 1)[1]
    assert 'name="confirm_blanks"' in form
    assert "ingen av dem är ifylld, de oanvända ligger kvar i pärmen" in html.unescape(form)


def test_ticked_the_close_ends_and_its_audit_names_the_blanks(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    codes = _print_blanks(app, client, auth, "BLU", 2)
    close_incident(
        client, auth, world["incident_id"], confirm_blanks="y", blank_codes=" ".join(codes)
    )
    assert incident_ended(app, world["incident_id"])
    assert f"blanketter kontrollerade som oifyllda: {', '.join(codes)}" in _ended_detail(app)
    # Neither joined nor voided: each stays in the binder, usable in the next outage.
    with app.app_context():
        kept = db.session.scalars(select(ReservedCode).where(ReservedCode.code.in_(codes)))
        assert all(r.voided_at is None and r.used_case_id is None for r in kept)


def test_two_blanks_refused_are_both_named(app: Flask, client: FlaskClient, auth, world) -> None:
    reconcile_world(client, auth, world)
    codes = _print_blanks(app, client, auth, "BLD", 2)
    error = _error(close_incident(client, auth, world["incident_id"]))
    assert not incident_ended(app, world["incident_id"])
    assert "2 blanketter skrevs ut före eller under driftstoppet" in error
    assert all(code in error for code in codes)
    assert "Är en ifylld: skanna den och koppla den till sitt ärende" in error


def test_a_voided_blank_no_longer_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    auth.login("admin")
    client.post(f"/blanks/{code}/void", data={"reason": "Oanvänd, kasserad"})
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert 'name="confirm_blanks"' not in page
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    assert "blanketter" not in _ended_detail(app)


def test_a_blank_joined_to_its_case_no_longer_holds_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    auth.login("secretary")
    joined = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(world["ids"][0])})
    assert joined.status_code == 302
    auth.logout()
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert 'name="confirm_blanks"' not in page
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    assert "blanketter" not in _ended_detail(app)


def test_a_referral_blank_printed_in_the_outage_links_to_typing_it_in(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLR")
    listed = _listed_at_close(close_incident(client, auth, world["incident_id"]))
    assert f'href="/blanks/{code}/open"' in listed and "Remiss" in listed


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
    # They do not hold the close: it asks for them beside its tick instead.
    close_section = page.split("<h2>Avsluta driftstoppet</h2>", 1)[1]
    assert 'href="#loose-blanks"' not in close_section


def test_the_blanks_refusal_reads_in_english_with_each_blank_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLU")
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    refused = client.post(
        f"/catchup/incidents/{world['incident_id']}/close", data={"confirm_unnotified": "y"}
    )
    assert refused.status_code == 409
    error = _error(refused.get_data(as_text=True))
    assert "1 blank was printed before or during the outage but is neither linked" in error
    assert f"{code} (Report, printed " in error and f" by {_admin_name(app)})" in error
    assert "If it is filled in: scan it and link it to its case" in error
    assert "utskriven" not in error and "Message(" not in error


def test_a_void_in_flight_as_the_close_runs_is_waited_for_and_no_tick_is_asked(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    reconcile_world(client, auth, world)
    code = _print_blank(app, client, auth, "BLD")
    tablets = []
    for name in ("voider", "closer"):
        user_factory(role="admin", username=f"race-{name}")
        tablet = app.test_client()
        assert tablet.post("/login", data={"username": f"race-{name}", "secret": DEFAULT_PIN})
        tablets.append(tablet)
    voider, closer = tablets
    with app.app_context():
        code_id = db.session.scalar(select(ReservedCode.id).where(ReservedCode.code == code))
    # PostgreSQL: the void reads the blank and waits to write it; the close comes to the blank
    # after it, waits too (its lock), and reads it voided. SQLite: one after the other.
    sent = with_page_lists(closer, world["incident_id"], {"confirm_unnotified": "y"})
    voided, closed = sent_while_row_held(
        app,
        "reserved_code",
        code_id,
        [
            lambda: voider.post(f"/blanks/{code}/void", data={"reason": "Oanvänd, kasserad"}),
            lambda: closer.post(f"/catchup/incidents/{world['incident_id']}/close", data=sent),
        ],
    )
    assert voided.status_code == 302 and closed.status_code == 302
    assert incident_ended(app, world["incident_id"])
    assert "blanketter" not in _ended_detail(app)


def test_the_tick_confirms_only_the_blanks_the_page_listed(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    auth.login("admin")
    # Two stacks of one: a stack's sheets are printed together.
    for _ in range(2):
        client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        seen, unseen = db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id))
    assert client.get(f"/blanks/{seen}/batch.pdf").status_code == 200
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    form = page.split('class="sign-confirm close-confirm"', 1)[1]
    assert f'name="blank_codes" type="hidden" value="{seen}"' in form
    assert form.count('name="blank_codes"') == 1
    # Printed on another tablet while the admin read the list: not among those ticked.
    assert client.get(f"/blanks/{unseen}/batch.pdf").status_code == 200
    auth.logout()
    error = _error(
        close_incident(client, auth, world["incident_id"], confirm_blanks="y", blank_codes=seen)
    )
    assert not incident_ended(app, world["incident_id"])
    assert "1 blankett skrevs ut före eller under driftstoppet" in error
    assert unseen in error and seen not in error
    # The page drawn again lists both; ticked for both, it closes.
    close_incident(
        client, auth, world["incident_id"], confirm_blanks="y", blank_codes=f"{seen} {unseen}"
    )
    assert incident_ended(app, world["incident_id"])
