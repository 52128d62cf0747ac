"""The transfer list never ends silently: past a page it says how many there are in all and
links to the rest, keeping the "closed too" choice; the overview counts every open one."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageTransfer
from webapp.routines.queries import TRANSFER_PAGE

from .routines_support import transfer_data


def _many_transfers(app: Flask, client: FlaskClient, auth, extra: int) -> int:
    """A page of open transfers and `extra` more, each of its own typed patient; their count."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    made = client.post("/routines/transfers/new", data=transfer_data(patient_ref="RES-0001"))
    assert made.status_code == 302, made.get_data(as_text=True)
    with app.app_context():
        first = db.session.scalar(select(ImageTransfer))
        assert first is not None
        for n in range(2, TRANSFER_PAGE + extra + 1):
            db.session.add(
                ImageTransfer(
                    site_id=first.site_id,
                    incident_id=first.incident_id,
                    direction="send",
                    counterpart_key=first.counterpart_key,
                    counterpart_name=first.counterpart_name,
                    exam_text="DT hjärna",
                    patient_ref=f"RES-{n:04d}",
                    patient_name="",
                    urgency=first.urgency,
                    created_by_id=first.created_by_id,
                )
            )
        db.session.commit()
    return TRANSFER_PAGE + extra


def _listed(page: str) -> set[int]:
    return {int(n) for n in re.findall(r"/routines/transfers/(\d+)\"", page)}


def test_a_list_longer_than_a_page_says_so_and_links_to_the_rest(
    app: Flask, client: FlaskClient, auth
) -> None:
    total = _many_transfers(app, client, auth, 5)
    first = client.get("/routines/transfers").get_data(as_text=True)
    assert f"Visar 1–{TRANSFER_PAGE} av {total} överföringar" in first
    assert len(_listed(first)) == TRANSFER_PAGE
    assert 'href="/routines/transfers?page=2"' in first
    second = client.get("/routines/transfers?page=2").get_data(as_text=True)
    assert f"Visar {TRANSFER_PAGE + 1}–{total} av {total} överföringar" in second
    assert len(_listed(second)) == 5
    assert _listed(first).isdisjoint(_listed(second))
    assert 'href="/routines/transfers?page=1"' in second


def test_the_next_page_keeps_the_closed_too_choice(app: Flask, client: FlaskClient, auth) -> None:
    _many_transfers(app, client, auth, 1)
    page = client.get("/routines/transfers?all=1").get_data(as_text=True)
    assert re.search(r'href="/routines/transfers\?(page=2&amp;all=1|all=1&amp;page=2)"', page)


def test_a_page_past_the_end_shows_the_last_page(app: Flask, client: FlaskClient, auth) -> None:
    total = _many_transfers(app, client, auth, 2)
    page = client.get("/routines/transfers?page=99999999999999999999").get_data(as_text=True)
    assert f"Visar {TRANSFER_PAGE + 1}–{total} av {total} överföringar" in page


def test_each_page_read_names_the_patients_it_showed(app: Flask, client: FlaskClient, auth) -> None:
    total = _many_transfers(app, client, auth, 3)
    client.get("/routines/transfers?page=2")
    with app.app_context():
        named = set(
            db.session.scalars(
                select(AuditEvent.patient_ref).where(AuditEvent.action == "transfer_list_view")
            )
        )
        shown = set(
            db.session.scalars(
                select(ImageTransfer.patient_ref)
                .order_by(ImageTransfer.created_at.desc(), ImageTransfer.id.desc())
                .offset(TRANSFER_PAGE)
            )
        )
        assert len(shown) == total - TRANSFER_PAGE
        assert shown <= named


def test_the_overview_counts_every_open_transfer(app: Flask, client: FlaskClient, auth) -> None:
    total = _many_transfers(app, client, auth, 4)
    page = client.get("/routines/").get_data(as_text=True)
    assert f"{total} pågående överföringar." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(ImageTransfer.id))) == total


def test_a_short_list_says_nothing_of_pages(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    client.post("/routines/transfers/new", data=transfer_data())
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert "Visar " not in page
    assert "page=2" not in page
