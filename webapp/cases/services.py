"""Writes for cases: one transaction per user action, with audit and version history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..audit import log_event, log_list_read, log_read, record_version, snapshot
from ..identity import reserve_number_key
from ..models import Case, User, utcnow
from ..site_usage import code_gone, stored_config
from ..siteconfig import SiteConfig
from ..storage import lock_before_reading, lock_form_key, write_transaction
from .arrival_bounds import check_arrival_bounds, confirmed_note, confirmed_reason
from .arrival_edit import arrival_changed, refuse_arrival_after_events
from .errors import CaseError, CodeGone, IdentityUnchanged, IncidentEnded, VersionConflict
from .exam_names import renamed_only
from .namesakes import NAMESAKE_CONFIRMED, Namesake, check_in_write
from .submissions import find_replay, finish_draft, record_submission
from .versions import (
    ANY_VERSION,
    IDENTITY_CHANGED,
    IDENTITY_CORRECTED_UNDER_EDIT,
    REFERRAL_CHANGED,
    ShownVersion,
    case_form_stale,
    check_version,
    identity_changed_since,
)

CASE_IDENTITY_FIELDS = (
    "patient_name",
    "patient_id_kind",
    "patient_id",
    "patient_sex",
    "patient_birth_date",
    "patient_age_approx",
    "version",
)
# Statuses a case can only move forward from; documenting the exam never moves it back.
STATUS_ORDER = {
    "referral_received": 0,
    "exam_done": 1,
    "report_preliminary": 2,
    "report_definitive": 3,
    "keyed_in_ris": 4,
    "closed": 5,
}


def lock_open_case(session: Session, case_id: int) -> Case:
    """The case for an edit, refused once its incident has ended (RIS holds it from then on).

    Locked to the end of the transaction on PostgreSQL, so edits of one case cannot both pass
    the version check.
    """
    case = session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise CaseError("Ärendet finns inte.")
    if case.incident.ended_at is not None:
        raise IncidentEnded()
    return case


def _changed_fields(changes: Mapping[str, Any], case_changes: Mapping[str, Any]) -> str:
    """A referral edit's changed fields as the referral form labels them, for the audit log."""
    # Imported here: the history's labels read the catch-up package's forms, whose views
    # import this module.
    from ..history_labels import field_names

    return ", ".join(
        sorted({*field_names("referral", changes), *field_names("case", case_changes)})
    )


def _reopen(session: Session, case: Case, change: str, user: User, note: str) -> None:
    # Imported here: the catch-up package's views import this module.
    from ..catchup.reopening import reopen_after_change

    session.flush()
    reopen_after_change(session, case.id, change=change, user=user, note=note)


REFERRAL_AFTER_KEYING = "Remissen ändrades efter bokningen i RIS: uppdatera bokningen."
IDENTITY_AFTER_KEYING = (
    "Patientens identitet rättades efter registreringen i RIS: rätta patienten i RIS och gör "
    "stegen igen."
)


# In the correction's audit row: the user confirmed a number of the other sex than was seen.
OTHER_SEX_CONFIRMED = "annat kön än det angivna, bekräftat som rätt patient"
# In the audit row: a reserve number that is also a valid personnummer, confirmed as a reserve
# number; if it was the patient's personnummer after all, the row shows who said otherwise.
RESERVE_LIKE_PNR_CONFIRMED = "reservnumret ser ut som ett personnummer, bekräftat som reservnummer"


@dataclass(frozen=True)
class ReferralEdit:
    """What a referral edit changed (field: [old, new]), and whether it replayed an earlier one."""

    changes: dict[str, Any]
    replayed: bool


def _case_changed(case: Case, priority: str, modality: str) -> bool:
    return case.priority != priority or case.modality != modality


def _keep_name_across_rename(
    ref: Any, before: dict[str, Any], config: SiteConfig, *, changes_case: bool
) -> None:
    """A catalogue rename alone (same code, the form showing the new name) is no change.

    Saved untouched, the referral must not make a new version: the referral sheet in the red
    tray, and what the catch-up keyed into RIS from it, name the same exam. So the stored name
    stays, and the sheet matches the record. An edit that changes anything else is a new
    version anyway (a reprint): that one takes the current name too, so the new sheet names the
    exam as the catalogue and the form do, and the history says so.
    """
    if not changes_case and renamed_only(before, snapshot(ref, tuple(before)), config):
        ref.exam_text = before["exam_text"]


def update_referral(
    *,
    case_id: int,
    user: User,
    priority: str,
    modality: str,
    referral: Mapping[str, Any],
    form_key: str,
    digest: str,
    url: str,
    shown_version: ShownVersion = ANY_VERSION,
    shown_case_version: ShownVersion = ANY_VERSION,
    arrival_confirmed: bool = False,
) -> ReferralEdit:
    """Edit a referral; the earlier version is kept with who, when and what changed.

    The identity is not edited here: correct_identity asks for a reason and audits it.
    arrival_confirmed: the user confirmed an arrival long before the case's incident.
    """
    with write_transaction() as session:
        # PostgreSQL: the form key, then the case, are locked before the key is looked up, so a
        # twin of this edit waits for the first and then finds its key stored, and the form's
        # draft is read after its autosaves (submissions.write_once takes them in that order).
        if form_key:
            lock_form_key(session, form_key)
        lock_before_reading(session, Case.__table__, case_id)
        # A double tap replays before the version check: its first submit moved the version on.
        if find_replay(session, form_key, digest) is not None:
            return ReferralEdit(changes={}, replayed=True)
        case = lock_open_case(session, case_id)
        if case.referral is None:
            raise CaseError("Ärendet finns inte.")
        if case.status == "cancelled":
            raise CaseError("Ärendet är makulerat och kan inte ändras.")
        ref = case.referral
        # Priority and modality live on the case, which others change too (re-prioritising).
        check_version(shown_version, ref.version, REFERRAL_CHANGED)
        if case_form_stale(session, case.id, shown_case_version, case.version):
            if identity_changed_since(session, case.id, shown_case_version):
                raise VersionConflict(IDENTITY_CORRECTED_UNDER_EDIT)
            raise VersionConflict(REFERRAL_CHANGED)
        # As a new referral's: checked against the configuration as saved now (site_usage).
        config = stored_config(session, case.site_id)
        gone = code_gone(
            config,
            priority=priority,
            modality=modality,
            exam_code=str(referral.get("exam_code") or ""),
        )
        if gone is not None:
            raise CodeGone(*gone)
        # Under the lock: an exam or a call logged since the form was checked counts too.
        refuse_arrival_after_events(session, case, referral.get("arrived_at"))
        # As there: an arrival stored before the rule (or confirmed once), left as it was, is
        # not asked about again.
        early = ""
        if arrival_changed(case, referral.get("arrived_at")):
            early = check_arrival_bounds(
                referral["arrived_at"], case.incident.started_at, confirmed=arrival_confirmed
            )
        before = snapshot(ref)
        for key, value in referral.items():
            setattr(ref, key, value)
        _keep_name_across_rename(
            ref, before, config, changes_case=_case_changed(case, priority, modality)
        )
        ref.updated_at = utcnow()
        changes = record_version(
            ref,
            before,
            entity="referral",
            case_id=case.id,
            user=user,
            reason=confirmed_reason(early),
        )
        case_before = snapshot(case, ("priority", "modality", "version"))
        case.priority = priority
        case.modality = modality
        case_changes = record_version(case, case_before, entity="case", case_id=case.id, user=user)
        if changes or case_changes:
            case.updated_at = utcnow()
            log_event(
                "referral_change",
                user=user,
                case=case,
                detail="; ".join(
                    note
                    for note in (_changed_fields(changes, case_changes), confirmed_note(early))
                    if note
                ),
            )
            _reopen(session, case, "referral", user, REFERRAL_AFTER_KEYING)
        record_submission(
            session,
            key=form_key,
            kind="referral_edit",
            digest=digest,
            url=url,
            case_id=case.id,
            user_id=user.id,
        )
        return ReferralEdit(changes={**changes, **case_changes}, replayed=False)


def correct_identity(
    *,
    case_id: int,
    user: User,
    identity: Mapping[str, Any],
    reason: str,
    shown_case_version: ShownVersion = ANY_VERSION,
    form_key: str = "",
    digest: str = "",
    url: str = "",
    other_sex_confirmed: bool = False,
    reserve_confirmed: bool = False,
    namesake_ticked: bool | None = None,
) -> dict[str, Any] | None:
    """Replace an identity (e.g. reserve number → real personnummer), versioned and audited.

    A correction from a screen opened before another change of the case is refused: two
    tablets correcting the same patient must not leave the later one silently in place. The
    same form sent again (a double tap, a resend) changes nothing more and returns None; sent
    again with other content it is refused (SubmissionConflict). A namesake in the incident
    as committed now, the box not ticked for this identity (namesake_ticked), is refused
    (NamesakeFound); None: no one to ask (the demo's own data), not checked.
    """
    with write_transaction() as session:
        if form_key:
            # PostgreSQL: the form's draft, finished below, is read after its autosaves.
            lock_form_key(session, form_key)
        if form_key and digest:
            # Before the version check, which the first submit moved on; the case is locked
            # first (PostgreSQL), so a twin at the same moment waits and then finds the key.
            lock_before_reading(session, Case.__table__, case_id)
            if find_replay(session, form_key, digest) is not None:
                return None
        case = lock_open_case(session, case_id)
        if case.status == "cancelled":
            # As the referral and the exam: a cancelled case is restored (with a reason) first.
            raise CaseError("Ärendet är makulerat och kan inte ändras.")
        # The instruction written since is no part of the identity form.
        if case_form_stale(session, case.id, shown_case_version, case.version):
            raise VersionConflict(IDENTITY_CHANGED)
        _refuse_respelling(case, identity)
        # The form asked before the write; another tablet may have saved a namesake since.
        namesake_confirmed = namesake_ticked is not None and check_in_write(
            session, case.incident_id, identity, ticked=namesake_ticked, exclude_case_id=case.id
        )
        before = snapshot(case, CASE_IDENTITY_FIELDS)
        old_ref = f"{case.patient_id_kind}:{case.patient_id}"
        for key, value in identity.items():
            setattr(case, key, value)
        changes = record_version(
            case, before, entity="case", case_id=case.id, user=user, reason=reason
        )
        if not changes:
            raise IdentityUnchanged()
        # Every part of the identity is printed on the report (sex and age too): a report faxed
        # before this named the patient as they were, so it needs faxing again (dispatch_rule).
        case.identity_revision += 1
        case.updated_at = utcnow()
        log_event(
            "identity_correct",
            user=user,
            case=case,
            detail=f"{old_ref} → {case.patient_id_kind}:{case.patient_id}; {reason}"
            + (f"; {OTHER_SEX_CONFIRMED}" if other_sex_confirmed else "")
            + (f"; {RESERVE_LIKE_PNR_CONFIRMED}" if reserve_confirmed else "")
            + (f"; {NAMESAKE_CONFIRMED}" if namesake_confirmed else ""),
        )
        _reopen(session, case, "identity", user, IDENTITY_AFTER_KEYING)
        if form_key and digest:
            record_submission(
                session,
                key=form_key,
                kind="identity",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=user.id,
                has_draft=False,
            )
        if form_key:
            finish_draft(session, form_key, case.id, only_kind="identity")
        return changes


RESERVE_RESPELLED = (
    "Det är samma reservnummer som ärendet har, bara skrivet på annat sätt – identiteten är "
    "oförändrad."
)


def _refuse_respelling(case: Case, identity: Mapping[str, Any]) -> None:
    # The same wristband in another spelling ("res0007", "RES-0007") is no other patient: taken
    # as a correction it would ask for the report to be faxed again, reopen the RIS step and
    # list the wristband as an earlier number of itself. Refused rather than stored quietly:
    # the history then holds only changes of who the patient is, and every comparison reads the
    # stored spelling as the same number anyway (reserve_number_key).
    changed = {k for k, v in identity.items() if getattr(case, k) != v}
    if (
        changed == {"patient_id"}
        and case.patient_id_kind == "reserve"
        and reserve_number_key(str(identity["patient_id"])) == reserve_number_key(case.patient_id)
    ):
        raise IdentityUnchanged(RESERVE_RESPELLED)


def record_view(case: Case, user: User, action: str = "case_view") -> None:
    """Audit that someone looked at a case (every read of patient data is logged)."""
    log_read(action, user=user, case=case)


def log_namesakes_shown(found: list[Namesake], incident_id: int | None) -> None:
    """Audit the namesake question's list: other patients' cases, each with its two identifiers,
    shown beside the form (a read of each, named by its code as a list's read names them)."""
    if found:
        log_list_read("namesakes_view", codes=[n.code for n in found], incident_id=incident_id)
