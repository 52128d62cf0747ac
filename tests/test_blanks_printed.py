"""A binder code's blank sheet is an original once: any later sheet with the code says KOPIA,
whichever way it is printed, and the binder page says which unused codes were never printed."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ReservedCode, User
from webapp.printing.services import PrintPlan, plan_blank_print, print_pdf, record_print
from webapp.storage import write_transaction

from .test_blanks_reserve import batch_pdf_link


def _sheets(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _codes(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))


def _printed_at(app: Flask) -> list[datetime | None]:
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.printed_at).order_by(ReservedCode.id)))


def _last_print_detail(app: Flask) -> str:
    with app.app_context():
        return (
            db.session.scalars(
                select(AuditEvent.detail)
                .where(AuditEvent.action == "print")
                .order_by(AuditEvent.id.desc())
            ).first()
            or ""
        )


def _reserve(client: FlaskClient, count: str, doc_kind: str = "BLR") -> str:
    """Reserve a batch; the link to its sheets."""
    reserved = client.post("/blanks/reserve", data={"doc_kind": doc_kind, "count": count})
    return batch_pdf_link(client, reserved)


def test_the_batch_link_opened_again_prints_its_sheets_as_copies(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _reserve(client, "2")
    first = _sheets(client.get(link).get_data())
    assert len(first) == 2 and all("KOPIA" not in sheet for sheet in first)
    assert "(kopia)" not in _last_print_detail(app)
    again = _sheets(client.get(link).get_data())
    assert len(again) == 2
    assert all("KOPIA" in sheet and "utskriven" in sheet for sheet in again)
    codes = _codes(app)
    assert _last_print_detail(app) == f"2 blanketter BLR (kopia): {codes[0]}–{codes[1]}"


def test_a_code_is_printed_once_as_an_original_with_its_time_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _reserve(client, "2")
    assert _printed_at(app) == [None, None]
    client.get(link)
    first = _printed_at(app)
    assert all(at is not None for at in first)
    client.get(link)
    assert _printed_at(app) == first  # the first print's time, not the copy's


def test_a_batch_with_some_codes_printed_marks_only_their_sheets(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _reserve(client, "3")
    codes = _codes(app)
    with app.app_context(), write_transaction() as session:
        reserved = session.scalar(select(ReservedCode).where(ReservedCode.code == codes[1]))
        reserved.printed_at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    sheets = _sheets(client.get(link).get_data())
    assert ["KOPIA" in sheet for sheet in sheets] == [False, True, False]
    assert _last_print_detail(app) == (
        f"3 blanketter BLR: {codes[0]}–{codes[2]}, varav 1 (kopia): {codes[1]}"
    )
    assert all(at is not None for at in _printed_at(app))


def test_the_batch_link_after_the_binders_reprint_prints_copies(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _reserve(client, "2", doc_kind="BLD")
    reprinted = _sheets(client.get("/blanks/unused.pdf", query_string={"kind": "BLD"}).get_data())
    assert all("KOPIA" in sheet for sheet in reprinted)
    assert all(at is not None for at in _printed_at(app))
    again = _sheets(client.get(link).get_data())
    assert len(again) == 2 and all("KOPIA" in sheet for sheet in again)


def test_the_binder_page_says_which_unused_codes_were_printed(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _reserve(client, "1")
    _reserve(client, "1", doc_kind="BLU")
    page = client.get("/blanks/").get_data(as_text=True)
    assert page.count("Oanvänd, inte utskriven") == 2
    client.get(link)
    page = client.get("/blanks/").get_data(as_text=True)
    assert page.count("Oanvänd, inte utskriven") == 1
    assert page.count("Oanvänd, utskriven 20") == 1


def test_a_code_printed_by_a_colleague_meanwhile_is_drawn_again_as_a_copy(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    _reserve(client, "2")
    codes = _codes(app)
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        drawn: list[list[bool]] = []

        def draw(plan: PrintPlan) -> bytes:
            drawn.append([plan.blank_reprint_at(code) is not None for code in codes])
            if len(drawn) == 1:
                # The colleague's sheet of the second code lands after these were drawn.
                colleague = plan_blank_print(user=user, doc_kind="BLR", codes=codes[1:])
                assert record_print(colleague) is None
            return b"sheets"

        print_pdf(plan_blank_print(user=user, doc_kind="BLR", codes=codes), draw)
    # Never two originals of one code.
    assert drawn == [[False, False], [False, True]]
    assert _last_print_detail(app) == (
        f"2 blanketter BLR: {codes[0]}–{codes[1]}, varav 1 (kopia): {codes[1]}"
    )


def test_the_binders_reprint_names_each_unused_code_in_the_access_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Unused codes are not a run: a range from the first to the last would name the voided
    # code between them too.
    auth.login("admin")
    _reserve(client, "3")
    codes = _codes(app)
    client.post(f"/blanks/{codes[1]}/void", data={"reason": "Bladet rev sönder"})
    reprinted = client.get("/blanks/unused.pdf", query_string={"kind": "BLR"})
    assert len(_sheets(reprinted.get_data())) == 2
    first, last = sorted([codes[0], codes[2]])
    assert _last_print_detail(app) == f"2 blanketter BLR (kopia): {first}, {last}"


def test_a_long_reprint_names_as_many_codes_as_the_log_holds_and_counts_the_rest(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    codes = [f"Q{i:03d}-TST" for i in range(400)]
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        plan = plan_blank_print(user=user, doc_kind="BLR", codes=codes, all_copies=True)
        assert record_print(plan) is None
    detail = _last_print_detail(app)
    assert detail.startswith(f"400 blanketter BLR (kopia): {codes[0]}, {codes[1]}, ")
    assert detail.endswith(f"{codes[149]} … och 250 till")
    assert codes[150] not in detail and len(detail) < 2000


def test_a_long_list_of_copies_in_a_batch_is_cut_where_the_log_holds_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    codes = [f"R{i:03d}-TST" for i in range(200)]
    with app.app_context(), write_transaction() as session:
        admin = session.scalars(select(User)).one()
        for code in codes:
            session.add(
                ReservedCode(
                    site_id=admin.site_id, code=code, doc_kind="BLR", reserved_by_id=admin.id
                )
            )
        session.flush()
        for reserved in session.scalars(select(ReservedCode).where(ReservedCode.code != codes[0])):
            reserved.printed_at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        plan = plan_blank_print(user=user, doc_kind="BLR", codes=codes)
        assert record_print(plan) is None
    detail = _last_print_detail(app)
    assert detail.startswith(f"200 blanketter BLR: {codes[0]}–{codes[-1]}, varav 199 (kopia): ")
    assert detail.endswith(f"{codes[150]} … och 49 till")
    assert len(detail) < 2000
