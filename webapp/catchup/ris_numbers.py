"""Writes of the RIS numbers a secretary gives a case when booking it in RIS."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from ..audit import log_event, log_read, record_version, snapshot
from ..identity import format_patient_id
from ..models import Case, CatchupRecord, User, utcnow
from ..refusal import Message, Translate, swedish
from ..siteconfig_ris import DEFAULT_ACCESSION_LENGTH
from ..storage import lock_before_reading, write_transaction
from .booked_by_number import book_with_accession
from .services import CatchupError, load_open_case, record_of

RECORD_FIELDS = ("ris_accession", "ris_exam_number", "version")
CANCELLED = "Ärendet är makulerat och ska inte läggas in i RIS."
ACCESSION_REQUIRED = "Ange accessionsnumret från RIS."
# "-" typed to get past the required field would stand as the case's booking in RIS.
ACCESSION_WITHOUT_ALNUM = "Accessionsnumret ska innehålla bokstäver eller siffror, som i RIS."
# Longer than the site's RIS gives (DICOM holds 16): most often two numbers pasted as one.
# Counted as the duplicate check compares (_bare): "EXS 1000 0001" typed in groups off the
# screen is the 11 characters of RIS's "EXS10000001".
ACCESSION_TOO_LONG = (
    "Accessionsnumret får vara högst %(limit)s tecken, som i RIS (mellanslag och - _ / . "
    "oräknade); det angivna har %(length)s. Kontrollera att inte två nummer har klistrats in "
    "som ett."
)
# The column holds 64 characters as typed, separators and all.
ACCESSION_COLUMN = 64
ACCESSION_TOO_LONG_TYPED = (
    "Accessionsnumret får vara högst %(limit)s tecken med mellanslag och skiljetecken; det "
    "angivna har %(length)s."
)
NUMBERS_UNCHECKED = (
    "RIS-numren har ändrats efter kontrollen av %(name)s: kontrollen är borttagen och ska göras "
    "om mot RIS och papperet."
)
NUMBERS_CHANGED = (
    "En kollega har sparat RIS-numren%(numbers)s för ärendet medan sidan var öppen. Kontrollera "
    "i RIS att undersökningen inte är bokad två gånger; spara igen om dina nummer ska ersätta dem."
)
# The separators a RIS number may hold (forms.RIS_ID): none of them tells two exams apart.
SEPARATORS = " -_/."
NAME_UNKNOWN = "Namn okänt"
ACCESSION_IN_USE = (
    "Accessionsnumret %(accession)s används redan av ärende %(cases)s. Kontrollera att det är "
    "rätt patient; bekräfta om det ändå ska sparas."
)


# The first key of the two-key advisory locks that stand for a site's accessions (storage's form
# keys and namesakes' patients have spaces of their own).
_ACCESSION_LOCKS = 0x5241
_LOCK_ACCESSION = select(
    func.pg_advisory_xact_lock(bindparam("space", type_=Integer), bindparam("key", type_=Integer))
)


def lock_accession(session: Session, site_id: int, accession: str) -> None:
    """Hold one accession of the site (PostgreSQL) until the transaction ends, as compared
    (_bare): of two saves of it on two cases, one checks for duplicates after the other has
    committed.

    Each save locks its own case, and no row stands for a number another case has not stored
    yet; so an advisory lock, the write's last lock before its check (nothing is waited for
    while holding it). Two accessions sharing a hash only take turns. SQLite runs the write
    transactions one at a time.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return
    digest = hashlib.blake2b(f"{site_id}:{_bare(accession)}".encode(), digest_size=4).digest()
    key = int.from_bytes(digest, "big", signed=True)
    conn.execute(_LOCK_ACCESSION, {"space": _ACCESSION_LOCKS, "key": key})


class AccessionHolder(NamedTuple):
    """Another case carrying an accession, as the catch-up names it (label: its code and its
    patient's name and number); `case` is what its read's audit row names."""

    case: Any
    label: Message

    def text(self, translate: Translate = swedish) -> str:
        return self.label.text(translate)


def accession_in_use(site_id: int, accession: str, case_id: int) -> list[AccessionHolder]:
    """Other cases that already carry this RIS accession, each by its code and its patient's
    name and number: whether the number names another patient's exam is told by those."""
    from ..extensions import db

    wanted = _bare(accession)
    if not wanted:
        return []
    # Separators aside: copied from RIS on one case and typed from the paper on another,
    # "EXS 1000 0001" and "EXS10000001" are one exam, and two bookings of it must be seen.
    stored: Any = CatchupRecord.ris_accession
    for separator in SEPARATORS:
        stored = func.replace(stored, separator, "")
    stored = func.upper(stored)
    rows = db.session.execute(
        select(
            Case.id,
            Case.site_id,
            Case.incident_id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
        )
        .join(CatchupRecord, CatchupRecord.case_id == Case.id)
        .where(
            Case.site_id == site_id,
            stored == wanted,
            Case.id != case_id,
        )
        .order_by(Case.id)
    )
    return [
        AccessionHolder(
            row,
            Message(
                "%(code)s (%(name)s, %(number)s)",
                {
                    "code": row.code,
                    "name": row.patient_name or Message(NAME_UNKNOWN),
                    "number": format_patient_id(row.patient_id_kind, row.patient_id),
                },
            ),
        )
        for row in rows
    ]


def log_holders_read(others: list[AccessionHolder], shown_on: str) -> None:
    """Log the naming of each other case's patient beside a duplicate accession (on the page
    of the case coded `shown_on`) as a read of that case, so its patient's extract holds it."""
    for other in others:
        detail = f"visat som dubblett av accessionsnumret på ärende {shown_on}"
        log_read("accession_duplicate_view", case=other.case, detail=detail)


def too_long(accession: str, limit: int) -> CatchupError | None:
    """The refusal of an accession longer than the site's limit, its separators not counted
    (as the duplicate check ignores them), or longer than its column as typed; None if it fits.
    """
    accession = accession.strip()
    length = len(_bare(accession))
    if length > limit:
        return CatchupError(ACCESSION_TOO_LONG, limit=limit, length=length)
    if len(accession) > ACCESSION_COLUMN:
        return CatchupError(ACCESSION_TOO_LONG_TYPED, limit=ACCESSION_COLUMN, length=len(accession))
    return None


def has_alnum(accession: str) -> bool:
    """Whether the accession names anything: separators alone match no exam in RIS."""
    return any(ch.isalnum() for ch in accession)


def _bare(accession: str) -> str:
    return "".join(ch for ch in accession if ch not in SEPARATORS).upper()


@dataclass(frozen=True)
class RisNumbersSaved:
    """What a save did beside the numbers."""

    # The colleague whose check the change removed, if it removed one.
    unchecked: str | None
    # 'Booked' was marked done with the accession.
    booked: bool
    # Why 'booked' was not marked done with the accession; None if it was, or already was.
    not_booked: CatchupError | None


class AccessionInUse(CatchupError):
    """The accession is another case's too: saved only once the secretary confirms it."""

    def __init__(self, others: list[AccessionHolder], accession: str) -> None:
        # The refusal names their patients: the view logs that read of each (log_holders_read).
        self.others = others
        labels = Message.joined([other.label for other in others], ", ")
        super().__init__(ACCESSION_IN_USE, accession=accession, cases=labels)


class RisNumbersChanged(CatchupError):
    """A colleague saved other RIS numbers for the case since the page was opened."""

    def __init__(self, accession: str, exam_number: str) -> None:
        self.accession, self.exam_number = accession, exam_number
        # The numbers come glued to the word before them: none at all leave no gap.
        super().__init__(NUMBERS_CHANGED, numbers=f" {accession} {exam_number}".rstrip())


def save_ris_ids(
    *,
    case_id: int,
    user: User,
    accession: str,
    exam_number: str,
    allow_duplicate: bool,
    shown: tuple[str, str] | None = None,
    four_eyes: bool = True,
    accession_max_length: int = DEFAULT_ACCESSION_LENGTH,
    page_shown: str = "",
) -> RisNumbersSaved:
    """Record the RIS accession and exam number; a duplicate accession needs confirming.

    A new accession marks the case booked in RIS too (booked_by_number), by the tick's rules.
    shown: the numbers the page showed; other numbers saved since by a colleague are not
    overwritten unseen (two bookings of one exam in RIS would go unnoticed). page_shown: the
    page's shown_token, as a tick sends it.
    """
    accession = accession.strip().upper()
    exam_number = exam_number.strip()
    if not accession:
        # The form asks for it too; a 'booked' step must not be left standing on no accession.
        raise CatchupError(ACCESSION_REQUIRED)
    if not has_alnum(accession):
        raise CatchupError(ACCESSION_WITHOUT_ALNUM)
    refused = too_long(accession, accession_max_length)
    if refused is not None:
        raise refused
    with write_transaction() as session:
        # PostgreSQL: a tick or waiver of the case meanwhile may open its catch-up record; read
        # after it, so this save updates that record instead of inserting a second one.
        lock_before_reading(session, Case.__table__, case_id)
        case = load_open_case(session, case_id)
        if case.status == "cancelled":
            # Its accession would flag the case that is keyed as a duplicate, and the batch
            # would show a cancelled case as booked in RIS.
            raise CatchupError(CANCELLED)
        record = case.catchup
        stored = (record.ris_accession, record.ris_exam_number) if record else ("", "")
        if shown is not None and stored not in (shown, (accession, exam_number)):
            raise RisNumbersChanged(*stored)
        lock_accession(session, case.site_id, accession)
        others = accession_in_use(case.site_id, accession, case.id)
        if others and not allow_duplicate:
            raise AccessionInUse(others, accession)
        record = record_of(session, case)
        before = snapshot(record, RECORD_FIELDS)
        at = utcnow()
        record.ris_accession = accession
        record.ris_exam_number = exam_number
        record.updated_at = at
        changes = record_version(record, before, entity="catchup", case_id=case.id, user=user)
        unchecked = None
        unchecking: dict[str, Any] = {}
        # A number added where there was none (a booking from before the accession was needed)
        # replaces nothing the check saw.
        replaced = any(changes.get(f, ["", ""])[0] for f in ("ris_accession", "ris_exam_number"))
        if replaced and record.verified_at is not None:
            # The check vouched for the RIS exam these numbers name: another exam is unchecked,
            # and a typo here would match the downtime case to someone else's exam in RIS.
            unchecked = record.verified_by.display_name if record.verified_by else ""
            unchecking = {"verified_at": None, "verified_by_id": None}
        session.flush()
        booked, not_booked = book_with_accession(
            session,
            case.id,
            user,
            is_new="ris_accession" in changes,
            shown=page_shown,
            four_eyes=four_eyes,
            at=at,
            record_changes=unchecking,
        )
        if changes:
            case.updated_at = utcnow()
            log_event(
                "ris_ids",
                user=user,
                case=case,
                detail=f"{accession} {exam_number}".strip()
                + (" (dubblett bekräftad)" if others else "")
                + (f" (kontrollen av {unchecked} borttagen)" if unchecked is not None else ""),
            )
    return RisNumbersSaved(unchecked, booked, not_booked)
