"""External reviewer at night: checklist, admin message, anonymised fax, answers, admin queue."""

from __future__ import annotations

import html
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Case,
    IncidentLogEntry,
    RecordVersion,
    Report,
    ReviewerExchange,
    ReviewerLogEntry,
    RouteStatus,
)

from .factories import case_code
from .printforms.conftest import pdf_text, raw_streams
from .routines_support import make_case, receive_data


def _entries(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ReviewerLogEntry).order_by(ReviewerLogEntry.id))
        return [(r.kind, r.number, r.person) for r in rows]


def _fax_to_the_reviewer(
    client: FlaskClient,
    auth,
    case_id: int,
    number: str = "0999-600 01",
    sent_at: str = "2026-01-15T03:10",
) -> TestResponse:
    """A radiographer logs the anonymised referral as faxed to the external reviewer."""
    auth.login("radiographer")
    return client.post(
        f"/routines/reviewer/cases/{case_id}/fax",
        data={"fax-number": number, "fax-sent_at": sent_at},
    )


def test_scenario_page_shows_who_calls_whom_and_a_prefilled_admin_message(
    client: FlaskClient, auth, app: Flask
) -> None:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    assert "Vem ringer vem" in page
    assert "granskaren ringer remittenten direkt" in page
    assert "mailto:rispacs%40exempel.invalid?subject=" in page
    mailto = unquote(page.split('href="mailto:rispacs')[1].split('"')[0])
    assert case_code(app, case_id) in mailto
    assert "Örjan" not in mailto and "19121212" not in mailto


def test_ticking_the_admin_message_is_logged_in_the_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    client.post("/routines/reviewer/steps", data={"key": "admins_mailed", "is_done": "1"})
    client.post("/routines/reviewer/steps", data={"key": "reviewer_0", "is_done": "1"})
    with app.app_context():
        keys = [e.step_key for e in db.session.scalars(select(IncidentLogEntry))]
    assert keys == ["admins_mailed", "reviewer_0"]


def test_unknown_checklist_key_is_not_logged(app: Flask, client: FlaskClient, auth) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    client.post("/routines/reviewer/steps", data={"key": "nonsense", "is_done": "1"})
    with app.app_context():
        assert db.session.scalar(select(IncidentLogEntry)) is None


def test_case_page_prefills_the_reviewer_fax_number(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert 'value="0999-600 01"' in page
    assert f"/print/cases/{case_id}/referral-anon.pdf" in page


def test_anonymised_referral_for_the_reviewer_holds_no_identity(
    client: FlaskClient, auth, app: Flask
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = pdf_text(pdf)
    for secret in ("Örjan", "Älvström", "19121212", "121212-1212"):
        assert secret not in text
        assert secret.encode() not in raw_streams(pdf)
    assert case_code(app, case_id) in text
    assert "Blödning?" in text


def test_fax_sent_is_logged_with_number_time_and_user(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id)
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(ReviewerLogEntry))
        assert (entry.kind, entry.number) == ("fax_sent", "0999-600 01")
        assert entry.user.username == "test-radiographer"
        assert entry.at.strftime("%H:%M") == "02:10"  # 03:10 in Stockholm, stored as UTC
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_fax_sent")
        )
        assert event.case_id == case_id


def test_fax_without_number_shows_the_error_next_to_the_field(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id, number="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="fax-number-error"' in page and "Ange faxnumret." in page
    assert 'value="2026-01-15T03:10"' in page


def test_fax_time_in_the_first_hour_of_year_one_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id, sent_at="0001-01-01T00:00")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="fax-sent_at-error"' in page and 'value="0001-01-01T00:00"' in page
    assert _entries(app) == []


def test_image_route_outcome_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/route",
        data={"route-route_key": "teleradiology", "route-outcome": "failed"},
    )
    assert _entries(app) == [("image_route", "", "Teleradiologidestination i PACS")]


def test_admin_marks_a_route_not_working_and_staff_see_the_note(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("admin")
    missing = client.post("/routines/reviewer/routes/postprocessing", data={"is_working": "0"})
    assert missing.status_code == 400
    assert "Skriv varför vägen inte fungerar." in missing.get_data(as_text=True)
    client.post(
        "/routines/reviewer/routes/postprocessing",
        data={"is_working": "0", "note": "Går inte till granskaren sedan maj."},
    )
    with app.app_context():
        status = db.session.scalar(select(RouteStatus))
        assert (status.route_key, status.is_working) == ("postprocessing", False)
    auth.logout()
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "fungerar inte: Går inte till granskaren sedan maj." in page


def test_only_admin_sets_route_status(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post("/routines/reviewer/routes/modality", data={"is_working": "1"})
    assert response.status_code == 403


def test_verbal_answer_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": "Dr Granskare",
            "verbal-called_person": "Dr Åberg, akuten",
            "verbal-called_at": "2026-01-15T03:30",
        },
    )
    assert _entries(app) == [("verbal_answer", "", "Dr Granskare → Dr Åberg, akuten")]


def test_received_report_is_linked_by_case_code_and_queued_for_the_admin(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    response = client.post("/routines/reviewer/receive", data=receive_data(code.lower()))
    assert response.headers["Location"].endswith(f"/routines/reviewer/cases/{case_id}")
    assert [k for k, _n, _p in _entries(app)] == ["report_received", "forwarded"]
    assert _entries(app)[1][1] == "0999-123 46"  # the referral's reply fax
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        assert exchange.case_id == case_id and exchange.queued_for_admin_at is not None
        assert db.session.scalar(select(Report)) is None  # a radiographer does not key the text


def test_unknown_case_code_is_refused_next_to_the_field(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post("/routines/reviewer/receive", data=receive_data("ABC-12"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="case_code-error"' in page
    assert 'value="ABC-12"' in page


def test_secretary_keys_the_faxed_report_in_the_reviewers_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    client.post(
        "/routines/reviewer/receive",
        data=receive_data(
            case_code(app, case_id),
            state="preliminary",
            findings="Ingen blödning.",
            conclusion="Ingen akut patologi.",
        ),
    )
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.case_id == case_id and report.received_by_fax
        assert (report.state, report.author_name) == ("preliminary", "Dr Granskare")
        assert db.session.get(Case, case_id).status == "report_preliminary"


def test_admin_works_through_the_queue(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    client.post("/routines/reviewer/receive", data=receive_data(code))
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
    client.post("/routines/reviewer/receive", data=receive_data(case_code(app, case_id)))
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


def test_another_sites_case_is_not_found(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    assert client.get("/routines/reviewer/cases/999").status_code == 404


def _faxed(app: Flask, client: FlaskClient, case_id: int, state: str, conclusion: str, at: str):
    return client.post(
        "/routines/reviewer/receive",
        data=receive_data(
            case_code(app, case_id),
            received_at=at,
            state=state,
            findings="Ingen blödning.",
            conclusion=conclusion,
        ),
    )


def test_definitive_faxed_reviewer_report_follows_a_preliminary_one(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    assert _faxed(app, client, case_id, "preliminary", "Normalt.", "2026-01-15T23:10").status_code
    response = _faxed(
        app, client, case_id, "definitive", "Normalt, definitivt.", "2026-01-16T07:10"
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and report.version == 2
        assert report.sections[1]["text"] == "Normalt, definitivt."
        assert report.preliminary_at is not None and report.definitive_at is not None
        [earlier] = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "report")
        ).all()
        assert earlier.data["state"] == "preliminary"
        assert earlier.data["sections"][1]["text"] == "Normalt."
        signatures = [(s.kind, s.report_version, s.signer_name) for s in report.signatures]
        assert signatures == [
            ("preliminary", 1, "Dr Granskare (faxat)"),
            ("definitive", 2, "Dr Granskare (faxat)"),
        ]
        assert db.session.get(Case, case_id).status == "report_definitive"


def test_a_second_definitive_faxed_report_is_refused_with_the_addendum_advice(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _faxed(app, client, case_id, "definitive", "Normalt.", "2026-01-15T23:10")
    response = _faxed(app, client, case_id, "definitive", "Ändrat.", "2026-01-16T07:10")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "redan ett definitivt signerat utlåtande" in page
    assert "ett tillägg, som en radiolog signerar" in page
    with app.app_context():
        assert db.session.scalar(select(Report)).sections[1]["text"] == "Normalt."


def test_a_faxed_report_does_not_replace_a_preliminary_report_written_in_the_app(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("secretary")
    response = _faxed(app, client, case_id, "definitive", "Ändrat.", "2026-01-16T07:10")
    assert response.status_code == 400
    assert "preliminärt utlåtande skrivet i appen" in response.get_data(as_text=True)
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "preliminary" and not report.received_by_fax


def test_faxed_definitive_over_faxed_preliminary_through_the_reporting_form(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _faxed(app, client, case_id, "preliminary", "Normalt.", "2026-01-15T23:10")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/reporting/{case_id}/fax"' in page  # still offered: the definitive may come
    form = {
        "author_name": "Dr Granskare",
        "received_at": "2026-01-16T07:10",
        "state": "definitive",
        "findings": "Ingen blödning.",
        "conclusion": "Normalt, definitivt.",
    }
    assert client.post(f"/reporting/{case_id}/fax", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Report)).state == "definitive"
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/reporting/{case_id}/fax"' not in page
    response = client.post(f"/reporting/{case_id}/fax", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="state-error"' in page and "redan ett definitivt signerat utlåtande" in page
    assert 'value="Dr Granskare"' in page  # the input is kept


@pytest.mark.parametrize(
    "body",
    [
        "Ärenden: {codes} (se {RIS-loggen",
        "{count:d} ärenden den {date}",
        "Ärende {0}: {codes}",
        "Mall: {site.__class__}",
    ],
)
def test_an_admin_message_with_odd_braces_still_shows_the_scenario_page(
    client: FlaskClient, auth, body: str
) -> None:
    from webapp.config import EXAMPLE_SITE

    auth.login("admin")
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    start = text.index('admin_body = """')
    end = text.index('"""', start + len('admin_body = """')) + 3
    saved = client.post(
        "/admin/site", data={"config_toml": text[:start] + f"admin_body = {body!r}" + text[end:]}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    auth.logout()
    make_case(client, auth)
    auth.login("radiographer")
    response = client.get("/routines/reviewer")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # The known fields are filled in; anything else is left as the admin wrote it.
    assert "{codes}" not in page and "{date}" not in page
    assert "class 'str'" not in html.unescape(page) and "class%20%27str" not in page


def _queued_for_admin(app: Flask, client: FlaskClient, auth) -> int:
    """A faxed reviewer report in the RIS administrator's queue; its exchange's id."""
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post("/routines/reviewer/receive", data=receive_data(case_code(app, case_id)))
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


@pytest.mark.parametrize("role", ["admin", "radiographer"])
def test_the_receive_page_names_only_who_may_enter_the_text_in_the_app(
    client: FlaskClient, auth, role: str
) -> None:
    # The RIS administrator handles the report in RIS: the app refuses them the text, so the
    # page must not tell them (or a radiographer) that they may enter it here.
    auth.login(role)
    page = client.get("/routines/reviewer/receive").get_data(as_text=True)
    assert "Texten förs in i appen av radiolog eller sekreterare." in page
    assert "sekreterare eller RIS-administratören" not in page
    assert 'name="findings"' not in page


def test_the_list_of_cases_at_the_reviewer_names_each_patient_beside_the_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Staff forward each answer to its patient's referrer from this list: the code alone is one
    # identifier, and a misread code would send it for another patient.
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    table = page.split('id="cases"', 1)[1].split("</table>", 1)[0]
    row = table.split(case_code(app, case_id), 1)[1].split("</tr>", 1)[0]
    assert "Örjan Älvström" in row and "19121212-1212" in row
