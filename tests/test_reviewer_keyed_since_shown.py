"""The external reviewer's answer keyed in over a keyed preliminary report that arrived after
the answer's patient was confirmed: refused beside the tick naming what is there now,
everything typed kept, and entered once the keyer ticks to replace it (as the fax and paper
forms, test_reporting_keyed_since_shown.py)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReviewerLogEntry

from .factories import case_code, faxed_report_data, hidden_value, referral_data
from .routines_support import make_case, receive_data

URL = "/routines/reviewer/receive"
FIRST = {"author_name": "Dr Första Granskare", "received_at": "2026-01-15T11:05"}
ANSWER = {
    "form_key": "r" * 20,
    "state": "definitive",
    "findings": "Ingen lungembolism.",
    "conclusion": "Normalt.",
}


def _findings(app: Flask) -> str:
    with app.app_context():
        report = db.session.scalar(select(Report))
        return str(report.sections[0]["text"])


def _received(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(ReviewerLogEntry)
                .where(ReviewerLogEntry.kind == "report_received")
            )
        )


def _confirmed(client: FlaskClient, code: str) -> dict[str, str]:
    """The answer sent with its code, as the confirmation page then has it: its hidden
    versions added."""
    typed = receive_data(code, forwarded=False, confirmed=False, **ANSWER)
    page = client.post(URL, data=typed).get_data(as_text=True)
    assert 'id="confirm-case"' in page
    return receive_data(code, forwarded=False, **ANSWER) | {
        "report_version": hidden_value(page, "report_version"),
        "report_confirmed": hidden_value(page, "report_confirmed"),
    }


def _keyed_elsewhere(case_id: int, tablet_factory, **overrides: str) -> None:
    other = tablet_factory("sekr-bo", role="secretary")
    sent = faxed_report_data(**FIRST) | overrides
    assert other.post(f"/reporting/{case_id}/fax", data=sent).status_code == 302


def test_an_answer_keyed_over_a_preliminary_keyed_since_the_patient_was_confirmed_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    sent = _confirmed(client, case_code(app, case_id))
    _keyed_elsewhere(case_id, tablet_factory)
    response = client.post(URL, data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="replace_report-error"' in page
    assert "preliminärt utlåtande av Dr Första Granskare förts in av Testa Secretary Åström" in page
    for typed in ("Dr Granskare", ANSWER["findings"], ANSWER["conclusion"]):
        assert typed in page
    assert _findings(app) == "Lungembolism höger."
    assert _received(app) == 0


def test_an_answer_ticked_to_replace_the_preliminary_keyed_since_is_entered_once(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    sent = _confirmed(client, case_code(app, case_id))
    _keyed_elsewhere(case_id, tablet_factory)
    refused = client.post(URL, data=sent).get_data(as_text=True)
    ticked = sent | {
        "report_confirmed": hidden_value(refused, "report_confirmed"),
        "replace_report": "y",
    }
    response = client.post(URL, data=ticked)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _findings(app) == ANSWER["findings"]
    # A double tap of the confirmed form is answered as the first was.
    assert client.post(URL, data=ticked).status_code == 302
    assert _received(app) == 1


def test_a_tick_given_for_an_earlier_keyed_report_is_asked_for_again(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    sent = _confirmed(client, case_code(app, case_id))
    _keyed_elsewhere(case_id, tablet_factory)
    refused = client.post(URL, data=sent).get_data(as_text=True)
    ticked = sent | {
        "report_confirmed": hidden_value(refused, "report_confirmed"),
        "replace_report": "y",
    }
    _keyed_elsewhere(case_id, tablet_factory, form_key="h" * 20, findings="Tredje.")
    again = client.post(URL, data=ticked)
    assert again.status_code == 400
    assert "ändrades igen efter det du bockade i" in again.get_data(as_text=True)
    assert _findings(app) == "Tredje."


def test_an_answer_confirmed_over_the_preliminary_replaces_it_without_a_tick(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    _keyed_elsewhere(case_id, tablet_factory)
    auth.login("secretary")
    sent = _confirmed(client, case_code(app, case_id))
    response = client.post(URL, data=sent)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _findings(app) == ANSWER["findings"]


def test_an_answer_confirmed_for_another_case_is_drawn_again_for_this_one(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    other = referral_data(patient_name="Berit Ek", key_suffix="2")
    other_case = int(client.post("/cases/new", data=other).headers["Location"].rsplit("/", 1)[-1])
    _keyed_elsewhere(case_id, tablet_factory)
    auth.login("secretary")
    first = _confirmed(client, case_code(app, other_case))
    # The code corrected on the confirmation page: this case's patient is shown to confirm.
    corrected = first | {"case_code": case_code(app, case_id)}
    page = client.post(URL, data=corrected).get_data(as_text=True)
    assert 'id="confirm-case"' in page
    sent = corrected | {
        "confirmed_code": case_code(app, case_id),
        "report_version": hidden_value(page, "report_version"),
    }
    response = client.post(URL, data=sent)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _findings(app) == ANSWER["findings"]


def test_an_answer_sent_without_the_version_field_is_not_checked(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    _keyed_elsewhere(case_id, tablet_factory)
    auth.login("secretary")
    sent = receive_data(case_code(app, case_id), forwarded=False, **ANSWER)
    assert client.post(URL, data=sent).status_code == 302
    assert _findings(app) == ANSWER["findings"]


def test_a_resumed_answer_draft_keeps_the_version_its_text_was_typed_against(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    sent = _confirmed(client, code)
    key = "receive-" + "k" * 20
    # What drafts.js saves from the confirmation page: the confirmation itself skipped.
    data = {k: v for k, v in sent.items() if k not in ("confirmed_code", "confirm_unfaxed")}
    data["form_key"] = key
    response = client.put(
        f"/api/drafts/{key}", json={"kind": "reviewer_report", "seq": 1, "data": data}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    _keyed_elsewhere(case_id, tablet_factory)
    page = client.get(f"{URL}?draft={key}").get_data(as_text=True)
    assert hidden_value(page, "report_version") == sent["report_version"]
    # Continued: the patient is confirmed again, the text still drawn against no report.
    page = client.post(URL, data=data).get_data(as_text=True)
    assert hidden_value(page, "report_version") == sent["report_version"]
    response = client.post(URL, data=data | {"confirmed_code": code, "confirm_unfaxed": "y"})
    assert response.status_code == 400
    assert 'id="replace_report-error"' in response.get_data(as_text=True)
    assert _findings(app) == "Lungembolism höger."
