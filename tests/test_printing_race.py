"""A colleague's print of the same sheet between drawing and recording: drawn again as a copy."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, PrintRecord, User
from webapp.printing.services import PrintPlan, plan_prints, print_pdf, record_print

from .routines_support import make_case


def _plan(case: Case, user: User) -> PrintPlan:
    return plan_prints(
        user=user, case=case, incident_id=case.incident_id, documents=[("referral", 1)]
    )


def test_a_sheet_printed_by_a_colleague_meanwhile_is_drawn_again_as_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    with app.app_context():
        case = db.session.get(Case, case_id)
        user = db.session.scalars(select(User)).first()
        drawn: list[bool] = []

        def draw(plan: PrintPlan) -> bytes:
            drawn.append(plan.printed["referral"].reprint_at is not None)
            if len(drawn) == 1:
                # The colleague's print lands after this sheet was drawn as an original.
                assert record_print(_plan(case, user)) is None
            return f"sheet {len(drawn)}".encode()

        pdf = print_pdf(_plan(case, user), draw)
        records = db.session.execute(
            select(PrintRecord.is_reprint).where(PrintRecord.case_id == case_id)
        ).all()
    assert drawn == [False, True]
    assert pdf == b"sheet 2"
    # One original and one copy: never two originals of one sheet.
    assert sorted(r.is_reprint for r in records) == [False, True]


def test_a_sheet_overtaken_twice_is_drawn_as_a_changed_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    with app.app_context():
        case = db.session.get(Case, case_id)
        user = db.session.scalars(select(User)).first()
        drawn: list[tuple[bool, bool]] = []

        def draw(plan: PrintPlan) -> bytes:
            printed = plan.printed["referral"]
            drawn.append((printed.reprint_at is not None, printed.changed_since is not None))
            # A colleague's copy lands after the first drawing, one of a changed sheet after
            # the second.
            if len(drawn) <= 2:
                documents = [("referral", len(drawn))]
                colleague = plan_prints(
                    user=user, case=case, incident_id=case.incident_id, documents=documents
                )
                assert record_print(colleague) is None
            return b"sheet"

        print_pdf(_plan(case, user), draw)
        records = db.session.execute(
            select(PrintRecord.version, PrintRecord.is_reprint)
            .where(PrintRecord.case_id == case_id)
            .order_by(PrintRecord.id)
        ).all()
    assert drawn == [(False, False), (True, False), (True, True)]
    assert [tuple(r) for r in records] == [(1, False), (2, False), (1, True)]
