"""A department other than the example one: its site file, and the example's words to look for.

Nordmark shares nothing with the example site: its routines (scenarios) have other keys, names
and steps, its priorities and modalities other codes, its contacts other numbers, and it has no
image-transfer routine at all. Its reviewer routine's message after the night is ticked as
one of its outage routine's notifications, under a key of its own.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Draft, ExportBatch, Incident, ReportTemplate, ReservedCode
from webapp.models.base import utcnow

from .factories import DEFAULT_PIN, exam_data, make_user, referral_data, report_data
from .printforms.conftest import pdf_text

NORDMARK = """
[site]
code = "NRD"
name = "Bildmedicin Nordmark"
department = "Bilddiagnostik, Nordmarks lasarett"
care_unit = "Bildmedicin Nordmark"
region = "Region Nordmark"
fax = "0111-222 01"
phone = "0111-222 00"
four_eyes = false

[[priorities]]
code = "p1"
label = "Omgående"
rank = 10
max_wait_minutes = 45

[[priorities]]
code = "p2"
label = "Samma pass"
rank = 20

[[priorities]]
code = "p3"
label = "Planerad"
rank = 30

[[modalities]]
code = "DX"
name = "Konventionell bild"
rooms = ["Sal A"]
pregnancy = true

[[modalities]]
code = "SKT"
name = "Skiktbild"
rooms = ["Sal B", "Sal C"]
pregnancy = true

[[exams]]
code = "SKT-SKALLE"
name = "Skiktbild skalle"
modality = "SKT"
pregnancy = true

[[exams]]
code = "DX-BRST"
name = "Bröstkorg två plan"
modality = "DX"

[[contacts]]
key = "servicedesk"
name = "Nordmarks driftcentral"
phone = "0111-333 00"

[[contacts]]
key = "beredskap"
name = "Chef i beredskap"
phone = "0111-333 10"

[[contacts]]
key = "systemansvarig"
name = "Bildsystemförvaltningen"
phone = "0111-333 20"
email = "bildsystem@nordmark.invalid"

[[contacts]]
key = "bakjour"
name = "Bakjour bild"
phone = "0111-333 30"

[[contacts]]
key = "fjarrgranskare"
name = "Fjärrgranskning Nordmark"
phone = "0111-444 00"
fax = "0111-444 01"

[[contacts]]
key = "arkivet"
name = "Bildarkivet Nordmark"
phone = "0111-333 40"

[scenarios.kedjan]
name = "Kedjebrott i remissflödet"
still_works = ["Bildvisaren"]
calls = ["servicedesk", "beredskap"]
steps = [
  "Ta emot pappersremiss via fax i sal A.",
  "Anteckna tillfälligt nummer på modaliteten.",
]
notifications = [
  { key = "driftcentral_ringd", label = "Driftcentralen uppringd" },
  { key = "cib_underrattad", label = "Chef i beredskap underrättad" },
  { key = "forvaltningen_meddelad", label = "Bildsystemförvaltningen meddelad" },
]
follow_up = [
  { key = "cib_atergang", label = "Chef i beredskap underrättad om återgång" },
]

[scenarios.fjarr]
name = "Fjärrgranskningen ur funktion"
still_works = ["Lokal bildvisare"]
calls = ["fjarrgranskare", "servicedesk"]
steps = ["Faxa avidentifierad remiss till fjärrgranskningen."]
notifications = [
  { key = "fjarr_ringd", label = "Fjärrgranskningen uppringd" },
]

[routines.external_reviewer]
contacts = ["fjarrgranskare", "bakjour"]
fax_contact = "fjarrgranskare"
escalation_contact = "bakjour"
admin_contact = "systemansvarig"
admin_notification = "forvaltningen_meddelad"
who_calls_whom = ["Bildmedicin ringer fjärrgranskningen vid fel."]
checklist = ["Fjärrgranskningen varskodd"]
admin_subject = "Fjärrgranskning ur funktion {date}"
admin_body = "Natten {date} på {site}: {count} fall faxades ({codes})."

[[routines.external_reviewer.routes]]
key = "direkt"
name = "Sänd direkt från skiktbildsalen"

[routines.release]
own_region_hospitals = ["Nordmarks lasarett", "Fjällby sjukstuga"]
archive_name = "Nordarkivet"
archive_push_route = "nordarkivets sändkö"
iep_name = "Bildportalen Nord"
billing_unit = "Ekonomienheten Nordmark"
billing_address = "Ekonomienheten, Region Nordmark, Box 9, 111 11 Nordmark"
billing_product = "Skiva till patient (konto 1111)"
fee_note = "Avgift enligt Nordmarks avgiftslista."
contacts = ["arkivet", "systemansvarig"]
"""

# Texts of the example's file that are the app's own words too (a page says them whatever the
# site): the systems of DOMAIN.md, what still works in every outage, and "Vid MR" questions.
SHARED_WORDS = frozenset({"Akut", "Rutin", "PACS", "RIS", "Lokala system", "Modaliteterna", "MR"})
# Codes and keys are matched as whole words; these are also ordinary Swedish words of the UI.
SHARED_CODES = frozenset({"akut", "rutin", "total", "pacs", "tib"})
CODE_PATTERN = re.compile(r"[A-Z]{2,3}(-[A-ZÅÄÖ]+)?|[a-z_]+")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def example_texts() -> tuple[set[str], set[str]]:
    """The example site's names and numbers, and its codes and keys (matched as whole words)."""
    raw = tomllib.loads(EXAMPLE_SITE.read_text(encoding="utf-8"))
    names: set[str] = set()
    codes: set[str] = set(raw["scenarios"])
    for text in _strings(raw):
        if CODE_PATTERN.fullmatch(text):
            codes.add(text)
        elif len(text) >= 4 and text not in SHARED_WORDS and "{" not in text:
            names.add(text)
    # The names of the file's own settings are the app's, whatever the site (its TOML shows
    # them), as are the media and recipient kinds and the days of the week in service hours.
    return names, codes - set(_keys(raw)) - SHARED_CODES - SHARED_WORDS - {"cd", "dvd", "usb"}


def visible(page: str) -> str:
    """What a page shows: its text, with the markup and scripts left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def leaks(text: str) -> list[str]:
    """The example site's names, numbers and codes found in a page, sheet or export."""
    names, codes = example_texts()
    found = [name for name in names if name in text]
    found += [code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    # Any number of the example's fictional 0999 series, also ones not in its file.
    found += re.findall(r"0999[- ]?\d[\d -]*\d", text)
    return sorted(set(found))


def login(app: Flask, client: FlaskClient, role: str) -> None:
    client.post("/logout")
    with app.app_context():
        make_user(role=role, username=f"test-{role}")
    response = client.post("/login", data={"username": f"test-{role}", "secret": DEFAULT_PIN})
    assert response.status_code == 302


def done(response: TestResponse) -> str:
    """The address a form's POST led to (it must have been taken)."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def last_id(url: str) -> str:
    """The id a URL ends with."""
    return url.rstrip("/").rsplit("/", 1)[-1]


NORDMARK_CASE = {
    "priority": "p1",
    "modality": "SKT",
    "exam_code": "SKT-SKALLE",
    "exam_text": "Skiktbild skalle",
    "referrer_phone": "0111-555 00",
    "reply_fax": "0111-555 01",
}
NORDMARK_EXAM = {
    "modality": "SKT",
    "room": "Sal B",
    "exam_code": "SKT-SKALLE",
    "exam_text": "Skiktbild skalle",
}
RELEASE_BY_POST = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Söderfjärds sjukhus",
    "channel": "media",
    "recipient_not_on_iep": "y",
    "media_kind": "cd",
    "delivery": "post",
}


def build_world(app: Flask, client: FlaskClient) -> dict[str, str]:
    """An outage of Nordmark's own routine: a reported case released on disc, a case faxed to
    the remote reviewer, a binder code, a draft and an export; the ids a URL can name."""
    login(app, client, "radiographer")
    incident_id = last_id(done(client.post("/incidents/new", data={"scenario": "kedjan"})))
    case_url = done(client.post("/cases/new", data=referral_data(**NORDMARK_CASE)))
    done(client.post(case_url + "/exam", data=exam_data(**NORDMARK_EXAM)))
    other_url = done(
        client.post(
            "/cases/new",
            data=referral_data(
                key_suffix="o",
                patient_name="Åsa Öberg",
                personal_number="19800101-0027",
                pregnancy="no",
                **NORDMARK_CASE,
            ),
        )
    )
    done(client.post(other_url + "/exam", data=exam_data(key_suffix="o", **NORDMARK_EXAM)))
    done(
        client.post(
            f"/routines/reviewer/cases/{last_id(other_url)}/fax",
            data={"fax-number": "0111-444 01", "fax-sent_at": "2026-01-15T11:10"},
        )
    )
    done(
        client.post(
            f"/routines/reviewer/cases/{last_id(other_url)}/route",
            data={"route-route_key": "direkt", "route-outcome": "ok"},
        )
    )
    draft = {"kind": "referral", "seq": 1, "data": {"patient_name": "Utkast"}, "label": "Utkast"}
    assert client.put("/api/drafts/" + "w" * 24, json=draft).status_code == 200
    login(app, client, "radiologist")
    done(client.post(f"/reporting/{last_id(case_url)}", data=report_data("definitive", "d" * 20)))
    login(app, client, "secretary")
    release_id = last_id(
        done(client.post(f"/routines/releases/cases/{last_id(case_url)}", data=RELEASE_BY_POST))
    )
    login(app, client, "admin")
    done(client.post("/blanks/reserve", data={"count": "1", "doc_kind": "BLR"}))
    assert client.get(f"/catchup/incidents/{incident_id}/export/csv").status_code == 200
    client.post("/logout")
    with app.app_context():
        template_id = db.session.scalar(select(ReportTemplate.id))
        return {
            "incident_id": incident_id,
            "case_id": last_id(case_url),
            "other_id": last_id(other_url),
            "release_id": release_id,
            "code": str(db.session.scalar(select(ReservedCode.code))),
            "draft_id": str(db.session.scalar(select(Draft.id))),
            "form_key": "w" * 24,
            "template_id": str(template_id or 999999),
            "user_id": str(make_user(role="radiographer", username="test-radiographer").id),
            "export_id": str(db.session.scalar(select(ExportBatch.id))),
            "kind": "referral",
            "fmt": "csv",
            "exchange_id": "999999",
            "task_id": "999999",
            "transfer_id": "999999",
            "key": "direkt",
        }


def shown(response: TestResponse) -> str:
    data = response.get_data()
    if data.startswith(b"%PDF"):
        return pdf_text(data)
    return visible(data.decode("utf-8", "replace"))


def end_incident(app: Flask, incident_id: str) -> None:
    # Only an ended incident's cases may keep a code the configuration drops.
    with app.app_context():
        db.session.execute(
            update(Incident).where(Incident.id == int(incident_id)).values(ended_at=utcnow())
        )
        db.session.commit()


# The routine the outage ran under renamed and the other dropped; the priority, modality and
# exam its cases hold dropped, and the image route renamed.
LATER = (
    re.sub(r"\[scenarios\.fjarr\].*?(?=\[routines)", "", NORDMARK, flags=re.DOTALL)
    .replace('name = "Kedjebrott i remissflödet"', 'name = "Remissflödet avbrutet"')
    .replace(
        '[[priorities]]\ncode = "p1"\nlabel = "Omgående"\nrank = 10\nmax_wait_minutes = 45\n',
        "",
    )
    .replace('code = "SKT"\nname = "Skiktbild"', 'code = "DT"\nname = "Datortomografi nu"')
    .replace(
        'code = "SKT-SKALLE"\nname = "Skiktbild skalle"\nmodality = "SKT"',
        'code = "DT-SK"\nname = "DT skalle"\nmodality = "DT"',
    )
    .replace('name = "Sänd direkt från skiktbildsalen"', 'name = "Sänd från DT-salen"')
)
