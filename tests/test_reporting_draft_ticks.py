"""A report draft continued on the reporting screen: a box unticked when the tablet saved it can
still be ticked, and the tick reaches the signature."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report

from .factories import report_data

DRAFT_KEY = "ticks-" + "t" * 20


def _box_value(page: str, name: str) -> str:
    box = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert box is not None, f"no box {name!r}"
    value = re.search(r'\bvalue="([^"]*)"', box.group(0))
    # A box without a value attribute is sent as "on" by a browser.
    return value.group(1) if value else "on"


def test_urgent_ticked_on_a_continued_draft_signs_the_report_urgent(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # drafts.js keeps an unticked box as "": drawn with value="", the box ticked later sent ""
    # and the report was signed without its urgent finding, so no call was asked for.
    auth.login("radiologist")
    typed = report_data("save", DRAFT_KEY, findings="Fri gas under diafragman.", version="")
    typed |= {"is_urgent": ""}
    response = client.put(
        f"/api/drafts/{DRAFT_KEY}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(f"/reporting/{case_id}?draft={DRAFT_KEY}").get_data(as_text=True)
    ticked = report_data(
        "preliminary",
        DRAFT_KEY,
        findings="Fri gas under diafragman.",
        conclusion="Perforation.",
        version="",
        is_urgent=_box_value(page, "is_urgent"),
    )
    assert client.post(f"/reporting/{case_id}", data=ticked).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Report.is_urgent)) is True
