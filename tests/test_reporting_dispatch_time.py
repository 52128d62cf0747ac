"""The fax time against the signature it covers: a fax before the signature is refused, with a
minute's leeway for the clocks and the repeated autumn hour read as after the signature."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.cases import fields
from webapp.extensions import db
from webapp.models import AuditEvent, ReportSignature
from webapp.reporting.dispatch import FaxedBeforeSigning

from .dispatch_support import _dispatch, _dispatches, _log, _sign
from .factories import hidden_value, local_minute, paper_report_data


def _backdate_signatures(app: Flask, at: datetime) -> None:
    """The signatures so far were made at `at` (the preliminary at the start of the night,
    before the definitive signed now)."""
    with app.app_context():
        for signature in db.session.scalars(select(ReportSignature)):
            signature.signed_at = at
        db.session.commit()


def _dispatch_audits(app: Flask) -> int:
    with app.app_context():
        query = select(func.count()).where(AuditEvent.action == "report_dispatch")
        return db.session.scalar(query) or 0


def test_a_fax_time_before_the_signature_is_refused_by_the_service(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    with pytest.raises(FaxedBeforeSigning, match="Faxtiden ligger före signeringen"):
        _log(app, case_id, faxed_at=datetime.now(UTC) - timedelta(minutes=30))
    assert _dispatches(app) == []
    assert _dispatch_audits(app) == 0


def test_a_fax_time_a_minute_before_the_signature_passes_for_the_clocks(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Typed to the minute ("Nu" right after signing) or from a tablet a little behind.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _log(app, case_id, faxed_at=datetime.now(UTC) - timedelta(minutes=1))
    assert len(_dispatches(app)) == 1
    assert _dispatch_audits(app) == 1


def test_the_preliminary_faxed_and_logged_after_the_definitive_is_refused_next_to_the_time(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The preliminary went out an hour ago; the definitive was signed since and never faxed.
    # Logging the real (earlier) fax time now must not mark the definitive report as sent.
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    _backdate_signatures(app, datetime.now(UTC) - timedelta(minutes=90))
    _sign(client, auth, case_id, "definitive", "d" * 20, version="1")
    auth.login("secretary")
    shown = hidden_value(client.get(f"/cases/{case_id}").get_data(as_text=True), "signature")
    faxed_at = local_minute(-timedelta(minutes=60))
    sent = {
        "fax_number": "035-10 20 30",
        "faxed_at": faxed_at,
        "note": "Gick ut i natt",
        "signature": shown,
    }
    response = client.post(f"/reporting/{case_id}/dispatch", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="faxed_at-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None and "Faxtiden ligger före signeringen" in error.group(1)
    assert f'value="{faxed_at}"' in page
    assert 'value="035-10 20 30"' in page and "Gick ut i natt" in page
    assert hidden_value(page, "signature") == shown
    assert _dispatches(app) == []
    assert _dispatch_audits(app) == 0
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Faxed again once signed, the log goes through and is audited once.
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**sent, "faxed_at": local_minute()}
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(app)
    assert dispatch.report_state == "definitive"
    assert _dispatch_audits(app) == 1


def test_a_fax_time_after_the_signature_is_logged(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    _backdate_signatures(app, datetime.now(UTC) - timedelta(minutes=90))
    auth.login("secretary")
    sent = {**_dispatch(), "faxed_at": local_minute(-timedelta(minutes=60))}
    assert client.post(f"/reporting/{case_id}/dispatch", data=sent).status_code == 302
    assert len(_dispatches(app)) == 1
    assert _dispatch_audits(app) == 1


def test_a_keyed_paper_report_is_checked_against_the_time_on_the_paper(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    # Written at 11:10 on paper, keyed in this morning: a fax at 11:25 went out after it was
    # signed, one at 11:00 before.
    auth.login("secretary")
    keyed = paper_report_data(radiologist_id)
    assert client.post(f"/reporting/{case_id}/paper", data=keyed).status_code == 302
    early = {**_dispatch(), "faxed_at": "2026-01-15T11:00"}
    response = client.post(f"/reporting/{case_id}/dispatch", data=early)
    assert response.status_code == 400
    assert "Faxtiden ligger före signeringen som loggningen gäller (2026-01-15 11:10)" in (
        response.get_data(as_text=True)
    )
    later = {**_dispatch(), "faxed_at": "2026-01-15T11:25"}
    assert client.post(f"/reporting/{case_id}/dispatch", data=later).status_code == 302
    assert len(_dispatches(app)) == 1


def test_the_repeated_autumn_hour_is_read_as_the_pass_after_the_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Signed at 02:45 in the second pass of the hour the clocks go back (01:45 UTC): a fax
    # at 02:50 went out after it, read as the first pass it would lie an hour before.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _backdate_signatures(app, datetime(2025, 10, 26, 1, 45, tzinfo=UTC))
    auth.login("secretary")
    early = client.post(
        f"/reporting/{case_id}/dispatch", data=_dispatch(faxed_at="2025-10-26T02:30")
    )
    assert early.status_code == 400
    assert "Faxtiden ligger före signeringen" in early.get_data(as_text=True)
    response = client.post(
        f"/reporting/{case_id}/dispatch", data=_dispatch(faxed_at="2025-10-26T02:50")
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(app)
    assert dispatch.faxed_at == datetime(2025, 10, 26, 1, 50, tzinfo=UTC)


def test_a_fax_before_the_signature_is_not_read_as_the_second_pass_still_to_come(
    app: Flask, client: FlaskClient, auth, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Signed at 02:45 summer time, and it is 02:55, before the clocks go back: a fax at 02:30
    # went out before the signature, not at the 02:30 that comes after the change.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _backdate_signatures(app, datetime(2025, 10, 26, 0, 45, tzinfo=UTC))
    monkeypatch.setattr(fields, "utcnow", lambda: datetime(2025, 10, 26, 0, 55, tzinfo=UTC))
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/dispatch", data=_dispatch(faxed_at="2025-10-26T02:30")
    )
    assert response.status_code == 400
    assert "Faxtiden ligger före signeringen" in response.get_data(as_text=True)
    assert _dispatches(app) == []
