"""Plain factory functions with keyword overrides; call inside an app context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.auth.accounts import create_user
from webapp.extensions import db
from webapp.identity import luhn_check_digit
from webapp.models import AuditEvent, Case, Site, User

DEFAULT_PIN = "482915"
# The PIN the tests give `flask demo --pin` so they can log in as its users; the command
# itself draws a new one each run.
DEMO_PIN = "246810"
# Still argon2id, at a cost that keeps the suite fast; production cost is tested on its own.
CHEAP_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1}


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    site_id: int


def default_site() -> Site:
    site = db.session.scalar(select(Site).order_by(Site.id))
    assert site is not None
    return site


def make_user(
    *,
    role: str = "radiographer",
    username: str | None = None,
    pin: str = DEFAULT_PIN,
    display_name: str | None = None,
    site_id: int | None = None,
    temporary: bool = False,
) -> UserInfo:
    """Create a user, or return the existing one of that username."""
    username = username or f"test-{role}"
    existing = db.session.scalar(select(User).where(User.username == username))
    if existing is not None:
        return UserInfo(existing.id, existing.username, existing.role, existing.site_id)
    user = create_user(
        site_id=site_id or default_site().id,
        username=username,
        display_name=display_name or f"Testa {role.capitalize()} Åström",
        role=role,
        secret=pin,
        temporary=temporary,
    )
    return UserInfo(user.id, user.username, user.role, user.site_id)


DEFAULT_NAME = "Örjan Älvström"


# The numbers given to other names so far: each name its own, and no two names one.
_NUMBERS: dict[str, str] = {}


def number_of(name: str) -> str:
    """A personnummer of its own for another patient's name: a man born in 1912, as the
    default, on the next day and serial not yet given (one number under two names is asked
    about, see test_cases_namesakes)."""
    if name not in _NUMBERS:
        drawn = len(_NUMBERS) + 1  # 0 would be the default patient's 12 December, serial 121
        month, day = 1 + drawn % 12, 1 + (drawn // 12) % 28
        serial = f"{2 * ((drawn // 336) % 450) + 101:03d}"  # odd: a man
        nine = f"12{month:02d}{day:02d}{serial}"
        _NUMBERS[name] = f"19{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"
    return _NUMBERS[name]


def referral_data(**overrides: object) -> dict[str, object]:
    """Form data of a valid referral (CT head without contrast, a man, by fax).

    Another name without another number gets a number of its own (number_of): another patient.
    """
    name = overrides.get("patient_name")
    if (
        isinstance(name, str)
        and name
        and name != DEFAULT_NAME
        and "personal_number" not in overrides
    ):
        overrides["personal_number"] = number_of(name)
    data: dict[str, object] = {
        "form_key": "k" * 20 + str(overrides.pop("key_suffix", "")),
        "id_mode": "pnr",
        "personal_number": "19121212-1212",
        "patient_name": "Örjan Älvström",
        "referrer_unit": "Akutmottagningen",
        "referrer_clinician": "Dr Åberg",
        "referrer_phone": "0999-123 45",
        "reply_fax": "0999-123 46",
        "priority": "akut",
        "exam_text": "DT hjärna utan kontrast",
        "exam_code": "CT-HJ",
        "modality": "CT",
        "clinical_question": "Blödning? Fall i hemmet.",
        "history": "Waran. Vaken men förvirrad.",
        "arrived_via": "fax",
        "arrived_at": "2026-01-15T10:30",
    }
    data.update(overrides)
    return data


def unidentified_referral_data(**overrides: object) -> dict[str, object]:
    """A valid referral for a patient known only by a reserve number (a man of about 70)."""
    values: dict[str, object] = {
        "id_mode": "reserve",
        "personal_number": "",
        "patient_name": "",
        "reserve_number": "RES-0007",
        "sex": "M",
        "approx_age": "70",
    }
    values.update(overrides)
    return referral_data(**values)


def identity_data(**overrides: object) -> dict[str, object]:
    """Form data identifying a patient first known by a reserve number (the man of
    referral_data, named by a relative)."""
    data: dict[str, object] = {
        "id_mode": "pnr",
        "personal_number": "19121212-1212",
        "patient_name": "Örjan Älvström",
        "reason": "Identifierad av anhörig",
    }
    data.update(overrides)
    return data


def exam_data(**overrides: object) -> dict[str, object]:
    """Form data of a valid exam documentation for the referral above."""
    data: dict[str, object] = {
        "form_key": "e" * 20 + str(overrides.pop("key_suffix", "")),
        "modality": "CT",
        "room": "DT 1",
        "exam_text": "DT hjärna utan kontrast",
        "exam_code": "CT-HJ",
        "started_at": "2026-01-15T10:50",
        "ended_at": "2026-01-15T10:58",
        "radiographers": "Kim Ström",
        "modality_temp_id": "TMP-CT1-0042",
        "dlp_mgycm": "812.5",
        "ctdivol_mgy": "52.1",
        "series_count": "4",
        "image_count": "612",
        "pacs_status": "yes",
        "pacs_sent_at": "2026-01-15T11:00",
    }
    data.update(overrides)
    return data


def report_data(
    action: str = "definitive",
    key: str = "r" * 20,
    *,
    findings: str = "Ingen blödning.",
    conclusion: str = "Normalt.",
    **overrides: str,
) -> dict[str, str]:
    """The report editor's form: a findings and a conclusion section, sent with `action`
    (save, preliminary, definitive), the images read in PACS; overrides add fields such as
    version or is_urgent."""
    data = {
        "form_key": key,
        "action": action,
        "read_on": "pacs",
        "sections-0-heading": "Fynd",
        "sections-0-text": findings,
        "sections-1-heading": "Bedömning",
        "sections-1-text": conclusion,
    }
    return data | overrides


def paper_report_data(author_id: int | str, **overrides: str) -> dict[str, str]:
    """The form keying a paper report by a radiologist of the department (definitive, written
    at 11:10)."""
    data = {
        "form_key": "p" * 20,
        "author_id": str(author_id),
        "author_name": "",
        "written_at": "2026-01-15T11:10",
        "state": "definitive",
        "findings": "Ingen blödning.",
        "conclusion": "Ingen akut patologi.",
    }
    return data | overrides


def faxed_report_data(**overrides: str) -> dict[str, str]:
    """The form keying a report faxed in by an external reviewer (preliminary, received at
    11:10)."""
    data = {
        "form_key": "f" * 20,
        "author_name": "Dr Extern Granskare",
        "received_at": "2026-01-15T11:10",
        "state": "preliminary",
        "findings": "Lungembolism höger.",
        "conclusion": "Lungembolism.",
    }
    return data | overrides


def declare_incident(
    client: FlaskClient, scenario: str = "integration", *, drill: bool = False, **fields: str
) -> int:
    """The logged-in user declares an incident (a drill when asked); its id."""
    data = {"scenario": scenario, **fields}
    if drill:
        data["is_drill"] = "y"
    response = client.post("/incidents/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def second_site(app: Flask) -> int:
    """Add the site "LBY" (Röntgen Lillby) beside the example site; returns its id."""
    from webapp.startup import prepare

    sites = Path(app.config["DATA_DIR"]) / "sites"
    sites.mkdir()
    text = (Path(app.config["DATA_DIR"]) / "site.toml").read_text(encoding="utf-8")
    (sites / "lillby.toml").write_text(
        text.replace('code = "EXS"', 'code = "LBY"').replace(
            'name = "Röntgen Exempelstad"', 'name = "Röntgen Lillby"', 1
        ),
        encoding="utf-8",
    )
    prepare(app)
    with app.app_context():
        return int(db.session.scalar(select(Site.id).where(Site.code == "LBY")))


def store_earlier_config(app: Flask, text: str) -> None:
    """Give the first site a configuration as an earlier version stored it, its file the same.

    Start-up reads a file's new text as strictly as a save; only the text the database already
    holds may break a rule added since it was saved.
    """
    with app.app_context():
        db.session.get(Site, 1).config_toml = text
        db.session.commit()
    (Path(app.config["DATA_DIR"]) / "site.toml").write_text(text, encoding="utf-8")


def case_code(app: Flask, case_id: int) -> str:
    """The case code printed on the case's sheets."""
    with app.app_context():
        return str(db.session.get(Case, case_id).code)


def incident_of(app: Flask, case_id: int) -> int:
    """The id of the incident the case belongs to."""
    with app.app_context():
        return int(db.session.get(Case, case_id).incident_id)


def audit_events(app: Flask, action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first, readable outside the app context."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def audit_count(app: Flask) -> int:
    """How many audit events the log holds: pass it to audit_events_since."""
    with app.app_context():
        return int(db.session.scalar(select(func.count(AuditEvent.id))) or 0)


def audit_events_since(app: Flask, before: int) -> list[AuditEvent]:
    """The audit events written after the log held `before`, oldest first."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(before)).all()
        db.session.expunge_all()
        return list(rows)


def hidden_value(page: str, name: str) -> str:
    """The value of the hidden input `name` on a rendered form page."""
    match = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert match is not None, f"no input {name!r} on the page"
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def local_minute(offset: timedelta = timedelta()) -> str:
    """Now (plus offset) on the site's clock, as a date-and-time field takes it."""
    return (datetime.now(ZoneInfo("Europe/Stockholm")) + offset).strftime("%Y-%m-%dT%H:%M")
