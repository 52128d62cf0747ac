"""Optimistic locking: a form carries the version of the record it showed, checked on save.

Two tablets may have the same record open. Without the check, the later save from a screen
opened before the earlier save quietly puts the older text back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, scoped_session

from ..models import Addendum, Case, ExamRecord, RecordVersion, Referral, Report, UrgentCall
from ..models.report import SECOND_LOOK_COLUMNS
from ..protocol_rule import PROTOCOL_COLUMNS
from .errors import VersionConflict


class _AnyVersion:
    """For writers without a screen (demo, seeding): they never show a record first."""

    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION: Final = _AnyVersion()
# The version a form showed; None when it showed no record yet (a first-time create).
ShownVersion = int | None | _AnyVersion

REPORT_CHANGED = (
    "Någon annan har ändrat utlåtandet sedan du öppnade sidan. Dina ändringar är inte sparade "
    "– jämför med den nya versionen nedan och spara igen."
)
EXAM_CHANGED = (
    "Någon annan har sparat dokumentationen sedan du öppnade sidan. Dina ändringar är inte "
    "sparade – jämför med de sparade uppgifterna nedan och spara igen."
)
REFERRAL_CHANGED = (
    "Någon annan har ändrat remissen sedan du öppnade sidan. Dina ändringar är inte sparade "
    "– jämför med de sparade uppgifterna nedan och spara igen."
)
IDENTITY_CORRECTED_UNDER_EDIT = (
    "Patientens identitet har rättats sedan du öppnade sidan – se patienten överst. Dina "
    "ändringar är inte sparade: kontrollera att de gäller den patienten och spara igen."
)
IDENTITY_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Identiteten är inte ändrad – "
    "kontrollera den sparade identiteten överst och spara igen om din rättelse behövs."
)


def check_version(shown: ShownVersion, stored: int | None, message: str) -> None:
    """Refuse a save whose form showed another version than the stored one (or no record)."""
    if isinstance(shown, _AnyVersion) or stored is None:
        return
    if shown != stored:
        raise VersionConflict(message)


# The case's columns an identity correction changes.
_IDENTITY_COLUMNS = frozenset(
    ("patient_name", "patient_id_kind", "patient_id", "patient_sex", "patient_birth_date")
)


def identity_changed_since(session: Session, case_id: int, shown: ShownVersion) -> bool:
    """Whether the case's patient was corrected after the version a form showed.

    A form of the case's own records (the referral) is refused then as any stale form is, but
    its user is told that the patient changed, not that someone changed what they typed.
    """
    if not isinstance(shown, int):
        return False
    changes = session.scalars(
        select(RecordVersion.changes).where(
            RecordVersion.entity == "case",
            RecordVersion.entity_id == case_id,
            RecordVersion.version >= shown,
        )
    )
    return any(_IDENTITY_COLUMNS & set(c or {}) for c in changes)


def _oldest_base(stored: int, history: Iterable[tuple[int, Any]], unshown: frozenset[str]) -> int:
    """The oldest version of a record a form may stand on, the record being at stored.

    history: the record's (version, changes) rows. Every version from the one returned up to
    stored is in the history, once, and changed only `unshown` (what the form leaves alone): a
    version that cannot be accounted for (missing, or written twice) ends the run as a real
    change does.
    """
    clean: dict[int, bool] = {}
    for version, changes in history:
        clean[version] = version not in clean and not set(changes or {}) - unshown
    oldest = stored
    while clean.get(oldest - 1, False):
        oldest -= 1
    return oldest


def _stale_apart_from(
    session: Session,
    entity: str,
    entity_id: int,
    shown: ShownVersion,
    stored: int | None,
    unshown: frozenset[str],
) -> bool:
    """Whether a record changed, since the version a form showed, in anything but `unshown`.

    A shown number not yet written or a non-number counts as stale; no stored version (no
    record yet) is never stale.
    """
    if isinstance(shown, _AnyVersion) or stored is None or shown == stored:
        return False
    if shown is None or shown > stored:
        return True
    rows = session.execute(
        select(RecordVersion.version, RecordVersion.changes).where(
            RecordVersion.entity == entity,
            RecordVersion.entity_id == entity_id,
            RecordVersion.version >= shown,
            RecordVersion.version < stored,
        )
    ).all()
    return shown < _oldest_base(stored, rows, unshown)


def case_form_stale(session: Session, case_id: int, shown: ShownVersion, stored: int) -> bool:
    """Whether the case changed, since the version a form of it showed, in anything the form
    shows (priority, modality, identity, status ...).

    For the forms that do not show the radiologist's instruction: the referral edit, the
    identity correction, the priority change. Versions the instruction alone made leave them
    current.
    """
    return _stale_apart_from(session, "case", case_id, shown, stored, PROTOCOL_COLUMNS)


def report_form_stale(
    session: Session, report_id: int | None, shown: ShownVersion, stored: int | None
) -> bool:
    """Whether the report changed, since the version its editor showed, in anything the editor
    shows: versions the second look in PACS alone made leave it current."""
    if report_id is None:
        return False
    return _stale_apart_from(session, "report", report_id, shown, stored, SECOND_LOOK_COLUMNS)


def _form_bases(
    session: Session | scoped_session[Any],
    entity: str,
    stored: Mapping[int, int],
    unshown: frozenset[str],
) -> dict[int, int]:
    if not stored:
        return {}
    history: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for entity_id, version, changes in session.execute(
        select(RecordVersion.entity_id, RecordVersion.version, RecordVersion.changes).where(
            RecordVersion.entity == entity, RecordVersion.entity_id.in_(sorted(stored))
        )
    ):
        history[entity_id].append((version, changes))
    return {key: _oldest_base(at, history[key], unshown) for key, at in stored.items()}


def case_form_bases(
    session: Session | scoped_session[Any], stored: Mapping[int, int]
) -> dict[int, int]:
    """Per case (id: current version), the oldest case version a form of it that leaves the
    instruction alone may still stand on: case_form_stale's rule, for many cases (their
    drafts) in one query."""
    return _form_bases(session, "case", stored, PROTOCOL_COLUMNS)


def report_form_bases(
    session: Session | scoped_session[Any], stored: Mapping[int, int]
) -> dict[int, int]:
    """Per report (id: current version), the oldest version its editor may still stand on:
    report_form_stale's rule, for many reports (their drafts) in one query."""
    return _form_bases(session, "report", stored, SECOND_LOOK_COLUMNS)


# What a page shows of a case, as versions: a colleague's tick or fax log changes none of them,
# only what was typed into the case's records (or its patient) does.
_SHOWN = (
    select(
        Case.version.label("case"),
        Referral.version.label("referral"),
        ExamRecord.version.label("exam"),
        Report.version.label("report"),
        select(func.count(Addendum.id))
        .where(Addendum.report_id == Report.id)
        .scalar_subquery()
        .label("addenda"),
        # A call about an urgent finding is keyed into RIS with the report.
        select(func.count(UrgentCall.id))
        .where(UrgentCall.case_id == Case.id)
        .scalar_subquery()
        .label("calls"),
    )
    .outerjoin(Referral, Referral.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .outerjoin(Report, Report.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)
_SHOWN_PARTS = ("case", "referral", "exam", "report", "addenda", "calls")


def shown_token(session: Session | scoped_session[Any], case_id: int) -> str:
    """The versions of what a page shows of a case, as one hidden-field value."""
    row = session.connection().execute(_SHOWN, {"case_id": case_id}).first()
    if row is None:
        return ""
    return ".".join("-" if v is None else str(v) for v in row)


def shown_token_of(case: Case, calls: int) -> str:
    """shown_token of a case whose records are loaded (the case page, with the number of
    calls about an urgent finding it shows): no query of its own."""
    referral, exam, report = case.referral, case.exam, case.report
    versions = (
        case.version,
        referral.version if referral is not None else None,
        exam.version if exam is not None else None,
        report.version if report is not None else None,
        len(report.addenda) if report is not None else 0,
        calls,
    )
    return ".".join("-" if v is None else str(v) for v in versions)


def changed_parts(shown: str, now: str) -> list[str]:
    """The parts of the case (_SHOWN_PARTS) whose version differs between two tokens; every
    part when the shown one cannot be read."""
    before, after = shown.split("."), now.split(".")
    if len(before) != len(_SHOWN_PARTS) or len(after) != len(_SHOWN_PARTS):
        return list(_SHOWN_PARTS)
    return [part for part, b, a in zip(_SHOWN_PARTS, before, after, strict=True) if b != a]


def shown_case_version(token: str) -> int | None:
    """The case's own version a token names (None when it cannot be read)."""
    head = token.split(".", 1)[0]
    return int(head) if head.isdigit() else None
