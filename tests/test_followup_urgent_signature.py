"""The follow-up times the call about an urgent finding from the first signature that carried
it: a preliminary signed without it says nothing urgent, and the referrer could not have been
phoned about it then."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.followup.report import followup_report
from webapp.models import Case, Incident, ReportSignature, UrgentCall, utcnow
from webapp.sites import site_config
from webapp.web import local_time_marked

from .factories import case_code, report_data
from .other_site_support import visible
from .printforms.conftest import pdf_text

CALL = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"}


def _signed(client: FlaskClient, case_id: int, *, urgent: tuple[bool, bool]) -> None:
    """A preliminary and then a definitive signature, each with the box as given, with an
    unsigned save between them; the call logged after."""
    preliminary, definitive = urgent
    tick = {"is_urgent": "y"}
    first = report_data("preliminary", "p" * 20, **(tick if preliminary else {}))
    assert client.post(f"/reporting/{case_id}", data=first).status_code == 302
    # Ticked on an unsigned save, as the radiologist may; unticking needs a signature.
    saved = report_data("save", "s" * 20, version="1", findings="Utökad.", **tick)
    assert client.post(f"/reporting/{case_id}", data=saved).status_code == 302
    last = report_data("definitive", "d" * 20, version="2", **(tick if definitive else {}))
    assert client.post(f"/reporting/{case_id}", data=last).status_code == 302
    assert client.post(f"/reporting/{case_id}/call", data=CALL).status_code == 302


def _timed(app: Flask, case_id: int, *, signed: tuple[int, int], called: int) -> None:
    """The signatures and the call put at known minutes before now (they were all just now)."""
    base = utcnow().replace(second=0, microsecond=0) - timedelta(hours=3)
    with app.app_context():
        rows = db.session.scalars(select(ReportSignature).order_by(ReportSignature.id)).all()
        assert [r.kind for r in rows] == ["preliminary", "definitive"]
        for row, minutes in zip(rows, signed, strict=True):
            db.session.execute(
                update(ReportSignature)
                .where(ReportSignature.id == row.id)
                .values(signed_at=base + timedelta(minutes=minutes))
            )
        db.session.execute(
            update(UrgentCall)
            .where(UrgentCall.case_id == case_id)
            .values(called_at=base + timedelta(minutes=called))
        )
        db.session.commit()


def _urgent(app: Flask, case_id: int):  # type: ignore[no-untyped-def]
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        incident = db.session.get(Incident, case.incident_id)
        assert incident is not None
        [found] = followup_report(incident, site_config(incident.site), utcnow()).cases.urgent
        return found


def test_the_call_is_timed_from_the_definitive_signature_that_first_carried_the_finding(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _signed(client, case_id, urgent=(False, True))
    _timed(app, case_id, signed=(0, 60), called=80)
    found = _urgent(app, case_id)
    # From the preliminary it read 80 minutes: 60 of them nothing urgent had been signed.
    assert found.minutes == 20
    with app.app_context():
        definitive = db.session.scalars(
            select(ReportSignature.signed_at).order_by(ReportSignature.id)
        ).all()[1]
        signed_text = local_time_marked(definitive)
        assert found.signed_at == definitive
    code = case_code(app, case_id)
    auth.login("admin")
    incident_id = _incident_id(app, case_id)
    page = " ".join(
        visible(client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)).split()
    )
    section = page.split("tid till samtalet", 1)[1]
    assert f"{code} – " in section
    assert f"signerat {signed_text}" in section and "(20 min)" in section
    text = " ".join(
        pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data()).split()
    )
    table = text.split("Akuta fynd: tid till samtalet med remittenten", 1)[1]
    table = table.split("Faxade svar", 1)[0]
    assert f"{signed_text} " in table and table.rstrip().endswith(" 20")


def test_the_call_is_timed_from_the_urgent_preliminary_though_saved_and_signed_since(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _signed(client, case_id, urgent=(True, True))
    _timed(app, case_id, signed=(0, 60), called=80)
    assert _urgent(app, case_id).minutes == 80


def _page_and_sheet(app: Flask, client: FlaskClient, auth, case_id: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The follow-up page's urgent section and the sheet's urgent table, as text."""
    auth.login("admin")
    incident_id = _incident_id(app, case_id)
    page = " ".join(
        visible(client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)).split()
    )
    section = page.split("tid till samtalet", 1)[1].split("Faxade svar", 1)[0]
    text = " ".join(
        pdf_text(client.get(f"/incidents/{incident_id}/followup.pdf").get_data()).split()
    )
    table = text.split("Akuta fynd: tid till samtalet med remittenten", 1)[1]
    return section, table.split("Faxade svar", 1)[0]


def test_a_finding_signed_urgent_and_called_about_stays_though_the_definitive_took_the_mark(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    tick = {"is_urgent": "y"}
    first = report_data("preliminary", "p" * 20, **tick)
    assert client.post(f"/reporting/{case_id}", data=first).status_code == 302
    assert client.post(f"/reporting/{case_id}/call", data=CALL).status_code == 302
    # The definitive, after the call, without the mark: the finding was phoned all the same.
    last = report_data("definitive", "d" * 20, version="1")
    assert client.post(f"/reporting/{case_id}", data=last).status_code == 302
    _timed(app, case_id, signed=(0, 60), called=25)
    found = _urgent(app, case_id)
    assert found.minutes == 25 and found.mark_removed
    code = case_code(app, case_id)
    section, table = _page_and_sheet(app, client, auth, case_id)
    removed = "akut markering borttagen vid en senare signering"
    assert f"{code} – " in section and "(25 min)" in section and removed in section
    assert code in table and removed in table.lower()


def test_an_urgent_finding_still_marked_says_nothing_was_taken_away(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _signed(client, case_id, urgent=(True, True))
    _timed(app, case_id, signed=(0, 60), called=80)
    assert not _urgent(app, case_id).mark_removed
    section, table = _page_and_sheet(app, client, auth, case_id)
    assert "borttagen" not in section and "borttagen" not in table


def test_a_call_logged_before_the_urgent_signature_says_so_not_zero_minutes(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _signed(client, case_id, urgent=(False, True))
    # Phoned half an hour before the definitive that first carried the finding was signed.
    _timed(app, case_id, signed=(0, 60), called=30)
    found = _urgent(app, case_id)
    assert found.called_before_signing and found.minutes is None
    section, table = _page_and_sheet(app, client, auth, case_id)
    assert "samtal före signering" in section and "(0 min)" not in section
    assert "samtal före signering" in table.lower() and not table.rstrip().endswith(" 0")


def _incident_id(app: Flask, case_id: int) -> int:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        return case.incident_id
