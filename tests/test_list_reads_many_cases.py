"""A list showing many cases names every one of them in its read, however long the list: a
read's detail is cut at 2,000 characters, and a case named past the cut was in no patient's
extract of the access log."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from webapp.audit import DETAIL_LENGTH, codes_details
from webapp.codes import generate_case_code
from webapp.extensions import db
from webapp.models import Case, ImageRelease, ImageTransfer, User

from .factories import audit_events
from .routines_support import make_case, transfer_case, transfer_data


def _copies(app: Flask, case_id: int, many: int) -> list[tuple[int, str]]:
    """Copies of the case (a list's rows need distinct cases): their ids and codes."""
    with app.app_context():
        row = db.session.execute(select(Case.__table__).where(Case.id == case_id)).mappings().one()
        out = []
        for _ in range(many):
            code = generate_case_code()
            values = {k: v for k, v in row.items() if k != "id"} | {"code": code}
            result = db.session.execute(insert(Case.__table__).values(values))
            out.append((int(result.inserted_primary_key[0]), code))
        db.session.commit()
        return out


def _unnamed(app: Flask, action: str, codes: list[str]) -> list[str]:
    named = " ".join(e.detail for e in audit_events(app, action))
    return [c for c in codes if c not in named]


def test_the_transfer_list_names_every_case_it_shows_however_many(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    data = transfer_data(case_code=code, patient_ref="", patient_name="")
    assert client.post("/routines/transfers/new", data=data).status_code == 302
    copies = _copies(app, case_id, 150)
    with app.app_context():
        first = db.session.scalars(select(ImageTransfer)).one()
        for copy_id, _code in copies:
            db.session.add(
                ImageTransfer(
                    site_id=first.site_id,
                    incident_id=first.incident_id,
                    case_id=copy_id,
                    direction="send",
                    counterpart_key=first.counterpart_key,
                    counterpart_name=first.counterpart_name,
                    exam_text=first.exam_text,
                    urgency=first.urgency,
                    created_by_id=first.created_by_id,
                )
            )
        db.session.commit()
    codes = [code, *(c for _id, c in copies)]
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert all(c in page for c in codes)
    assert _unnamed(app, "transfer_list_view", codes) == []


def test_the_billing_list_names_every_case_it_shows_however_many(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    copies = _copies(app, case_id, 260)
    with app.app_context():
        case = db.session.get(Case, case_id)
        author = db.session.scalars(select(User)).first()
        assert case is not None and author is not None
        for copy_id, _code in copies:
            db.session.add(
                ImageRelease(
                    site_id=case.site_id,
                    incident_id=case.incident_id,
                    case_id=copy_id,
                    recipient_kind="patient",
                    channel="media",
                    media_kind="cd",
                    delivery="pickup",
                    billing_recorded=True,
                    is_billable=True,
                    created_by_id=author.id,
                )
            )
        db.session.commit()
    auth.login("secretary")
    page = client.get("/routines/releases/billing").get_data(as_text=True)
    codes = [c for _id, c in copies]
    assert all(c in page for c in codes)
    assert _unnamed(app, "release_billing_view", codes) == []


def test_a_long_lists_details_each_fit_the_column_and_together_name_every_code() -> None:
    codes = [f"A{n:02d}-{n:03d}" for n in range(400)]
    details = codes_details("överföringar: " + ", ".join(f"#{n}" for n in range(200)), codes)
    assert len(details) > 1
    assert all(len(d) <= DETAIL_LENGTH for d in details)
    assert all(any(c in d for d in details) for c in codes)
    assert all("ärenden: " in d for d in details)


def test_a_short_lists_detail_is_one_row() -> None:
    assert codes_details("privat bruk", ["ABC-123"]) == ["privat bruk; ärenden: ABC-123"]
    assert codes_details("privat bruk", []) == ["privat bruk"]
    assert codes_details("", []) == [""]
