"""Writes for exam documentation: one transaction per submit, with audit and version history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..arrival_rule import to_minute
from ..audit import Actor, log_event, record_change, snapshot_row, updated_snapshot
from ..dose_rule import DLP_ZERO, DOSES_SWAPPED, dlp_zero, short_scan, swapped_values
from ..exam_length_rule import (
    TOO_LONG,
    lasts_too_long,
    starts_too_early,
    too_early_message,
    too_early_values,
    too_long_values,
)
from ..models import (
    Case,
    CatchupRecord,
    ExamRecord,
    Incident,
    Referral,
    Site,
    Submission,
    User,
    utcnow,
)
from ..site_usage import code_gone
from ..siteconfig import parse_site_config
from ..storage import insert_row, lock_before_reading
from .errors import (
    CaseError,
    CaseNotFound,
    CodeGone,
    DlpZero,
    DosesSwapped,
    ExamStartTooEarly,
    ExamTooLong,
    IncidentEnded,
    SideDiffers,
    VersionConflict,
)
from .exam_names import renamed_only
from .images_sent import SentBeforeStart
from .laterality import SIDE_DIFFERS, side_label, sides_differ
from .mr_safety import MR_FIELDS
from .services import REFERRAL_AFTER_KEYING, STATUS_ORDER
from .submissions import (
    REPLAY_COLUMNS,
    REPLAY_JOIN,
    SubmitResult,
    find_replay,
    record_submission,
    replay_of,
    write_once,
)
from .versions import (
    ANY_VERSION,
    EXAM_CHANGED,
    IDENTITY_CORRECTED_UNDER_EDIT,
    REFERRAL_CHANGED,
    ShownVersion,
    check_version,
)

_EXAM_COLUMNS = tuple(column.key for column in ExamRecord.__table__.c)
# What documenting an exam reads, as plain columns: loading ORM objects costs several times more.
# FOR SHARE OF the site (PostgreSQL; SQLite's writes are serial anyway): its configuration as
# saved now, which a save (locking the row) has committed or waits for this exam to do, as a new
# case's (site_usage.stored_config).
_CASE_AND_EXAM = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        Case.modality,
        Case.version,
        Incident.ended_at.label("incident_ended_at"),
        CatchupRecord.id.label("catchup_id"),
        *(ExamRecord.__table__.c[name].label(f"exam_{name}") for name in _EXAM_COLUMNS),
        Site.config_toml.label("site_config_toml"),
        Case.identity_revision,
        Incident.started_at.label("incident_started_at"),
        Referral.id.label("ref_id"),
        *(
            Referral.__table__.c[name].label(f"ref_{name}")
            for name in (*MR_FIELDS, "version", "side", "arrived_at")
        ),
        *REPLAY_COLUMNS,
    )
    .join(Incident, Incident.id == Case.incident_id)
    .join(Site, Site.id == Case.site_id)
    .outerjoin(Referral, Referral.case_id == Case.id)
    .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .outerjoin(Submission, REPLAY_JOIN)
    .where(Case.id == bindparam("case_id"))
    .with_for_update(read=True, of=Site)
)


EXAM_AFTER_KEYING = (
    "Dokumentationen ändrades efter att undersökningen registrerats i RIS: uppdatera RIS."
)
EXAM_ADDED_AFTER_CATCHUP = (
    "Undersökningen dokumenterades efter att ärendet registrerats i RIS: "
    "kontrollera att den finns i RIS som dokumenterad."
)
# Waived, perhaps never booked in RIS at all: nothing there "changed", the waiver lapsed.
EXAM_ADDED_AFTER_WAIVER = (
    "Undersökningen dokumenterades efter att ärendet undantagits: undantaget gäller inte "
    "längre, och undersökningen ska läggas in i RIS."
)


def _reopen(session: Session, case_id: int, actor: Actor, change: str = "exam") -> None:
    # Imported here: the catch-up package's views import this module's callers.
    from ..catchup.reopening import reopen_after_change

    note = {"exam": EXAM_AFTER_KEYING, "exam_added": EXAM_ADDED_AFTER_CATCHUP}.get(
        change, REFERRAL_AFTER_KEYING
    )
    waived_note = EXAM_ADDED_AFTER_WAIVER if change == "exam_added" else ""
    reopen_after_change(
        session, case_id, change=change, user=actor, note=note, note_if_waived=waived_note
    )


def _check_mr_answers(
    case: Any, answers: Mapping[str, str] | None, shown_referral_version: ShownVersion
) -> bool:
    """Whether the answers change the referral; refused if they would put back an older answer.

    Filling in a blank never overwrites anyone; changing a stored answer needs a form that
    showed the referral's current version.
    """
    if answers is None or case.ref_id is None:
        return False
    stored = {n: getattr(case, f"ref_{n}") or "" for n in MR_FIELDS}
    changed = [n for n in MR_FIELDS if (answers.get(n) or "") != stored[n]]
    if any(stored[n] for n in changed):
        check_version(shown_referral_version, case.ref_version, REFERRAL_CHANGED)
    return bool(changed)


def _record_mr_answers(
    session: Session, case: Any, answers: Mapping[str, str], actor: Actor
) -> None:
    """The MR safety facts as the radiographer checked them: the referral's, versioned."""
    # Imported here: the history's labels read the catch-up package's forms, whose views
    # import this module's callers.
    from ..history_labels import field_names

    change = record_change(
        Referral.__table__,
        case.ref_id,
        snapshot_row(case, (*MR_FIELDS, "version"), "ref_"),
        {**{n: answers.get(n) or "" for n in MR_FIELDS}, "updated_at": utcnow()},
        entity="referral",
        case_id=case.id,
        user=actor,
    )
    log_event(
        "referral_change",
        user=actor,
        case=case,
        detail="MR-säkerhet vid undersökningen: "
        + ", ".join(sorted(field_names("referral", change.fields))),
    )
    if case.catchup_id is not None:
        _reopen(session, case.id, actor, change="referral")


def _check_side(case: Any, values: Mapping[str, Any], shown_referral_side: str) -> bool:
    """Whether the side performed differs from the referral's, confirmed; refused unconfirmed.

    The form compared with the referral's side it showed: one changed since is compared anew,
    and a confirmation given against the old side does not count.
    """
    referred = case.ref_side or ""
    if not sides_differ(referred, str(values.get("side") or "")):
        return False
    if not values.get("side_confirmed") or shown_referral_side != referred:
        raise SideDiffers(referred, side_label(referred))
    return True


def _check_doses(values: Mapping[str, Any]) -> bool:
    """Whether the DLP is below the CTDIvol, confirmed as a short scan; refused unconfirmed.

    A DLP of 0 is refused confirmed or not: no scan has a length of 0.
    """
    dlp, ctdivol = values.get("dlp_mgycm"), values.get("ctdivol_mgy")
    if dlp_zero(dlp, ctdivol):
        raise DlpZero(DLP_ZERO, **swapped_values(dlp, ctdivol))
    if not short_scan(dlp, ctdivol):
        return False
    if not values.get("short_scan_confirmed"):
        raise DosesSwapped(DOSES_SWAPPED, **swapped_values(dlp, ctdivol))
    return True


def document_exam(
    *,
    case_id: int,
    user: User,
    values: Mapping[str, Any],
    form_key: str,
    digest: str,
    url: str,
    shown_version: ShownVersion = ANY_VERSION,
    mr_answers: Mapping[str, str] | None = None,
    shown_referral_version: ShownVersion = ANY_VERSION,
    shown_referral_side: str = "",
    shown_identity: int | None = None,
) -> SubmitResult:
    """Record (or revise) the exam documentation; the case moves to 'exam done'.

    shown_version is the documentation's version the form showed (None: there was none yet);
    a form opened before someone else's save is refused rather than putting older values back.
    mr_answers (an MR exam) are the MR safety facts as checked with the patient: they go into
    the referral, versioned, in the same transaction. A side performed other than the
    referral's (shown_referral_side, as the form compared them) must be confirmed in values,
    as must a DLP below the CTDIvol (short_scan_confirmed: a scan under 1 cm).
    shown_identity is the case's identity_revision the form showed (None: not checked); a form
    drawn before the patient's identity was corrected is refused (VersionConflict).
    """
    actor = Actor.of(user)

    def write(session: Session) -> SubmitResult:
        # PostgreSQL: the case row stays locked to the end of the transaction, taken before the
        # read below, so two saves of the same case cannot both pass the version check (SQLite's
        # write lock already orders them).
        lock_before_reading(session, Case.__table__, case_id)
        # The case and its exam in one query, read inside the write transaction, with the
        # replay check beside them; the site is checked here too, so a submit needs no load
        # of the case before it.
        case = (
            session.connection()
            .execute(_CASE_AND_EXAM, {"case_id": case_id, "key": form_key})
            .first()
        )
        replay = (
            replay_of(case, digest) if case is not None else find_replay(session, form_key, digest)
        )
        if replay is not None:
            return replay
        if case is None or case.site_id != actor.site_id:
            raise CaseNotFound()
        if case.incident_ended_at is not None:
            raise IncidentEnded()
        if case.status == "cancelled":
            raise CaseError("Ärendet är makulerat.")
        check_version(
            shown_version, case.exam_version if case.exam_id is not None else None, EXAM_CHANGED
        )
        if shown_identity is not None and shown_identity != case.identity_revision:
            raise VersionConflict(IDENTITY_CORRECTED_UNDER_EDIT)
        # Here, not only in the form: the demo and any other caller document through this.
        started_at = values.get("started_at")
        if isinstance(started_at, datetime) and lasts_too_long(started_at, values.get("ended_at")):
            raise ExamTooLong(TOO_LONG, **too_long_values(started_at))
        if isinstance(started_at, datetime) and starts_too_early(
            started_at, case.ref_arrived_at, case.incident_started_at
        ):
            raise ExamStartTooEarly(
                too_early_message(case.ref_arrived_at),
                **too_early_values(case.ref_arrived_at, case.incident_started_at),
            )
        short_scan = _check_doses(values)
        # The catch-up matches the images in PACS by this time: one before the start is mistyped.
        sent_at = values.get("pacs_sent_at")
        if (
            isinstance(started_at, datetime)
            and isinstance(sent_at, datetime)
            and to_minute(sent_at) < to_minute(started_at)
        ):
            raise SentBeforeStart(started_at)
        mr_changed = _check_mr_answers(case, mr_answers, shown_referral_version)
        side_differs = _check_side(case, values, shown_referral_side)
        # A confirmation is kept only where the sides differ as stored now.
        record = {**values, "side_confirmed": side_differs, "short_scan_confirmed": short_scan}
        # The codes against the configuration as saved now (the site's row share-locked, so a
        # save removing a room waits for this exam and then finds it in use), not as the form
        # was drawn with.
        config = parse_site_config(case.site_config_toml, strict=False)
        gone = code_gone(
            config,
            modality=str(values.get("modality") or ""),
            room=str(values.get("room") or ""),
            exam_code=str(values.get("exam_code") or ""),
        )
        if gone is not None:
            raise CodeGone(*gone)
        if case.exam_id is None:
            insert_row(
                session,
                ExamRecord.__table__,
                {**record, "case_id": case.id, "documented_by_id": actor.id},
            )
            action, detail = "exam_document", "dokumentation"
            # Documented after the case entered the catch-up (waived, or steps keyed from the
            # paper): what RIS holds, or the waiver, no longer covers the exam.
            stale = case.catchup_id is not None
            change_kind = "exam_added"
        else:
            before = snapshot_row(case, _EXAM_COLUMNS, "exam_")
            # As the referral's (services._keep_name_across_rename): a rename alone is no
            # change, so the exam sheet and what the catch-up keyed into RIS keep matching.
            if renamed_only(before, updated_snapshot(before, record), config):
                record["exam_text"] = before["exam_text"]
            change = record_change(
                ExamRecord.__table__,
                case.exam_id,
                before,
                {**record, "updated_at": utcnow()},
                entity="exam",
                case_id=case.id,
                user=actor,
            )
            action, detail = "exam_change", ", ".join(sorted(change.fields))
            stale = bool(change.fields) and case.catchup_id is not None
            change_kind = "exam"
        status = case.status
        if STATUS_ORDER.get(status, 99) < STATUS_ORDER["exam_done"]:
            status = "exam_done"
        # The modality is the case's too: printed on the referral sheet and exported, so a
        # change made here is a new version of the case, and a screen opened before it (a
        # referral edit, an identity correction, a catch-up page) is refused.
        record_change(
            Case.__table__,
            case.id,
            snapshot_row(case, ("modality", "version")),
            {
                "status": status,
                "modality": values.get("modality", case.modality),
                "updated_at": utcnow(),
            },
            entity="case",
            case_id=case.id,
            user=actor,
        )
        if stale:
            # After the status above, which the catch-up's state then overrides.
            _reopen(session, case.id, actor, change=change_kind)
        if mr_changed and mr_answers is not None:
            _record_mr_answers(session, case, mr_answers, actor)
        record_submission(
            session,
            key=form_key,
            kind="exam",
            digest=digest,
            url=url,
            case_id=case.id,
            user_id=actor.id,
            has_draft=case.has_draft,
        )
        if side_differs:
            # As the reserve-number confirmation: who confirmed it is in the audit trail.
            detail = f"{detail}; {SIDE_DIFFERS.lower()}"
        log_event(action, user=actor, case=case, detail=detail)
        return SubmitResult(case_id=case.id, url=url, replayed=False)

    return write_once(form_key, digest, write)
