"""The incident log's own entries (a note, a change of scenario, a restore, the deviation number,
a late start, a case moved) in the page's language: stored in Swedish, shown in English on an
English page; a label that matches no template of its kind shows as stored."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.incident_log_labels import ANY_KEY_LABELS, LOG_LABELS, LOG_NOTES, read_label
from webapp.models import IncidentLogEntry, User

from .factories import case_code, declare_incident, local_minute, referral_data
from .other_site_support import visible
from .printforms.conftest import pdf_text
from .test_cases_move import move_form

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
REASON = "Riktig patient, togs emot i övningen"


def _words(page: str) -> str:
    return " ".join(visible(page).split())


def _ok(response: Any) -> None:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


class Logged:
    def __init__(self, drill: int, real: int, late: int, code: str, started: str) -> None:
        self.drill, self.real, self.late, self.code = drill, real, late, code
        self.started = started


@pytest.fixture
def logged(app: Flask, client: FlaskClient, auth: Any) -> Logged:
    """A drill declared late and a real outage beside it, with one entry of each app kind."""
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    real = declare_incident(client, "om_ris")
    _ok(client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, REASON)))
    _ok(client.post(f"/incidents/{real}/scenario", data={"scenario": "total"}))
    _ok(client.post(f"/incidents/{real}/restored", data={"restored": "1"}))
    _ok(client.post(f"/incidents/{real}/restored", data={"restored": "0"}))
    _ok(client.post(f"/incidents/{real}/notes", data={"note": "IT lovar 14:00"}))
    # A start given at the declaration: its own drill, as a referral may not arrive before it.
    started = local_minute(-timedelta(minutes=30))
    late = declare_incident(client, "total", drill=True, started_at=started)
    auth.login("admin")
    for number in ("AV-1", "AV-2", ""):
        _ok(client.post(f"/incidents/{real}/followup/deviation", data={"deviation_number": number}))
    return Logged(drill, real, late, case_code(app, case_id), started.replace("T", " "))


def _english(client: FlaskClient) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})


def test_an_english_incident_page_shows_each_app_entry_in_english_with_its_values(
    client: FlaskClient, logged: Logged
) -> None:
    _english(client)
    real = _words(client.get(f"/incidents/{logged.real}").get_data(as_text=True))
    for text in (
        f"Case {logged.code} moved here from outage {logged.drill} (drill)",
        "Scenario changed: Beställningsverktyget eller RIS nere → Totalt avbrott",
        "The systems work again",
        "The systems work again – undone",
        "Note: IT lovar 14:00",
        "Deviation report number: AV-1",
        "Deviation report number changed: AV-1 → AV-2",
        "Deviation report number removed (was AV-2)",
    ):
        assert text in real, text
    for swedish in ("flyttat hit", "Scenario ändrat", "Systemen fungerar", "Avvikelsenummer"):
        assert swedish not in real, swedish
    drill = _words(client.get(f"/incidents/{logged.drill}").get_data(as_text=True))
    assert f"Case {logged.code} moved to outage {logged.real}" in drill
    assert "flyttat till" not in drill
    late = _words(client.get(f"/incidents/{logged.late}").get_data(as_text=True))
    assert f"Registered afterwards: the outage began {logged.started}" in late
    assert "Registrerat i efterhand" not in late


def test_the_site_names_inside_an_english_entry_are_marked_as_swedish(
    client: FlaskClient, logged: Logged
) -> None:
    # The scenarios' names are the site's own words: a screen reader reads them as Swedish.
    _english(client)
    page = client.get(f"/incidents/{logged.real}").get_data(as_text=True)
    assert (
        'Scenario changed: <span lang="sv">Beställningsverktyget eller RIS nere</span> → '
        '<span lang="sv">Totalt avbrott</span>'
    ) in page


def test_an_english_followup_shows_the_course_in_english(
    client: FlaskClient, logged: Logged
) -> None:
    _english(client)
    real = _words(client.get(f"/incidents/{logged.real}/followup").get_data(as_text=True))
    for text in (
        f"Case {logged.code} moved here from outage {logged.drill} (drill)",
        "Scenario changed: Beställningsverktyget eller RIS nere → Totalt avbrott",
        "The systems work again – undone",
    ):
        assert text in real, text
    assert "Scenario ändrat" not in real and "flyttat hit" not in real
    drill = _words(client.get(f"/incidents/{logged.drill}/followup").get_data(as_text=True))
    assert f"Case {logged.code} moved to outage {logged.real}" in drill
    late = _words(client.get(f"/incidents/{logged.late}/followup").get_data(as_text=True))
    assert f"Registered afterwards: the outage began {logged.started}" in late


def test_swedish_pages_show_the_entries_as_stored(
    app: Flask, client: FlaskClient, logged: Logged
) -> None:
    with app.app_context():
        labels: dict[int, list[str]] = defaultdict(list)
        for e in db.session.scalars(db.select(IncidentLogEntry)).all():
            labels[e.incident_id].append(e.label)
    for incident_id in (logged.real, logged.drill, logged.late):
        page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
        assert 'lang="sv"' not in page.split('class="log"', 1)[1]
        shown = _words(page)
        for label in labels[incident_id]:
            assert label in shown, label
    followup = _words(client.get(f"/incidents/{logged.real}/followup").get_data(as_text=True))
    assert "Scenario ändrat: Beställningsverktyget eller RIS nere → Totalt avbrott" in followup
    assert f"Ärende {logged.code} flyttat hit från driftstopp {logged.drill} (övning)" in followup


# (step_key, a label in words no template has, whether the follow-up's course lists the kind)
UNREAD = [
    ("scenario", "Scenario bytt till Totalt avbrott", True),
    ("restored", "Systemen uppe igen", True),
    ("case_move", "Ärende AB12-C flyttat till driftstopp fyra", True),
    ("declared", "Registrerat i efterhand", True),
    # Each change of the deviation number is in the follow-up's course too, after the close.
    ("deviation", "Avvikelse AV-9", True),
]


@pytest.mark.parametrize("step_key,label,in_course", UNREAD)
def test_an_entry_whose_label_matches_no_template_shows_as_stored(
    app: Flask, client: FlaskClient, auth: Any, step_key: str, label: str, in_course: bool
) -> None:
    auth.login("admin")
    incident_id = declare_incident(client, "om_ris")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "test-admin"))
        db.session.add(
            IncidentLogEntry(
                incident_id=incident_id, step_key=step_key, label=label, user_id=user.id
            )
        )
        db.session.commit()
    _english(client)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert f'<span lang="sv">{label}</span>' in page
    followup = client.get(f"/incidents/{incident_id}/followup").get_data(as_text=True)
    assert (f'<span lang="sv">{label}</span>' in followup) is in_course


def test_an_english_page_says_in_english_which_follow_up_an_undone_restore_took_back(
    client: FlaskClient, auth: Any
) -> None:
    # The undo's note is the app's too; the follow-up's name in it is the site's own words.
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    _ok(client.post(f"/incidents/{incident_id}/restored", data={"restored": "1"}))
    _ok(
        client.post(
            f"/incidents/{incident_id}/steps", data={"step_key": "tib_restored", "is_done": "1"}
        )
    )
    _ok(client.post(f"/incidents/{incident_id}/restored", data={"restored": "0"}))
    _english(client)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert (
        'The follow-up no longer counts: <span lang="sv">'
        "TiB informerad om att systemen fungerar igen</span>"
    ) in page
    assert "Uppföljningen räknas inte längre" not in page


def test_a_note_typed_by_staff_stays_as_typed_marked_swedish(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    typed = "Uppföljningen räknas inte längre: enligt IT"
    _ok(client.post(f"/incidents/{incident_id}/notes", data={"note": typed}))
    _english(client)
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert re.search(rf'<span[^>]* lang="sv"[^>]*>{typed}</span>', page)


def test_the_followup_sheet_stays_swedish_when_printed_from_an_english_page(
    client: FlaskClient, logged: Logged
) -> None:
    # Paper goes into the red tray and to the department's own follow-up: always Swedish.
    _english(client)
    sheet = " ".join(pdf_text(client.get(f"/incidents/{logged.real}/followup.pdf").data).split())
    assert "Scenario ändrat: Beställningsverktyget eller RIS nere → Totalt avbrott" in sheet
    assert "Scenario changed" not in sheet


@pytest.mark.parametrize(
    "kinds,step_key,template",
    [
        (kinds, key, t)
        for kinds in (LOG_LABELS, LOG_NOTES, ANY_KEY_LABELS)
        for key, ts in kinds.items()
        for t in ts.values()
    ],
)
def test_every_template_is_read_back_from_what_it_writes(
    kinds: dict[str, dict[str, str]], step_key: str, template: str
) -> None:
    # Values with the templates' own marks in them: a site may name a scenario so.
    values = {name: f"v{i} → (övning)" for i, name in enumerate(PLACEHOLDER.findall(template))}
    if "number" in values:
        values["number"] = "12"
    written = template % values
    read = read_label(step_key, written, kinds)
    assert read is not None and read[0] == template
    # Split elsewhere at an arrow, the values still fill in to the same text.
    assert template % read[1] == written
