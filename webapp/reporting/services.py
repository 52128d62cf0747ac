"""Writes for reports: save, sign, addenda (faxed reports: faxed.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ..audit import Actor, log_event, record_change, snapshot_row
from ..cases.errors import INCIDENT_ENDED, CaseError, CaseNotFound, VersionConflict
from ..cases.services import STATUS_ORDER
from ..cases.submissions import (
    REPLAY_COLUMNS,
    REPLAY_JOIN,
    record_submission,
    replay_of,
)
from ..cases.versions import (
    ANY_VERSION,
    IDENTITY_CORRECTED_UNDER_EDIT,
    REPORT_CHANGED,
    ShownVersion,
    report_form_stale,
)
from ..models import (
    Case,
    CatchupRecord,
    Incident,
    Report,
    ReportSignature,
    ReportTemplate,
    Submission,
    UrgentCall,
    User,
    utcnow,
)
from ..models.report import (
    HEADINGLESS,
    READ_ON,
    READ_ON_MISSING,
    READ_ON_UNKNOWN,
    has_findings,
)
from ..storage import (
    insert_row,
    lock_before_reading,
    lock_form_key,
    update_by_key,
    write_transaction,
)
from .signed import content_hash

SIGNERS = ("radiologist",)
FAX_ENTRY_ROLES = ("radiologist", "secretary")
STATUS_FOR_STATE = {"preliminary": "report_preliminary", "definitive": "report_definitive"}
REPORT_FIELDS = (
    "sections",
    "state",
    "is_urgent",
    "template_id",
    "author_name",
    "read_on",
    "second_look_at",
    "second_look_by_id",
    "second_look_outcome",
    "version",
)


# The note on a catch-up step that a new signature reopens (see catchup/reopening.py).
_SIGNED_AFTER_KEYING = {
    state: f"Utlåtandet signerades {word} efter att det lagts in i RIS: lägg in den nya versionen."
    for state, word in (("preliminary", "preliminärt"), ("definitive", "definitivt"))
}
FAXED_PRELIMINARY = (
    "Ett faxat preliminärt utlåtande ändras inte här. Det definitiva förs in när det kommer "
    "per fax (För in faxat utlåtande, på ärendets sida)."
)
URGENT_STAYS_UNTIL_SIGNED = (
    "Det signerade utlåtandet har ett akut fynd. Markeringen tas bara bort när utlåtandet "
    "signeras igen; bocka i Akut fynd för att spara utkastet."
)
# A call logged says the referrer heard of it, also that it was not confirmed after all.
URGENT_NOT_CALLED = (
    "Det preliminära utlåtandet signerades med akut fynd och inget samtal till remittenten är "
    "loggat. Ring remittenten och logga samtalet innan markeringen tas bort, eller bocka i "
    "Akut fynd."
)


class ReportError(CaseError):
    """A report action the signing rules do not allow."""


class UrgentNotCalled(ReportError):
    """A signature would untick a signed urgent finding the referrer was never called about."""


_CALLED = select(UrgentCall.id).where(UrgentCall.case_id == bindparam("case_id")).limit(1)


def refuse_uncalled_untick(
    session: Session, case_id: int, *, state: str | None, was_urgent: bool, is_urgent: bool
) -> None:
    """A new signature may take a signed preliminary's urgent finding away, but not the call
    still owed for it: the reminder would vanish and nobody would ever phone."""
    if state != "preliminary" or not was_urgent or is_urgent:
        return
    if session.connection().scalar(_CALLED, {"case_id": case_id}) is None:
        raise UrgentNotCalled(URGENT_NOT_CALLED)


def _clean_sections(sections: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    for s in sections:
        # str(None) was stored as the heading "None", and text under no heading was dropped.
        heading = str(s.get("heading") or "").strip()[:120]
        text = str(s.get("text") or "").replace("\r\n", "\n").strip()[:20000]
        if not heading and not text:
            continue
        heading = heading or HEADINGLESS
        kept = next((c for c in cleaned if c["heading"] == HEADINGLESS), None)
        if heading == HEADINGLESS and kept is not None:
            # Every headingless piece under one heading, in the order sent.
            kept["text"] = "\n\n".join(t for t in (kept["text"], text) if t)
            continue
        cleaned.append({"heading": heading, "text": text})
    return cleaned


# The case with its report in one query, read fresh inside the write transaction.
_CASE_WITH_REPORT = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(joinedload(Case.report), joinedload(Case.incident))  # type: ignore[attr-defined]
)


_TEMPLATE_SITE = select(ReportTemplate.site_id).where(ReportTemplate.id == bindparam("template_id"))


def load_case(session: Session, case_id: int, *, after_end: bool = False) -> Case:
    """The case for a report action; after_end lets a record of what happened through.

    The case is locked first (PostgreSQL), so a close of its incident waits for this change
    (it may make the case outstanding again) or this reads that the incident has ended.
    """
    lock_before_reading(session, Case.__table__, case_id)
    case = session.scalar(_CASE_WITH_REPORT, {"case_id": case_id})
    if case is None:
        raise CaseNotFound()
    if case.incident.ended_at is not None and not after_end:
        raise ReportError(INCIDENT_ENDED)
    if case.status == "cancelled":
        raise ReportError("Ärendet är makulerat.")
    return case


def _advance(session: Session, case_id: int, status: str, state: str) -> None:
    """Move the case on to the status of a signature (never back)."""
    target = STATUS_FOR_STATE.get(state)
    if target and STATUS_ORDER.get(status, 99) < STATUS_ORDER[target]:
        status = target
    update_by_key(session, Case.__table__, case_id, {"status": status, "updated_at": utcnow()})


def _sign(
    session: Session,
    *,
    report_id: int,
    version: int,
    sections: Sequence[dict[str, Any]],
    kind: str,
    user: User | Actor | None,
    name: str,
    read_on: str,
    keyed: tuple[datetime, User] | None = None,
) -> int:
    """The signature row's id; keyed: the time on the paper and who keyed it in (no user)."""
    return insert_row(  # type: ignore[no-any-return]
        session,
        ReportSignature.__table__,
        {
            "report_id": report_id,
            "kind": kind,
            "user_id": user.id if user else None,
            "signer_name": name,
            "report_version": version,
            "content_hash": content_hash(sections),
            "read_on": read_on,
            "paper_signed_at": keyed[0] if keyed else None,
            "entered_by_id": keyed[1].id if keyed else None,
        },
    )


# What saving a report reads, as plain columns (loading ORM objects costs several times more),
# with the form key's stored result and draft beside them: one query.
_CASE_AND_REPORT = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        Case.identity_revision,
        Incident.ended_at.label("incident_ended_at"),
        CatchupRecord.id.label("catchup_id"),
        Report.id.label("report_id"),
        Report.received_by_fax.label("report_received_by_fax"),
        *(Report.__table__.c[name].label(f"report_{name}") for name in REPORT_FIELDS),
        *REPLAY_COLUMNS,
    )
    .join(Incident, Incident.id == Case.incident_id)
    .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
    .outerjoin(Report, Report.case_id == Case.id)
    .outerjoin(Submission, REPLAY_JOIN)
    .where(Case.id == bindparam("case_id"))
)


def _reopen(session: Session, case_id: int, user: User | Actor, note: str) -> None:
    # Imported here: the catch-up package's views import this module's callers.
    from ..catchup.reopening import reopen_after_change

    reopen_after_change(session, case_id, change="report", user=user, note=note)


def save_report(
    *,
    case_id: int,
    user: User,
    sections: Sequence[dict[str, Any]],
    template_id: int | None,
    is_urgent: bool,
    read_on: str = "",
    sign: str = "",
    form_key: str = "",
    digest: str = "",
    url: str = "",
    shown_version: ShownVersion = ANY_VERSION,
    shown_identity: int | None = None,
) -> None:
    """Save the report text and optionally sign it preliminary or definitive.

    shown_version is the report's version the editor showed (None: there was none yet); an
    editor opened before someone else's save is refused rather than putting older text back.
    shown_identity is the case's identity_revision the editor showed (None: not checked); an
    editor drawn before the patient's identity was corrected is refused (VersionConflict).

    Only a template of the user's site is recorded; a stale or typed template id is dropped.
    """
    if user.role not in SIGNERS:
        raise ReportError("Bara radiologer skriver och signerar utlåtanden.")
    if sign not in ("", "preliminary", "definitive"):
        raise ReportError("Okänd signeringstyp.")
    if read_on and read_on not in READ_ON:
        raise ReportError(READ_ON_UNKNOWN)
    if sign == "definitive" and not read_on:
        raise ReportError(READ_ON_MISSING)
    cleaned = _clean_sections(sections)
    actor = Actor.of(user)
    with write_transaction() as session:
        if form_key:
            # Before the case, as every submit takes them (an autosave holding the key may be
            # waiting to refer to the case): the form's draft is read after its autosaves.
            lock_form_key(session, form_key)
        # PostgreSQL: the case row stays locked to the end of the transaction, taken before the
        # read below, so two saves of the same case cannot both pass the version check, and a
        # twin of this save finds its form key stored (SQLite's write lock orders them anyway).
        lock_before_reading(session, Case.__table__, case_id)
        # The case and its report in one query, read inside the write transaction; the site is
        # checked here too, so a submit needs no load of the case before it.
        case = (
            session.connection()
            .execute(_CASE_AND_REPORT, {"case_id": case_id, "key": form_key})
            .first()
        )
        if case is None or case.site_id != actor.site_id:
            raise CaseNotFound()
        if case.status == "cancelled":
            raise ReportError("Ärendet är makulerat.")
        if form_key and replay_of(case, digest) is not None:
            return
        if case.incident_ended_at is not None:
            raise ReportError(INCIDENT_ENDED)
        if case.report_id is not None:
            if case.report_state == "definitive":
                raise ReportError(
                    "Utlåtandet är definitivt signerat och kan inte ändras. Skriv ett tillägg."
                )
            if case.report_received_by_fax:
                # Preliminary (a definitive one is refused above): no addendum goes on it yet.
                raise ReportError(FAXED_PRELIMINARY)
        # A second look recorded since changed nothing the editor shows.
        if report_form_stale(session, case.report_id, shown_version, case.report_version):
            raise VersionConflict(REPORT_CHANGED)
        # The radiologist wrote beside the name the screen showed: a signature put under
        # another patient's name without their seeing it could go out as that patient's report.
        if shown_identity is not None and shown_identity != case.identity_revision:
            raise VersionConflict(IDENTITY_CORRECTED_UNDER_EDIT)
        # The signed text went out as an urgent finding: an unsigned edit must not take the
        # mark, the call reminder and the urgent line of the faxed sheet away with it.
        unticked = case.report_is_urgent and not is_urgent
        if unticked and not sign and case.report_state == "preliminary":
            raise ReportError(URGENT_STAYS_UNTIL_SIGNED)
        refuse_uncalled_untick(
            session,
            case.id,
            state=case.report_state,
            was_urgent=bool(case.report_is_urgent),
            is_urgent=is_urgent,
        )
        # The question is copied in from the referral when the editor opens: it is no report.
        if sign and not has_findings(cleaned):
            raise ReportError("Utlåtandet är tomt och kan inte signeras.")
        if template_id is not None:
            site = session.connection().scalar(_TEMPLATE_SITE, {"template_id": template_id})
            if site != actor.site_id:
                template_id = None
        values: dict[str, Any] = {
            "sections": cleaned,
            "template_id": template_id,
            "is_urgent": is_urgent,
            "read_on": read_on,
            # A preliminary report keyed from paper, saved by a radiologist here, is their own
            # keying from now on (the keyed-in text stays in the version history).
            "entered_by_id": None,
            "updated_at": utcnow(),
        }
        # The author is who the report goes out as while its text is as signed (the faxed
        # sheet, the RIS batch): an unsigned save signs nothing, so it leaves the signer's name.
        if sign or case.report_state in (None, "draft"):
            values |= {"author_id": actor.id, "author_name": actor.display_name}
        if sign:
            values["state"] = sign
            values["preliminary_at" if sign == "preliminary" else "definitive_at"] = utcnow()
        if case.report_id is None:
            version = 1
            report_id = insert_row(
                session, Report.__table__, {**values, "case_id": case.id, "version": version}
            )
        else:
            report_id = case.report_id
            version = record_change(
                Report.__table__,
                report_id,
                snapshot_row(case, REPORT_FIELDS, "report_"),
                values,
                entity="report",
                case_id=case.id,
                user=actor,
            ).version
        if sign:
            _sign(
                session,
                report_id=report_id,
                version=version,
                sections=cleaned,
                kind=sign,
                user=actor,
                name=actor.display_name,
                read_on=read_on,
            )
            _advance(session, case.id, case.status, sign)
            if case.catchup_id is not None:
                _reopen(session, case.id, actor, _SIGNED_AFTER_KEYING[sign])
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind="report",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=actor.id,
                has_draft=case.has_draft,
            )
        action = {
            "": "report_save",
            "preliminary": "report_sign_preliminary",
            "definitive": "report_sign_definitive",
        }[sign]
        log_event(action, user=actor, case=case, detail=f"version {version}")
