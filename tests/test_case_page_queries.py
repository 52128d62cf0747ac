"""The case page loads a case's cancellation notices, and who logged them, with the case: no
statement of their own, however many there are."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CancelNotice, Case, User

from .factories import hidden_value, make_user, referral_data
from .statements import sent_statements


def _cancelled_case(client: FlaskClient, name: str) -> str:
    data = referral_data(patient_name=name, key_suffix=name[:2])
    url = client.post("/cases/new", data=data).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    data = {"reason": "Dubblett", "message": "", "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=data).status_code == 302
    return url


def _log_notices(app: Flask, url: str) -> None:
    """A faxed notice and a second one, logged by two other users."""
    with app.app_context():
        case = db.session.get(Case, int(url.rsplit("/", 1)[-1]))
        assert case is not None and case.cancelled_at is not None
        users = [
            make_user(role="radiographer", username=f"notice-{n}", display_name=f"Nils {n}")
            for n in range(2)
        ]
        for user, kind in zip(users, ("faxed", "not_needed"), strict=True):
            db.session.add(
                CancelNotice(
                    case_id=case.id,
                    kind=kind,
                    cancelled_at=case.cancelled_at,
                    fax_number="0999-123 46" if kind == "faxed" else "",
                    faxed_at=case.cancelled_at + timedelta(minutes=5) if kind == "faxed" else None,
                    user_id=user.id,
                    note="Besvaras i det andra ärendet" if kind == "not_needed" else "",
                )
            )
        db.session.commit()


def _page_statements(app: Flask, client: FlaskClient, url: str) -> tuple[str, list[str]]:
    with sent_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), list(statements)


def test_the_case_page_sends_no_statement_of_its_own_for_the_notices(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    without = _cancelled_case(client, "Anna Andersson")
    told = _cancelled_case(client, "Bo Bengtsson")
    _log_notices(app, told)
    _, bare = _page_statements(app, client, without)
    page, with_notices = _page_statements(app, client, told)
    # Both notices and both users are on the page, read with the case.
    assert "Nils 0" in page and "Nils 1" in page and "Besvaras i det andra ärendet" in page
    assert len(with_notices) == len(bare), with_notices
    assert not [s for s in with_notices if re.search(r"FROM cancel_notice\b", s)]


def test_a_case_never_cancelled_reads_no_notices_apart(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    _, statements = _page_statements(app, client, url)
    assert not [s for s in statements if re.search(r"FROM cancel_notice\b", s)]
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "notice-0")) is None


def _put_draft(client: FlaskClient, url: str, kind: str, key: str, data: dict[str, str]) -> None:
    saved = client.put(
        f"/api/drafts/{key}",
        json={"kind": kind, "seq": 1, "case_id": url.rsplit("/", 1)[-1], "data": data},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)


def _draft_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if re.search(r"\bFROM draft\b", s)]


def test_a_cancelled_cases_page_reads_the_offers_of_its_forms_in_one_statement(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    bare = _cancelled_case(client, "Anna Andersson")
    typed = _cancelled_case(client, "Bo Bengtsson")
    _put_draft(client, typed, "restore", "restore-" + "r" * 20, {"reason": "Fel ärende"})
    _put_draft(client, typed, "cancel_notice", "notice-" + "n" * 20, {"note": "Besvaras ändå"})
    _, without = _page_statements(app, client, bare)
    page, with_offers = _page_statements(app, client, typed)
    # Both forms offer their draft, the undoing's and the notice's.
    assert page.count("Osparad ändring från") == 2
    assert "draft=restore-" in page and "draft=notice-" in page
    assert len(_draft_reads(with_offers)) == 1, _draft_reads(with_offers)
    # The offers cost no statement of their own beyond that one read.
    assert len(with_offers) == len(without), with_offers
