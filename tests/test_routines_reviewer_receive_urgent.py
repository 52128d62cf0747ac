"""The external reviewer's definitive answer keyed in with its urgent finding unticked, after
a preliminary answer that carried one: refused beside the box while the referrer was never
called about it (as in the app and the fax form, test_reporting_urgency.py), and entered once
the call is logged."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.call_rule import needs_call
from webapp.extensions import db
from webapp.models import Case, ReportSignature, ReviewerLogEntry, UrgentCall

from .factories import case_code, hidden_value
from .routines_support import make_case, receive_data

URL = "/routines/reviewer/receive"
PRELIMINARY = {
    "form_key": "p" * 20,
    "state": "preliminary",
    "findings": "Misstänkt aortadissektion.",
    "conclusion": "Akut fynd.",
    "is_urgent": "y",
}
DEFINITIVE = {
    "form_key": "d" * 20,
    "state": "definitive",
    "findings": "Ingen dissektion. Unikod: åäö ✓",
    "conclusion": "Normal aorta.",
    "reviewer_name": "Dr Natt Granskare",
}


def _sent(client: FlaskClient, code: str, answer: dict[str, str]) -> dict[str, str]:
    """The answer as sent from its confirmation page (its drawn report version added)."""
    typed = receive_data(code, forwarded=False, confirmed=False, **answer)
    page = client.post(URL, data=typed).get_data(as_text=True)
    assert 'id="confirm-case"' in page
    return receive_data(code, forwarded=False, **answer) | {
        "report_version": hidden_value(page, "report_version"),
    }


def _state(app: Flask, case_id: int) -> tuple[str, bool, bool, int, int]:
    """The report's state, its mark, whether a call is owed; signatures and answers logged."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.report is not None
        calls = db.session.scalars(select(UrgentCall).where(UrgentCall.case_id == case_id)).all()
        signatures = db.session.scalar(select(func.count()).select_from(ReportSignature))
        received = db.session.scalar(
            select(func.count())
            .select_from(ReviewerLogEntry)
            .where(ReviewerLogEntry.kind == "report_received")
        )
        return (
            case.report.state,
            case.report.is_urgent,
            needs_call(case.report, calls),
            int(signatures or 0),
            int(received or 0),
        )


def _urgent_preliminary(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    response = client.post(URL, data=_sent(client, code, PRELIMINARY))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _state(app, case_id) == ("preliminary", True, True, 1, 1)
    return case_id, code


def test_a_definitive_answer_cannot_untick_an_urgent_finding_nobody_was_called_about(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _urgent_preliminary(app, client, auth)
    response = client.post(URL, data=_sent(client, code, DEFINITIVE))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Beside the box (its error drawn with the field), not only in a banner.
    beside = page.split('name="is_urgent"', 1)[1].split("</div>", 2)
    assert "inget samtal till remittenten är loggat" in "".join(beside[:2])
    for typed in (DEFINITIVE["findings"], DEFINITIVE["conclusion"], DEFINITIVE["reviewer_name"]):
        assert typed in page
    # Nothing written: the preliminary stands with its mark and the call still owed.
    assert _state(app, case_id) == ("preliminary", True, True, 1, 1)


def test_a_definitive_answer_unticks_the_finding_once_the_call_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _urgent_preliminary(app, client, auth)
    sent = _sent(client, code, DEFINITIVE)
    assert client.post(URL, data=sent).status_code == 400
    auth.login("radiologist")
    call = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"}
    assert client.post(f"/reporting/{case_id}/call", data=call).status_code == 302
    auth.login("secretary")
    response = client.post(URL, data=sent)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _state(app, case_id) == ("definitive", False, False, 2, 2)
