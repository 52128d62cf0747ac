"""A reviewer's answer typed in by its case code is recorded only once the page has shown the
case's patient by name and personnummer; a case never faxed to the reviewer needs a tick."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent

from .factories import case_code
from .reviewer_support import _entries, _fax_to_the_reviewer
from .routines_support import make_case, receive_data

NOT_FAXED = "Inget fax till den externa granskaren är loggat för ärendet"


def _typed(code: str) -> dict[str, str]:
    """The receive form as typed, before the confirmation page."""
    return receive_data(code, confirmed=False, forwarded=False)


def test_the_typed_code_shows_the_patient_and_records_nothing_yet(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    _fax_to_the_reviewer(client, auth, case_id)
    response = client.post("/routines/reviewer/receive", data=_typed(code.lower()))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Örjan Älvström" in page and "19121212-1212" in page and code in page
    assert f'name="confirmed_code" type="hidden" value="{code}"' in page
    assert 'value="Dr Granskare"' in page  # what was typed stays
    assert NOT_FAXED not in page
    assert [kind for kind, _n, _p in _entries(app)] == ["fax_sent"]
    with app.app_context():
        shown = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_receive_confirm_view")
        )
        assert shown is not None and shown.case_id == case_id


def test_the_confirmed_answer_is_recorded(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    _fax_to_the_reviewer(client, auth, case_id)
    data = _typed(code) | {"confirmed_code": code}
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 302
    assert [kind for kind, _n, _p in _entries(app)][:2] == ["fax_sent", "report_received"]


def test_another_code_typed_on_the_confirmation_shows_that_case_first(
    app: Flask, client: FlaskClient, auth
) -> None:
    first = make_case(client, auth)
    auth.login("radiographer")
    location = client.post("/cases/new", data={**_referral_of("Tora Tjugo")}).headers["Location"]
    second = int(location.rsplit("/", 1)[-1])
    data = _typed(case_code(app, second)) | {"confirmed_code": case_code(app, first)}
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 200
    assert "Tora Tjugo" in response.get_data(as_text=True)
    assert _entries(app) == []


def _referral_of(name: str) -> dict[str, object]:
    from .factories import referral_data

    return referral_data(patient_name=name, key_suffix="2")


def test_a_case_never_faxed_to_the_reviewer_says_so_and_needs_the_tick(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    page = client.post("/routines/reviewer/receive", data=_typed(code)).get_data(as_text=True)
    assert NOT_FAXED in page and 'name="confirm_unfaxed"' in page
    untcked = client.post(
        "/routines/reviewer/receive", data=_typed(code) | {"confirmed_code": code}
    )
    assert untcked.status_code == 400
    refused = untcked.get_data(as_text=True)
    assert 'id="confirm_unfaxed-error"' in refused
    assert 'value="Dr Granskare"' in refused
    assert _entries(app) == []
    ticked = _typed(code) | {"confirmed_code": code, "confirm_unfaxed": "y"}
    assert client.post("/routines/reviewer/receive", data=ticked).status_code == 302
    assert _entries(app)[0][0] == "report_received"
