"""Whether the signed report has been faxed, on the case page, the reporting screen, the board,
the worklist, the history, the batch CSV and the catch-up; needed again after a new signature."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .dispatch_support import _dispatch, _dispatches, _sign
from .factories import case_code, hidden_value, referral_data

# --- status on the pages ---


def test_case_page_shows_a_signed_report_not_yet_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert 'value="0999-123 46"' in page  # prefilled with the referral's reply fax
    assert "Svaret är faxat – logga" in page


def test_logged_dispatch_shows_who_when_and_where(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case_id}#dispatch")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar faxat till remittent" in page
    assert "Signerat svar ej faxat" not in page
    assert "Testa Secretary Åström" in page and "0999-123 46" in page


def test_definitive_signature_after_a_faxed_preliminary_needs_faxing_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    _sign(client, auth, case_id, "definitive", "d" * 20, version="1")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert "signerat igen efter senaste faxningen" in page


def test_an_addendum_after_the_fax_needs_faxing_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/addendum", data={"text": "Även liten fraktur."})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Svar faxat till remittent" in page and "1 tillägg" in page


def test_a_fax_logged_from_a_page_opened_before_a_new_signature_is_refused(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The secretary prints and faxes the definitive report; meanwhile the radiologist signs an
    # urgent addendum. The fax logged from her page must not mark the addendum as sent.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page, "signature")
    auth.login("radiologist")
    data = {"text": "Dessutom pneumothorax höger.", "is_urgent": "y"}
    assert client.post(f"/reporting/{case_id}/addendum", data=data).status_code == 302
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": shown}
    )
    assert response.status_code == 400
    assert "Utlåtandet har signerats igen sedan sidan öppnades" in response.get_data(as_text=True)
    assert _dispatches(client.application) == []
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Printed and faxed again, the refused page's next tap logs the fax of the addendum too.
    again = hidden_value(response.get_data(as_text=True), "signature")
    assert again != shown
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": again}
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(client.application)
    assert dispatch.addenda_count == 1


def test_a_fax_logged_from_a_page_showing_the_last_signature_is_logged(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    shown = hidden_value(client.get(f"/cases/{case_id}").get_data(as_text=True), "signature")
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": shown}
    )
    assert response.status_code == 302
    assert [d.signature_id for d in _dispatches(client.application)] == [int(shown)]


def test_reporting_screen_offers_printing_and_logging_after_signing(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert f"/print/cases/{case_id}/report.pdf" in page
    assert 'name="back" value="screen"' in page
    response = client.post(f"/reporting/{case_id}/dispatch", data={**_dispatch(), "back": "screen"})
    assert response.headers["Location"].endswith(f"/reporting/{case_id}#dispatch")


# --- lists ---


def test_board_marks_a_signed_report_not_yet_faxed_until_it_is(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("radiographer")
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)


def test_a_report_to_fax_does_not_push_patients_waiting_for_their_exam_down_the_board(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The fax is the secretary's task, marked on its row; the board's top stays with the
    # patients still to examine and report, as the worklist's stays with reports to write.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("radiographer")
    response = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="w",
            patient_name="Vera Väntar",
            personal_number="19800101-0027",
            pregnancy="no",
            priority="rutin",  # just in, not overdue: nothing but its stage puts it first
            arrived_at=datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    waiting = response.headers["Location"]
    client.get(waiting)  # the saved notice, naming the new case's code, is shown there
    with app.app_context():
        signed_code = db.session.get(Case, case_id).code
        waiting_code = db.session.get(Case, int(waiting.rsplit("/", 1)[-1])).code
    board = client.get("/board/").get_data(as_text=True)
    assert "Svar ej faxat" in board
    assert board.index(waiting_code) < board.index(signed_code)


def test_worklist_marks_a_preliminary_report_not_yet_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    assert "Svar ej faxat" in client.get("/reporting/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Ö. Ä." in page and "Svar ej faxat" not in page


def test_history_page_lists_the_faxes(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    client.post(f"/reporting/{case_id}/dispatch", data={**_dispatch(), "note": "Kvitto OK"})
    page = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    assert "Svar faxat till remittent" in page and "Kvitto OK" in page


def test_batch_csv_names_the_fax_of_the_report(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    sent = _dispatch()
    client.post(f"/reporting/{case_id}/dispatch", data=sent)
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    body = client.get(f"/catchup/incidents/{incident_id}/export/csv").get_data(as_text=True)
    faxed = sent["faxed_at"].replace("T", " ")
    assert f"0999-123 46 {faxed} Testa Secretary Åström (definitivt)" in body


def test_catchup_page_says_whether_the_report_was_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    assert "Signerat svar ej faxat" in client.get(f"/catchup/cases/{case_id}").get_data(
        as_text=True
    )
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" not in page and "Svar faxat till remittent" in page


FAXED_IN = {
    "author_name": "Dr Extern",
    "received_at": "2026-01-15T11:10",
    "state": "definitive",
    "findings": "Ingen blödning.",
    "conclusion": "Normalt.",
}


def test_a_report_faxed_in_from_elsewhere_is_the_departments_to_fax_on(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)
    assert [d.case_id for d in _dispatches(app)] == [case_id]


def test_the_external_reviewers_report_is_forwarded_in_its_own_routine(
    app: Flask, client: FlaskClient, auth
) -> None:
    from .routines_support import make_case

    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    client.post(
        "/routines/reviewer/receive",
        data={
            "case_code": code,
            "confirmed_code": code,
            "confirm_unfaxed": "y",
            "received_at": "2026-01-15T11:40",
            "reviewer_name": "Dr Extern",
        },
    )
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)


def test_another_cases_external_reviewer_does_not_hide_a_report_faxed_in_from_elsewhere(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The reviewer exception is the case's own: one case sent to the external reviewer must not
    take the mark off every other case whose report was faxed in from another hospital."""
    from .routines_support import make_case

    reviewed = make_case(client, auth)
    auth.login("secretary")
    client.post(
        "/routines/reviewer/receive",
        data={
            "case_code": case_code(app, reviewed),
            "confirmed_code": case_code(app, reviewed),
            "confirm_unfaxed": "y",
            "received_at": "2026-01-15T11:40",
            "reviewer_name": "Dr Extern",
            "forwarded": "y",
        },
    )
    auth.login("radiographer")
    location = client.post(
        "/cases/new", data=referral_data(key_suffix="b", patient_name="Bo Berg")
    ).headers["Location"]
    other = int(location.rsplit("/", 1)[-1])
    auth.login("secretary")
    preliminary = FAXED_IN | {"state": "preliminary"}
    assert client.post(f"/reporting/{other}/fax", data=preliminary).status_code == 302
    assert "Signerat svar ej faxat" in client.get(f"/cases/{other}").get_data(as_text=True)
    board = client.get("/board/").get_data(as_text=True)
    assert board.count("Svar ej faxat") == 1
    auth.login("radiologist")
    worklist = client.get("/reporting/").get_data(as_text=True)
    assert "B. B." in worklist and worklist.count("Svar ej faxat") == 1
    # The same rule holds the incident's close until the fax is logged or confirmed.
    from webapp.incidents.close_asked import unfaxed_reports

    with app.app_context():
        incident_id = db.session.get(Case, other).incident_id
        assert [r.case_id for r in unfaxed_reports(incident_id)] == [other]
