"""The board keeps every case that needs someone now in sight, however many others wait."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from .catchup_support import waive
from .factories import case_code, exam_data, referral_data
from .routines_support import report_form


@pytest.fixture
def one_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from webapp.board import views

    monkeypatch.setattr(views, "BOARD_ROWS", 1)


def _now_local() -> str:
    return datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M")


def _urgent_finding(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    data = report_form("definitive", f"u{case_id}".ljust(20, "u"))
    data["is_urgent"] = "y"
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302


def _new_referral(client: FlaskClient, auth, **overrides: object) -> None:
    auth.login("radiographer")
    assert client.post("/cases/new", data=referral_data(**overrides)).status_code == 302


def test_board_shows_an_unmade_urgent_call_beyond_the_most_urgent_rows(
    client: FlaskClient, auth, case_id: int, one_row: None
) -> None:
    _urgent_finding(client, auth, case_id)
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    page = client.get("/board/").get_data(as_text=True)
    assert "Ö. Ä." in page and "Ring remittenten" in page
    assert "2 ärenden" in page and "Visa alla" in page  # the other one is counted, not lost


def test_board_call_reminder_goes_once_the_call_is_logged(
    client: FlaskClient, auth, case_id: int, one_row: None
) -> None:
    _urgent_finding(client, auth, case_id)
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    # The signed report is faxed too: nothing about the case needs anyone now.
    client.post(
        f"/reporting/{case_id}/dispatch",
        data={"fax_number": "035-123 45 67", "faxed_at": _now_local()},
    )
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    page = client.get("/board/").get_data(as_text=True)
    assert "Ring remittenten" not in page
    assert "Ö. Ä." not in page  # back in its place behind the case still to be examined


def test_board_shows_every_unmade_urgent_call_however_many(
    client: FlaskClient, auth, case_id: int, one_row: None
) -> None:
    _urgent_finding(client, auth, case_id)
    auth.login("radiographer")
    location = client.post(
        "/cases/new", data=referral_data(key_suffix="b", patient_name="Bo Berg")
    ).headers["Location"]
    client.post(location + "/exam", data=exam_data(key_suffix="b"))
    _urgent_finding(client, auth, int(location.rsplit("/", 1)[-1]))
    page = client.get("/board/").get_data(as_text=True)
    assert "Ö. Ä." in page and "B. B." in page
    assert page.count("Ring remittenten") == 2


def test_board_keeps_a_closed_case_in_sight_until_its_urgent_call_is_made(
    client: FlaskClient, auth, case_id: int
) -> None:
    _urgent_finding(client, auth, case_id)
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    auth.login("radiographer")
    page = client.get("/board/").get_data(as_text=True)
    assert "Ö. Ä." in page and "Ring remittenten" in page


def test_board_shows_a_case_past_its_prioritys_deadline_beyond_the_most_urgent_rows(
    client: FlaskClient, auth, one_row: None
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    # Arrived long ago with "inom timmar" (360 minutes in the example site): overdue.
    _new_referral(
        client, auth, key_suffix="t", priority="inom_timmar", patient_name="Tim Timme",
        arrived_at="2026-01-15T08:00",
    )  # fmt: skip
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    page = client.get("/board/").get_data(as_text=True)
    assert "T. T." in page and "Försenad" in page
    assert "A. A." not in page and "Visa alla" in page  # in time, and counted


def test_board_does_not_mark_a_case_within_its_deadline(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    # No deadline for "rutin" in the example site, however long it has waited.
    _new_referral(
        client, auth, key_suffix="r", priority="rutin", patient_name="Rut Rutin",
        arrived_at="2026-01-15T08:00",
    )  # fmt: skip
    page = client.get("/board/").get_data(as_text=True)
    assert "A. A." in page and "R. R." in page and "Försenad" not in page


def test_board_refresh_reloads_the_page_once_its_incident_has_ended(
    app, client: FlaskClient, auth
) -> None:
    from webapp.extensions import db
    from webapp.models import Incident, utcnow

    auth.login("radiographer")
    first = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    first_id = int(first.rsplit("/", 1)[-1])
    _new_referral(client, auth, patient_name="Ada Akut")
    page = client.get("/board/").get_data(as_text=True)
    assert f"incident={first_id}" in page  # the refresh asks for the incident the page shows
    with app.app_context():
        db.session.get(Incident, first_id).ended_at = utcnow()
        db.session.commit()
    # A new outage the same night: the refresh must not put its rows under the old heading.
    client.post("/incidents/new", data={"scenario": "integration"})
    refreshed = client.get(f"/board/rows?incident={first_id}")
    assert refreshed.status_code == 302 and refreshed.headers["Location"].endswith("/board/")


def test_board_refresh_without_an_open_incident_reloads_the_page(
    app, client: FlaskClient, auth
) -> None:
    from webapp.extensions import db
    from webapp.models import Incident, utcnow

    auth.login("radiographer")
    first = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    with app.app_context():
        db.session.get(Incident, int(first.rsplit("/", 1)[-1])).ended_at = utcnow()
        db.session.commit()
    refreshed = client.get("/board/rows")
    # An empty answer emptied the board without a word; the page itself says what to do.
    assert refreshed.status_code == 302


def test_board_of_a_chosen_drill_reloads_once_a_real_outage_is_declared(
    app, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("radiographer", username="trainer")
    client.post("/incidents/new", data={"scenario": "pacs", "is_drill": "y"})
    page = client.get("/board/").get_data(as_text=True)
    refresh = page.split('data-refresh-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(refresh).status_code == 200
    other = tablet_factory("trainer")
    other.post("/incidents/new", data={"scenario": "integration"})
    # The page reloads, and its drill banner then names the real outage.
    refreshed = client.get(refresh)
    assert refreshed.status_code == 302 and refreshed.headers["Location"].endswith("/board/")
    page = client.get("/board/").get_data(as_text=True)
    assert "Ett verkligt driftstopp pågår" in page
    refresh = page.split('data-refresh-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(refresh).status_code == 200


def test_a_reviewer_report_not_forwarded_keeps_its_case_on_the_board_until_it_is(
    app, client: FlaskClient, auth
) -> None:

    from .routines_support import make_case

    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    # Keyed in by a secretary: the copy to the referrer is printed from that text.
    auth.login("secretary")
    received = {
        "case_code": code,
        "confirmed_code": code,
        "confirm_unfaxed": "y",
        "received_at": "2026-01-15T11:40",
        "reviewer_name": "Dr G",
        "state": "preliminary",
        "conclusion": "Ingen akut patologi.",
    }
    assert client.post("/routines/reviewer/receive", data=received).status_code == 302
    # Keyed into RIS from the paper: done for the catch-up, but the referrer still waits.
    # (With four eyes a second secretary confirms the waiver: it stands.)
    waive(client, auth, case_id)
    auth.login("radiographer")
    page = client.get("/board/").get_data(as_text=True)
    assert code in page and "Granskarens svar ej vidarebefordrat" in page
    client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
    )
    page = client.get("/board/").get_data(as_text=True)
    assert code not in page


def test_board_counts_every_overdue_case_beyond_the_most_urgent_rows(
    client: FlaskClient, auth, one_row: None
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    for suffix, name in (("t", "Tim Timme"), ("u", "Ulla Timme")):
        _new_referral(
            client, auth, key_suffix=suffix, priority="inom_timmar", patient_name=name,
            arrived_at="2026-01-15T08:00",
        )  # fmt: skip
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    page = client.get("/board/").get_data(as_text=True)
    assert "T. T." in page and "U. T." in page and page.count("Försenad") == 2
    assert "A. A." not in page and "3 ärenden" in page and "visar de 2 mest brådskande" in page


def test_board_shows_a_case_that_became_overdue_while_the_board_was_read(
    app, client: FlaskClient, auth, one_row: None
) -> None:
    """The board counts the cases that need someone, then reads that many rows: a case that
    passes its deadline in between is not cut off by the count."""
    from sqlalchemy import event, select, update

    from webapp.extensions import db
    from webapp.models import Case, Referral

    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _new_referral(
        client, auth, key_suffix="t", priority="inom_timmar", patient_name="Tim Timme",
        arrived_at="2026-01-15T08:00",
    )  # fmt: skip
    _new_referral(
        client, auth, key_suffix="a", priority="inom_timmar", patient_name="Ada Akut",
        arrived_at=_now_local(),
    )  # fmt: skip
    _new_referral(client, auth, key_suffix="b", patient_name="Bo Berg", arrived_at=_now_local())

    def after_count(conn, cursor, statement, parameters, context, executemany) -> None:
        if "sum(CASE" not in statement or done:
            return
        done.append(True)
        # Another tablet's write lands between the board's count and its rows.
        with db.engine.begin() as other:
            ada = select(Case.id).where(Case.patient_name == "Ada Akut").scalar_subquery()
            other.execute(
                update(Referral)
                .where(Referral.case_id == ada)
                .values(arrived_at=datetime(2026, 1, 15, 7, tzinfo=UTC))
            )

    done: list[bool] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after_count)
    try:
        page = client.get("/board/").get_data(as_text=True)
    finally:
        event.remove(engine, "after_cursor_execute", after_count)
    assert done
    assert "T. T." in page and "B. B." not in page
    if engine.dialect.name == "sqlite":
        # One read transaction: the board is the picture at its count, where Ada was in time.
        assert "A. A." not in page and page.count("Försenad") == 1
    else:
        # Each statement sees what is committed: the rows found Ada late after the count, and
        # she is shown rather than cut off at the counted number.
        assert "A. A." in page and page.count("Försenad") == 2


def test_board_reads_its_rows_once_however_many_need_someone(
    app, client: FlaskClient, auth, one_row: None
) -> None:
    """More overdue cases than rows shown used to read the rows twice, the second time every
    case of the incident; now a count tells the query how many rows to read."""
    from .statements import sent_statements

    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    for suffix, name in (("t", "Tim Timme"), ("u", "Ulla Timme")):
        _new_referral(
            client, auth, key_suffix=suffix, priority="inom_timmar", patient_name=name,
            arrived_at="2026-01-15T08:00",
        )  # fmt: skip
    _new_referral(client, auth, key_suffix="a", patient_name="Ada Akut", arrived_at=_now_local())
    client.get("/board/rows")
    with sent_statements(app) as sent:
        page = client.get("/board/rows").get_data(as_text=True)
    assert "T. T." in page and "U. T." in page and "A. A." not in page
    assert sum("JOIN referral" in s and "LIMIT" in s for s in sent) == 1
    assert not any("JOIN referral" in s and "ORDER BY" in s and "LIMIT" not in s for s in sent)
