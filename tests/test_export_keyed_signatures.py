"""A report keyed in from a fax or from paper is exported as signed at the time on the paper,
with when and by whom it was keyed beside it, the same in every format."""

from __future__ import annotations

import base64
import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .export_support import downloaded
from .factories import faxed_report_data, incident_of, paper_report_data, report_data

SECRETARY = "Testa Secretary Åström"
RADIOLOGIST = "Testa Radiologist Åström"
# The forms take Stockholm wall-clock time; January is UTC+1.
PAPER_LOCAL = "2026-01-15 11:10"
PAPER_UTC = "2026-01-15T10:10:00+00:00"


def _json_signatures(client: FlaskClient, incident_id: int) -> list[dict[str, str]]:
    document = json.loads(downloaded(client, incident_id, "json"))
    return list(document["cases"][0]["report"]["signatures"])


def _csv_row(client: FlaskClient, incident_id: int) -> dict[str, str]:
    data = downloaded(client, incident_id, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    return dict(zip(rows[0], rows[1], strict=True))


def _fhir_report(client: FlaskClient, incident_id: int) -> dict:  # type: ignore[type-arg]
    bundle = json.loads(downloaded(client, incident_id, "fhir"))
    resources = [e["resource"] for e in bundle["entry"]]
    return {
        "report": next(r for r in resources if r["resourceType"] == "DiagnosticReport"),
        "provenance": next(r for r in resources if r["resourceType"] == "Provenance"),
    }


def _fhir_text(client: FlaskClient, incident_id: int) -> str:
    """The report's text as the FHIR export presents it."""
    form = _fhir_report(client, incident_id)["report"]["presentedForm"][0]
    return base64.b64decode(form["data"]).decode()


def test_a_paper_report_is_exported_as_signed_at_the_time_on_the_paper(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id)
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    incident_id = incident_of(app, case_id)

    (signature,) = _json_signatures(client, incident_id)
    assert signature["signed_at"] == PAPER_UTC
    assert signature["keyed_at"] is not None and signature["keyed_at"] != PAPER_UTC
    assert signature["keyed_by"] == SECRETARY

    cell = _csv_row(client, incident_id)["signaturer"]
    assert cell.startswith(f"definitivt {RADIOLOGIST} (inskrivet från papper av {SECRETARY}) ")
    assert PAPER_LOCAL in cell and f"inskrivet {PAPER_LOCAL}" not in cell
    assert f"av {SECRETARY})" in cell.split("\n")[0]

    fhir = _fhir_report(client, incident_id)
    assert fhir["report"]["issued"] == "2026-01-15T10:10:00Z"
    text = _fhir_text(client, incident_id)
    assert f"Definitivt signerat {PAPER_UTC}" in text and "inskrivet" in text
    enterers = [a["who"]["display"] for a in fhir["provenance"]["agent"]]
    assert SECRETARY in enterers


def test_a_faxed_preliminary_then_definitive_report_keeps_each_papers_time(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    first = faxed_report_data(form_key="a" * 20)
    assert client.post(f"/reporting/{case_id}/fax", data=first).status_code == 302
    second = faxed_report_data(
        form_key="b" * 20, state="definitive", received_at="2026-01-15T13:40"
    )
    assert client.post(f"/reporting/{case_id}/fax", data=second).status_code == 302
    incident_id = incident_of(app, case_id)

    signatures = _json_signatures(client, incident_id)
    assert [(s["kind"], s["signed_at"]) for s in signatures] == [
        ("preliminary", PAPER_UTC),
        ("definitive", "2026-01-15T12:40:00+00:00"),
    ]
    assert all(s["keyed_by"] == SECRETARY for s in signatures)

    cell = _csv_row(client, incident_id)["signaturer"]
    assert cell.split("\n")[0].startswith(f"preliminärt Dr Extern Granskare (faxat) {PAPER_LOCAL}")
    assert cell.split("\n")[1].startswith("definitivt Dr Extern Granskare (faxat) 2026-01-15 13:40")
    assert _fhir_report(client, incident_id)["report"]["issued"] == "2026-01-15T12:40:00Z"


def test_a_report_signed_in_the_app_has_no_keying_of_its_own(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    signed = report_data(key="s" * 20, version="")
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    incident_id = incident_of(app, case_id)
    (signature,) = _json_signatures(client, incident_id)
    assert signature["keyed_at"] is None and signature["keyed_by"] == ""
    assert "inskrivet" not in _csv_row(client, incident_id)["signaturer"]


def test_the_catchup_page_gives_the_time_on_the_paper_to_key_into_ris(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id)
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    signed = page.split('id="val-signed"', 1)[1].split("</span>", 1)[0]
    assert f"Definitivt signerat {PAPER_LOCAL}" in signed


def _report_version(app: Flask, case_id: int) -> str:
    with app.app_context():
        return str(db.session.get(Case, case_id).report.version)


def _shown_signatures(client: FlaskClient, case_id: int) -> list[str]:
    """The case page's signature lines, as staff read them."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    items = page.split('<ul class="signatures">', 1)[1].split("</ul>", 1)[0]
    return [" ".join(li.split("</li>", 1)[0].split()) for li in items.split("<li>")[1:]]


def test_a_replaced_paper_preliminary_keeps_its_own_paper_time_and_keyer(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int, user_factory
) -> None:
    auth.login("secretary")
    first = paper_report_data(radiologist_id, form_key="a" * 20, state="preliminary")
    assert client.post(f"/reporting/{case_id}/paper", data=first).status_code == 302
    auth.logout()
    user_factory(role="secretary", username="test-secretary-2", display_name="Sara Sekreterare")
    auth.login("secretary", username="test-secretary-2")
    second = paper_report_data(
        radiologist_id, form_key="b" * 20, state="preliminary", written_at="2026-01-15T12:20"
    )
    assert client.post(f"/reporting/{case_id}/paper", data=second).status_code == 302
    third = faxed_report_data(form_key="c" * 20, state="definitive", received_at="2026-01-15T13:40")
    assert client.post(f"/reporting/{case_id}/fax", data=third).status_code == 302
    incident_id = incident_of(app, case_id)

    signatures = _json_signatures(client, incident_id)
    assert [(s["kind"], s["signed_at"], s["keyed_by"]) for s in signatures] == [
        ("preliminary", PAPER_UTC, SECRETARY),
        ("preliminary", "2026-01-15T11:20:00+00:00", "Sara Sekreterare"),
        ("definitive", "2026-01-15T12:40:00+00:00", "Sara Sekreterare"),
    ]
    assert all(s["keyed_at"] not in (None, s["signed_at"]) for s in signatures)

    lines = _csv_row(client, incident_id)["signaturer"].split("\n")
    assert [line.split(" (inskrivet 2")[0].rsplit(" ", 2)[-2:] for line in lines] == [
        ["2026-01-15", "11:10"],
        ["2026-01-15", "12:20"],
        ["2026-01-15", "13:40"],
    ]
    assert lines[0].endswith(f"av {SECRETARY})") and lines[1].endswith("av Sara Sekreterare)")

    text = _fhir_text(client, incident_id)
    assert f"Preliminärt signerat {PAPER_UTC}" in text
    assert "Preliminärt signerat 2026-01-15T11:20:00+00:00" in text

    shown = _shown_signatures(client, case_id)
    assert [line.split(" (inskrivet")[0].split(" ", 2)[2] for line in shown] == [
        PAPER_LOCAL,
        "2026-01-15 12:20",
        "2026-01-15 13:40",
    ]
    assert f"av {SECRETARY})" in shown[0] and "av Sara Sekreterare)" in shown[1]


def test_a_radiologist_taking_over_a_paper_report_keeps_who_keyed_the_paper(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    radiologist = auth.login("radiologist")
    auth.logout()
    auth.login("secretary")
    data = paper_report_data(radiologist.id, state="preliminary")
    assert client.post(f"/reporting/{case_id}/paper", data=data).status_code == 302
    auth.logout()
    auth.login("radiologist")
    signed = report_data(key="s" * 20, version=_report_version(app, case_id))
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    incident_id = incident_of(app, case_id)

    keyed, own = _json_signatures(client, incident_id)
    assert (keyed["signed_at"], keyed["keyed_by"]) == (PAPER_UTC, SECRETARY)
    assert own["keyed_at"] is None and own["keyed_by"] == ""
    cell = _csv_row(client, incident_id)["signaturer"]
    assert cell.split("\n")[0].endswith(f"av {SECRETARY})")
    text = _fhir_text(client, incident_id)
    assert f"av {SECRETARY})" in text and "okänd" not in text
    shown = _shown_signatures(client, case_id)
    assert PAPER_LOCAL in shown[0] and f"av {SECRETARY})" in shown[0]
