"""Upgrades that fill new columns from what older releases recorded: paper times and keyers,
print versions, list stamps, printed binder codes (first and last), transfers' patient names."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Case,
    ImageTransfer,
    Incident,
    PrintRecord,
    ReservedCode,
    User,
)
from webapp.startup import prepare

from .factories import paper_report_data, referral_data
from .test_migrations import (
    DRAFT_WRITER,
    HEAD,
    PRINT_CONTENT_RECOUNTED,
    RELEASE_RIS_NOTE,
    URGENT_ADDENDUM,
    WAIVER_CONFIRMED,
    version_and_tables,
)
from .test_migrations import signed_case as signed_case  # the fixture, shared


def _signature_rows(app: Flask) -> list[tuple[int, str, str | None, int | None]]:
    """Each signature's case, kind, paper time (UTC, to the minute) and keyer, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT r.case_id, s.kind, s.paper_signed_at, s.entered_by_id"
                " FROM report_signature s JOIN report r ON r.id = s.report_id"
                " ORDER BY s.id"
            )
        ).all()
        db.session.remove()
    # The raw column is naive UTC on either database: compared as text.
    return [(c, k, str(p)[:16] if p else None, e) for c, k, p, e in rows]


def test_keyed_signatures_get_their_paper_time_and_keyer_from_the_old_rule_on_upgrade(
    app: Flask, client: FlaskClient, auth, signed_case: int, user_factory
) -> None:
    post = client.post
    auth.login("radiographer")
    # Another case, keyed definitive, whose keying will have left no audit event to read.
    location = post("/cases/new", data=referral_data(key_suffix="2")).headers["Location"]
    other_case = int(location.rsplit("/", 1)[-1])
    auth.logout()
    radiologist = auth.login("radiologist")
    auth.logout()
    first = auth.login("secretary")
    assert (
        post(
            f"/reporting/{signed_case}/paper",
            data=paper_report_data(radiologist.id, form_key="a" * 20, state="preliminary"),
        ).status_code
        == 302
    )
    auth.logout()
    user_factory(role="secretary", username="test-secretary-2")
    second = auth.login("secretary", username="test-secretary-2")
    assert (
        post(
            f"/reporting/{signed_case}/paper",
            data=paper_report_data(
                radiologist.id,
                form_key="b" * 20,
                state="preliminary",
                written_at="2026-01-15T12:20",
            ),
        ).status_code
        == 302
    )
    assert (
        post(
            f"/reporting/{other_case}/paper",
            data=paper_report_data(
                radiologist.id, form_key="c" * 20, written_at="2026-01-15T13:40"
            ),
        ).status_code
        == 302
    )
    auth.logout()
    auth.login("radiologist")  # takes the first case over: the report names no keyer now
    with app.app_context():
        version = db.session.get(Case, signed_case).report.version
        db.session.execute(text("DELETE FROM audit_event WHERE case_id = :c"), {"c": other_case})
        db.session.commit()
    taken_over = post(
        f"/reporting/{signed_case}",
        data={
            "form_key": "d" * 20,
            "version": str(version),
            "action": "definitive",
            "read_on": "pacs",
            "sections-0-heading": "Fynd",
            "sections-0-text": "Ingen blödning.",
        },
    )
    assert taken_over.status_code == 302
    expected = [
        (signed_case, "preliminary", "2026-01-15 10:10", first.id),
        (signed_case, "preliminary", "2026-01-15 11:20", second.id),
        (other_case, "definitive", "2026-01-15 12:40", second.id),
        (signed_case, "definitive", None, None),
    ]
    assert _signature_rows(app) == expected

    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=URGENT_ADDENDUM)
        columns = {c["name"] for c in inspect(db.engine).get_columns("report_signature")}
        db.engine.dispose()
    assert not {"paper_signed_at", "entered_by_id"} & columns
    prepare(app)

    assert version_and_tables(app)[0] == HEAD
    # What the app showed before: the replaced preliminary's paper time was already lost and
    # stays so; its keyer and the later one's are read from the audit log, and without one,
    # from the report.
    expected[0] = (signed_case, "preliminary", None, first.id)
    assert _signature_rows(app) == expected


def test_prints_whose_content_is_counted_otherwise_now_are_compared_by_their_version(
    app: Flask, client: FlaskClient, auth, signed_case: int
) -> None:
    auth.login("radiographer")
    new = client.post("/cases/new", data=referral_data(key_suffix="o"))
    other = int(new.headers["Location"].rsplit("/", 1)[-1])
    for case_id in (signed_case, other):
        client.get(f"/print/cases/{case_id}/referral.pdf")
    client.get(f"/print/cases/{signed_case}/cover.pdf")
    assert (
        client.post(
            f"/cases/{signed_case}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
        ).status_code
        == 302
    )
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        db.session.add(
            PrintRecord(
                case_id=other, doc="release-7", version=2, content_version=2, user_id=user_id
            )
        )
        db.session.commit()
        directory = app.extensions["migrate"].directory
        db.session.remove()
        downgrade(directory=directory, revision=URGENT_ADDENDUM)
        upgrade(directory=directory)
        rows = db.session.execute(
            select(PrintRecord.case_id, PrintRecord.doc, PrintRecord.content_version)
        ).all()
    assert {(case_id == signed_case, doc, content is None) for case_id, doc, content in rows} == {
        (True, "referral", True),  # the cancelled case's sheet
        (True, "cover", False),  # the cover counted the cancel already
        (False, "referral", False),
        (False, "release-7", True),
    }


def test_incidents_keep_the_stamp_their_printed_lists_carry_on_upgrade(
    app: Flask, client: FlaskClient, auth
) -> None:
    secretary = auth.login("secretary")
    starts = [
        datetime(2026, 11, 30, 22, 4, 17, 250031, tzinfo=UTC),
        datetime(2026, 12, 1, 6, 0, tzinfo=UTC),  # declared by hand, to the minute
    ]
    with app.app_context():
        for start in starts:
            db.session.add(
                Incident(
                    site_id=secretary.site_id,
                    scenario="integration",
                    title="Integrationsmotorn",
                    declared_by_id=secretary.id,
                    started_at=start,
                )
            )
        db.session.commit()
        directory = app.extensions["migrate"].directory
        db.session.remove()
        downgrade(directory=directory, revision=PRINT_CONTENT_RECOUNTED)
        columns = {c["name"] for c in inspect(db.engine).get_columns("incident")}
        db.engine.dispose()
    assert "list_stamp" not in columns
    prepare(app)
    with app.app_context():
        stamps = db.session.execute(select(Incident.id, Incident.list_stamp)).all()
        db.session.remove()
    # What the lists printed until now carry: a hash of the site code ("EXS"), the id and the
    # start to the microsecond.
    assert sorted(stamps) == [(1, "5GN5"), (2, "35PU")]
    response = client.get("/scan", query_string={"code": "RR1:I1-5GN5:LST:1"})
    assert response.headers["Location"].endswith("/catchup/incidents/1")


def _at(hour: int) -> datetime:
    return datetime(2026, 11, 30, hour, 0, tzinfo=UTC)


def test_binder_codes_whose_sheets_the_log_says_were_printed_are_printed_on_upgrade(
    app: Flask, user_factory
) -> None:
    admin = user_factory(role="admin")
    # (code, kind, reserved at, voided at): two reserves of referral blanks, one of
    # documentation blanks whose first code was used before its sheets were printed, one of
    # report blanks never printed, and a referral blank voided before the reprint.
    reserved = [
        ("AAA-AA1", "BLR", _at(1), None),
        ("AAA-AA2", "BLR", _at(1), None),
        ("BBB-BB1", "BLR", _at(2), None),
        ("BBB-BB2", "BLR", _at(2), None),
        ("CCC-CC1", "BLD", _at(2), None),
        ("CCC-CC2", "BLD", _at(2), None),
        ("CCC-CC3", "BLD", _at(2), None),
        ("DDD-DD1", "BLU", _at(2), None),
        ("EEE-EE1", "BLR", _at(2), _at(3)),
    ]
    # The audit details blank prints have had: a reserve's codes, then every unused code of
    # a kind reprinted (the referral blanks of the second reserve had never been printed).
    prints = [
        (_at(1), "2 blanketter BLR: AAA-AA1–AAA-AA2"),
        (_at(3), "2 blanketter BLD: CCC-CC2–CCC-CC3"),
        (_at(4), "4 blanketter BLR (kopia): AAA-AA1–BBB-BB2"),
    ]
    with app.app_context():
        for code, kind, at, voided_at in reserved:
            db.session.add(
                ReservedCode(
                    code=code,
                    site_id=admin.site_id,
                    doc_kind=kind,
                    reserved_by_id=admin.id,
                    reserved_at=at,
                    voided_at=voided_at,
                )
            )
        for at, detail in prints:
            db.session.add(AuditEvent(at=at, action="print", user_id=admin.id, detail=detail))
        db.session.commit()
        directory = app.extensions["migrate"].directory
        db.session.remove()
        downgrade(directory=directory, revision=WAIVER_CONFIRMED)
        columns = {c["name"] for c in inspect(db.engine).get_columns("reserved_code")}
        db.engine.dispose()
    assert "printed_at" not in columns
    prepare(app)
    with app.app_context():
        printed = dict(db.session.execute(select(ReservedCode.code, ReservedCode.printed_at)).all())
        db.session.remove()
    assert printed == {
        "AAA-AA1": _at(1),
        "AAA-AA2": _at(1),
        "BBB-BB1": _at(4),
        "BBB-BB2": _at(4),
        "CCC-CC1": None,
        "CCC-CC2": _at(3),
        "CCC-CC3": _at(3),
        "DDD-DD1": None,
        "EEE-EE1": None,
    }


def test_transfers_opened_before_the_patients_name_was_asked_have_none_after_upgrade(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        db.session.remove()
        downgrade(directory=directory, revision=DRAFT_WRITER)
        columns = {c["name"] for c in inspect(db.engine).get_columns("image_transfer")}
        # A transfer as the earlier version stored it: a number, no name.
        db.session.execute(
            text(
                "INSERT INTO image_transfer (site_id, direction, counterpart_key, counterpart_name,"
                " exam_text, patient_ref, urgency, note, status, outcome_note, created_at,"
                " created_by_id) SELECT site_id, 'send', 'grannby_us', 'Grannby', 'DT hjärna',"
                " '19121212-1212', 'akut', '', 'open', '', started_at, declared_by_id"
                " FROM incident"
            )
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert "patient_name" not in columns
    prepare(app)
    with app.app_context():
        assert db.session.execute(
            select(ImageTransfer.patient_ref, ImageTransfer.patient_name)
        ).all() == [("19121212-1212", "")]
        db.session.remove()
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert "Namn okänt" in page and "19121212-1212" in page


def test_printed_binder_codes_are_last_printed_when_first_printed_by_who_logged_it(
    app: Flask, user_factory
) -> None:
    admin = user_factory(role="admin")
    with app.app_context():
        for code, printed_at in (("FFF-FF1", _at(5)), ("FFF-FF2", None)):
            db.session.add(
                ReservedCode(
                    code=code,
                    site_id=admin.site_id,
                    doc_kind="BLU",
                    reserved_by_id=admin.id,
                    reserved_at=_at(4),
                    printed_at=printed_at,
                )
            )
        # Logged a moment after the time the codes keep: once the sheets were drawn.
        logged = _at(5).replace(second=3)
        db.session.add(
            AuditEvent(at=logged, action="print", user_id=admin.id, detail="1 blanketter BLU: F")
        )
        db.session.commit()
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=RELEASE_RIS_NOTE)
        db.engine.dispose()
    prepare(app)
    with app.app_context():
        rows = db.session.execute(
            select(
                ReservedCode.code, ReservedCode.last_printed_at, ReservedCode.last_printed_by_id
            ).order_by(ReservedCode.code)
        ).all()
        db.session.remove()
    assert [tuple(r) for r in rows] == [("FFF-FF1", _at(5), admin.id), ("FFF-FF2", None, None)]
