"""A shared tablet: a copy typed offline under one login and delivered under another is stored
as what it is, never as the deliverer's own text."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .factories import audit_events, make_user, second_site

KEY = "sharedtablet-" + "k" * 16


@pytest.fixture
def anna(client: FlaskClient, auth) -> Any:
    """Anna, the radiographer who typed offline; an incident is declared."""
    info = auth.login(username="anna")
    client.post("/incidents/new", data={"scenario": "integration"})
    auth.logout()
    return info


@pytest.fixture
def bo(user_factory) -> Any:
    """Bo, the radiographer who logs in on the tablet next."""
    return user_factory(username="bo")


def _names(app: Flask) -> None:
    from webapp.models import User

    with app.app_context():
        for user in db.session.scalars(select(User)):
            user.display_name = {"anna": "Anna Andersson", "bo": "Bo Berg"}.get(
                user.username, user.display_name
            )
        db.session.commit()


def _put(client: FlaskClient, seq: int, name: str, **extra: object):
    return client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": seq,
            "label": name,
            "data": {"patient_name": name, "personal_number": "19121212-1212"},
            **extra,
        },
    )


def _draft(app: Flask) -> Draft:
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        db.session.expunge_all()
        return draft


def _row(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_a_copy_typed_under_another_login_is_not_listed_as_the_deliverers(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    _names(app)
    auth.login(username="bo")
    assert _put(client, 1, "Åsa Öberg", typed_under=anna.id).get_json()["state"] == "created"
    draft = _draft(app)
    assert (draft.typed_under_id, draft.delivered_by_id) == (anna.id, bo.id)
    row = _row(client.get("/drafts").get_data(as_text=True))
    assert "Skrivet offline under inloggning Anna Andersson enligt plattan" in row
    assert "skickat under Bo Berg" in row


def test_a_delivery_under_another_login_keeps_the_author_of_a_draft_the_laptop_had(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    auth.login(username="anna")
    _put(client, 1, "Åsa", typed_under=anna.id)
    auth.logout()
    auth.login(username="bo")
    assert _put(client, 2, "Åsa Öberg", typed_under=anna.id).get_json()["state"] == "saved"
    draft = _draft(app)
    assert draft.data["patient_name"] == "Åsa Öberg"
    assert (draft.user_id, draft.typed_under_id, draft.delivered_by_id) == (anna.id, anna.id, bo.id)


def test_a_delivery_under_another_login_is_audited_by_the_deliverer(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    _names(app)
    auth.login(username="bo")
    _put(client, 1, "Åsa Öberg", typed_under=anna.id)
    (event,) = audit_events(app, "draft_delivered")
    assert event.user_id == bo.id
    assert "Anna Andersson" in event.detail and KEY in event.detail
    assert event.patient_ref == "191212121212"


@pytest.mark.parametrize("claim", ["nobody", "other site", "unknown"])
def test_a_claim_the_laptop_cannot_check_is_stored_as_an_unknown_login(
    app: Flask, client: FlaskClient, auth, anna, bo, claim: str
) -> None:
    if claim == "other site":
        site = second_site(app)
        with app.app_context():
            typed_under = make_user(username="lillby", site_id=site).id
    else:
        typed_under = {"nobody": 99999, "unknown": 0}[claim]
    auth.login(username="bo")
    _put(client, 1, "Åsa Öberg", typed_under=typed_under)
    draft = _draft(app)
    assert (draft.user_id, draft.typed_under_id, draft.delivered_by_id) == (bo.id, None, bo.id)
    assert "under en okänd inloggning" in _row(client.get("/drafts").get_data(as_text=True))


def test_text_typed_on_under_the_next_login_still_names_the_login_it_was_begun_under(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    _names(app)
    auth.login(username="bo")
    _put(client, 1, "Åsa", typed_under=anna.id)
    # Bo types on in it from the list: his page sends it as text typed under his own login.
    assert _put(client, 2, "Åsa Öberg", typed_under=bo.id).get_json()["state"] == "saved"
    draft = _draft(app)
    assert draft.data["patient_name"] == "Åsa Öberg"
    assert (draft.typed_under_id, draft.continued_by_id, draft.delivered_by_id) == (
        anna.id,
        bo.id,
        bo.id,
    )
    row = _row(client.get("/drafts").get_data(as_text=True))
    assert "Påbörjat offline under inloggning Anna Andersson enligt plattan" in row
    assert "fortsatt och skickat under Bo Berg" in row


def test_a_copy_typed_on_offline_by_the_next_login_arrives_naming_both(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    # What the tablet sends when Bo typed on in Anna's copy before it reached the laptop.
    _names(app)
    auth.login(username="bo")
    response = _put(client, 1, "Åsa Öberg", typed_under=anna.id, continued_under=bo.id)
    assert response.get_json()["state"] == "created"
    draft = _draft(app)
    assert (draft.user_id, draft.typed_under_id, draft.continued_by_id, draft.delivered_by_id) == (
        bo.id,
        anna.id,
        bo.id,
        bo.id,
    )
    (delivered,) = audit_events(app, "draft_delivered")
    (continued,) = audit_events(app, "draft_continued")
    assert continued.user_id == bo.id and continued.patient_ref == "191212121212"
    assert "påbörjat offline under inloggning Anna Andersson" in continued.detail
    assert "fortsatt under inloggning Bo Berg" in continued.detail
    assert KEY in delivered.detail


def test_typing_on_in_another_logins_text_is_audited_once_not_at_every_save(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    auth.login(username="bo")
    _put(client, 1, "Åsa", typed_under=anna.id)
    _put(client, 2, "Åsa Ö", typed_under=anna.id)
    _put(client, 3, "Åsa Öb", typed_under=anna.id, continued_under=bo.id)
    _put(client, 4, "Åsa Öberg", typed_under=anna.id, continued_under=bo.id)
    _put(client, 5, "Åsa Öberg!", typed_under=bo.id)
    assert len(audit_events(app, "draft_delivered")) == 1
    assert len(audit_events(app, "draft_continued")) == 1


def test_the_login_a_text_was_begun_under_typing_on_in_it_is_no_continuation(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    auth.login(username="bo")
    _put(client, 1, "Åsa", typed_under=anna.id)
    auth.logout()
    auth.login(username="anna")
    assert _put(client, 2, "Åsa Öberg", typed_under=anna.id).get_json()["state"] == "saved"
    draft = _draft(app)
    assert (draft.typed_under_id, draft.continued_by_id, draft.delivered_by_id) == (
        anna.id,
        None,
        bo.id,
    )
    assert audit_events(app, "draft_continued") == []


def test_a_copy_typed_on_by_one_login_and_sent_under_a_third_names_all_three(
    app: Flask, client: FlaskClient, auth, anna, bo, user_factory
) -> None:
    _names(app)
    cecilia = user_factory(username="cecilia")
    auth.login(username="cecilia")
    _put(client, 1, "Åsa Öberg", typed_under=anna.id, continued_under=bo.id)
    draft = _draft(app)
    assert (draft.typed_under_id, draft.continued_by_id, draft.delivered_by_id) == (
        anna.id,
        bo.id,
        cecilia.id,
    )
    row = _row(client.get("/drafts").get_data(as_text=True))
    assert "Påbörjat offline under inloggning Anna Andersson enligt plattan" in row
    assert "fortsatt under Bo Berg" in row and "skickat under" in row


def test_a_form_continuing_a_delivered_draft_says_where_its_text_came_from(
    app: Flask, client: FlaskClient, auth, anna, bo
) -> None:
    _names(app)
    auth.login(username="bo")
    _put(client, 1, "Åsa Öberg", typed_under=anna.id)
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert 'value="Åsa Öberg"' in page
    assert "Skrivet offline under inloggning Anna Andersson enligt plattan" in page


def test_a_claimed_login_grants_nothing(client: FlaskClient, auth, user_factory, anna) -> None:
    # A radiographer may not write a report, whoever the tablet says typed it.
    radiologist = user_factory(role="radiologist", username="rad")
    auth.login(username="bo")
    response = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "report", "seq": 1, "data": {}, "typed_under": radiologist.id},
    )
    assert response.status_code == 403


def test_a_delivered_draft_offered_on_its_case_form_names_both_logins(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _names_of = {"test-radiographer": "Anna Andersson", "bo": "Bo Berg"}
    anna = auth.login()
    auth.logout()
    auth.login(username="bo")
    with app.app_context():
        from webapp.models import User

        for user in db.session.scalars(select(User)):
            user.display_name = _names_of.get(user.username, user.display_name)
        db.session.commit()
    client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "exam",
            "seq": 1,
            "case_id": case_id,
            "data": {"notes": "Orolig"},
            "typed_under": anna.id,
        },
    )
    page = client.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    offer = page.split("draft-offer", 1)[1]
    assert "Skrivet offline under inloggning Anna Andersson enligt plattan" in offer
    assert "skickat under Bo Berg" in offer
    assert "av Bo Berg" not in offer
