"""The RIS administrator's queue of faxed reviewer reports: worked through with a note, refused
to others, and a note sent after the item was done."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerExchange

from .factories import case_code
from .routines_support import make_case, receive_data


def test_admin_works_through_the_queue(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    client.post("/routines/reviewer/receive", data=receive_data(code, forwarded=False))
    assert client.get("/routines/reviewer/queue").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get("/routines/reviewer/queue").get_data(as_text=True)
    assert code in page and "texten är inte införd i appen" in page
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": "Svar i RIS"})
    with app.app_context():
        exchange = db.session.get(ReviewerExchange, exchange_id)
        assert exchange.admin_done_at is not None and exchange.admin_note == "Svar i RIS"
    page = client.get("/routines/reviewer/queue").get_data(as_text=True)
    assert "Kön är tom." in page
    again = client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={})
    assert again.status_code == 302  # refused with a message, nothing changes


def test_too_long_admin_note_is_shown_again_with_the_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive", data=receive_data(case_code(app, case_id), forwarded=False)
    )
    auth.logout()
    auth.login("admin")
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    note = "Svar i RIS. " + "x" * 2000
    response = client.post(f"/routines/reviewer/queue/{exchange_id}/done", data={"note": note})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="note-{exchange_id}-error"' in page and f'value="{note}"' in page
    assert "Fältet får inte vara längre än 2000 tecken." in page
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_done_at is None


def test_non_admin_cannot_mark_queue_items_done(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    assert client.post("/routines/reviewer/queue/1/done", data={}).status_code == 403


def _queued_for_admin(app: Flask, client: FlaskClient, auth) -> int:
    """A faxed reviewer report in the RIS administrator's queue; its exchange's id."""
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        "/routines/reviewer/receive", data=receive_data(case_code(app, case_id), forwarded=False)
    )
    auth.logout()
    with app.app_context():
        return db.session.scalar(select(ReviewerExchange.id))


def _done_by_the_admin(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    """A queued reviewer report marked done by the admin (still logged in), with the note
    "Svar i RIS"; its id and the address that marks it done."""
    exchange_id = _queued_for_admin(app, client, auth)
    auth.login("admin")
    url = f"/routines/reviewer/queue/{exchange_id}/done"
    assert client.post(url, data={"note": "Svar i RIS"}).status_code == 302
    return exchange_id, url


def test_an_invalid_note_sent_after_the_item_was_done_says_it_was_done(
    app: Flask, client: FlaskClient, auth
) -> None:
    exchange_id, url = _done_by_the_admin(app, client, auth)
    again = client.post(url, data={"note": "Svar i RIS. " + "x" * 2000}, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert "var redan klar – markerad av Testa Admin Åström" in page
    assert "Kunde inte sparas." not in page
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_note == "Svar i RIS"


def test_a_second_admin_is_told_who_did_the_item_and_that_their_note_was_not_saved(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    exchange_id, url = _done_by_the_admin(app, client, auth)
    auth.logout()
    user_factory(role="admin", username="admin-2", display_name="Bo Bengtsson")
    auth.login("admin", username="admin-2")
    late = client.post(url, data={"note": "Inlagt i RIS, korr-lista"}, follow_redirects=True)
    page = late.get_data(as_text=True)
    assert "inget dubblerades" not in page
    assert "var redan klar – markerad av Testa Admin Åström" in page
    assert "Din anteckning sparades inte: ”Inlagt i RIS, korr-lista”" in page
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_note == "Svar i RIS"


def test_admin_klar_tapped_twice_with_its_note_is_calm(
    app: Flask, client: FlaskClient, auth
) -> None:
    _, url = _done_by_the_admin(app, client, auth)
    again = client.post(url, data={"note": "Svar i RIS"}, follow_redirects=True)
    assert "Posten var redan klar – inget dubblerades." in again.get_data(as_text=True)
