"""Cancelling a case with a reason, and undoing a cancellation made by mistake."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event, record_version, snapshot
from ..models import (
    Case,
    CatchupTick,
    ImageRelease,
    ReviewerExchange,
    RisPacsCleanUp,
    User,
    utcnow,
)
from ..refusal import Message
from ..ris_pacs_left import of_case
from ..site_usage import case_codes_gone, stored_config
from ..storage import insert_row
from .errors import CaseError, RestoreCodeGone, SubmissionConflict
from .services import lock_open_case
from .submissions import SentOnce, store_once
from .versions import changed_parts, identity_changed_since, shown_case_version, shown_token

# Once a report is signed or the case is on its way into RIS, cancelling would drop a report
# the referrer already has from the catch-up without anyone keying it.
NO_CANCEL_STATUSES = ("report_preliminary", "report_definitive", "keyed_in_ris", "closed")
# A cancelled case leaves the catch-up: a booking already made in RIS would be left there with
# nobody to undo it, and the incident could end over it.
IN_RIS_NO_CANCEL = (
    "Ärendet är redan bokat i RIS. Sekreteraren makulerar det i RIS och ångrar stegen i "
    "efterregistreringen; sedan kan det makuleras här."
)
# Saved accession, images sent: cancelling here leaves them in RIS/PACS (ris_pacs_left). The
# form says what is there; the tick says the one cancelling has read it.
CONFIRM_CLEAN_UP = (
    "Bekräfta att ärendet ska städas upp i RIS/PACS: kryssa i rutan och tryck Makulera igen."
)
# The catch-up's note on a case restored after its clean-up in RIS/PACS was recorded.
BOOK_AGAIN = (
    "Ärendet städades upp i RIS/PACS efter makuleringen. Kontrollera i RIS och PACS, boka om och "
    "spara det nya accessionsnumret; skicka bilderna igen från modaliteten om de raderades"
)
# Said to the one restoring, on the case page: the secretaries' catch-up shows the case
# outstanding again, with no waiver.
WAIVER_LIFTED = (
    "Undantaget som väntade på bekräftelse är hävt, eftersom ärendet makulerades innan det "
    "bekräftades. Undanta ärendet igen i efterregistreringen om orsaken fortfarande gäller."
)
# The audit's note on a pending waiver the restore lifted (see _lift_pending_waiver).
WAIVER_LIFTED_AUDIT = (
    "Väntade på bekräftelse när ärendet makulerades; hävt när makuleringen ångrades"
)
CANCEL_FIELDS = ("status", "cancelled_reason", "cancelled_message", "version")
CANCEL_RESENT = "Formuläret har redan skickats med en annan orsak, och ärendet makulerades då."
RESTORE_RESENT = "Formuläret har redan skickats med en annan orsak, och makuleringen ångrades då."


# The referrer is owed the reviewer's report: cancelled, its copy could no longer be logged,
# and the incident would wait for that copy for ever.
REVIEWED_NO_CANCEL = (
    "Ärendet har ett utlåtande från extern granskare och kan inte makuleras. Ska det inte "
    "läggas in i RIS tar sekreteraren undan det i efterregistreringen, med en motivering."
)

# Images already out (a disc with the patient to urgent care, a push to the archive, both
# allowed before the report is signed): the release is to be written in the case's referral
# notes in RIS, which a cancelled case never reaches, and the clean-up would have the images
# deleted from PACS that the recipient already holds.
RELEASED_NO_CANCEL = (
    "Bilderna är utlämnade från ärendet och det kan inte makuleras: utlämnandet ska skrivas i "
    "remissanteckningen i RIS. Ska ärendet inte läggas in i RIS tar sekreteraren undan det i "
    "efterregistreringen, med en motivering."
)


# A cancel is judged on the page it was tapped on ("a double, never examined"): one from a page
# opened before a colleague documented the exam or saved a report would hide their work from
# the catch-up, with nobody having seen it.
CHANGED_SINCE_OPENED = (
    "Ärendet har ändrats sedan sidan öppnades: %(what)s. Det är inte makulerat – läs igenom "
    "ärendet nedan och tryck Makulera igen om det ändå ska makuleras."
)
REFERRAL_PART = "remissen"
EXAM_PART = "dokumentationen av undersökningen"
REPORT_PART = "utlåtandet"
ADDENDA_PART = "ett tillägg till utlåtandet"
CALLS_PART = "ett samtal om ett akut fynd"
IDENTITY_PART = "patientens identitet"
CASE_PART = "ärendets prioritet eller modalitet"
_PART_NAMES = {
    "referral": REFERRAL_PART,
    "exam": EXAM_PART,
    "report": REPORT_PART,
    "addenda": ADDENDA_PART,
    "calls": CALLS_PART,
}


class CleanUpUnconfirmed(CaseError):
    """A cancel of a case with an accession or images in PACS, its box not ticked."""

    def __init__(self) -> None:
        super().__init__(CONFIRM_CLEAN_UP)


def _check_shown(session: Session, case_id: int, shown: str) -> None:
    """Refuse a cancel from a page that showed older versions of the case's records."""
    names = changed_since_shown(session, case_id, shown)
    if names:
        raise CaseError(CHANGED_SINCE_OPENED, what=Message.joined(names, ", "))


def changed_since_shown(session: Session, case_id: int, shown: str) -> list[Message | str]:
    """What of the case changed since a page showed it (its shown_token), in words; [] none."""
    changed = changed_parts(shown, shown_token(session, case_id))
    names: list[Message | str] = []
    for part in changed:
        if part != "case":
            names.append(Message(_PART_NAMES[part]))
        elif identity_changed_since(session, case_id, shown_case_version(shown)):
            names.append(Message(IDENTITY_PART))
        else:
            names.append(Message(CASE_PART))
    return names


SIGNED_NO_CANCEL = (
    "Ärendet har ett signerat utlåtande och kan inte makuleras. Ska det inte läggas in i RIS "
    "tar sekreteraren undan det i efterregistreringen, med en motivering."
)


def cancel_refusal(session: Session, case: Case) -> str:
    """Why the rules refuse cancelling the case now; "" when they allow it.

    cancel_case refuses by it, and the case page offers the cancel by it: the two agree.
    """
    if case.status == "cancelled":
        return "Ärendet är redan makulerat."
    if case.status in NO_CANCEL_STATUSES:
        return SIGNED_NO_CANCEL
    if _reviewer_report_received(session, case.id):
        return REVIEWED_NO_CANCEL
    if has_release(session, case.id):
        return RELEASED_NO_CANCEL
    if _in_ris(session, case.id):
        return IN_RIS_NO_CANCEL
    return ""


def _reviewer_report_received(session: Session, case_id: int) -> bool:
    return (
        session.scalar(
            select(ReviewerExchange.id).where(
                ReviewerExchange.case_id == case_id,
                ReviewerExchange.report_received_at.is_not(None),
            )
        )
        is not None
    )


def has_release(session: Session, case_id: int) -> bool:
    """Whether any of the case's images were released (on IEP, media or to the archive)."""
    return (
        session.scalar(select(ImageRelease.id).where(ImageRelease.case_id == case_id).limit(1))
        is not None
    )


def _in_ris(session: Session, case_id: int) -> bool:
    # Imported here: the catch-up package's views import this module.
    from ..catchup.services import done_steps

    return bool(done_steps(session, case_id))


def cancel_case(
    *,
    case_id: int,
    user: User,
    reason: str,
    form_key: str = "",
    digest: str = "",
    url: str = "",
    shown: str = "",
    message: str = "",
    confirm_clean_up: bool = False,
) -> None:
    """Cancel a case with a reason; nothing clinical is ever deleted.

    message: what the referrer's notice says of why ("" prints the reason).
    confirm_clean_up: the user confirmed that the accession saved or the images sent to PACS
    are to be cleaned up there (refused without it when there are any).

    A form key already used with the same content (a double tap) writes nothing more; with
    other content it is refused (SubmissionConflict). shown: the shown_token of the page the
    cancel came from; from a page older than the case's records it is refused (none: a page
    drawn before the field existed, not checked).
    """

    def write(session: Session) -> None:
        case = lock_open_case(session, case_id)
        refusal = cancel_refusal(session, case)
        if refusal:
            raise CaseError(refusal)
        if shown:
            _check_shown(session, case.id, shown)
        left = of_case(case)
        if left is not None and not confirm_clean_up:
            raise CleanUpUnconfirmed()
        before = snapshot(case, CANCEL_FIELDS)
        case.status = "cancelled"
        case.cancelled_at = utcnow()
        case.cancelled_by_id = user.id
        case.cancelled_reason = reason
        case.cancelled_message = message.strip()
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user, reason=reason)
        detail = reason
        if left is not None:
            kept = [f"accession {left.accession}" if left.accession else ""]
            kept.append(f"bilder i PACS {left.temp_id}".strip() if left.images_sent else "")
            detail += f" (kvar att städa upp i RIS/PACS: {', '.join(k for k in kept if k)})"
        log_event("case_cancel", user=user, case=case, detail=detail[:1000])
        return None

    _write_once(
        SentOnce(form_key, digest, url), "case_cancel", case_id, user, write, CANCEL_RESENT, True
    )


def restore_case(
    *,
    case_id: int,
    user: User,
    reason: str,
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> bool:
    """Undo a cancellation (the wrong case tapped in a hurry), with a reason.

    A case is cancelled only before a report is signed, so it goes back to where its own
    records put it: exam done once documented, else referral received; on the board, the
    worklist and in the catch-up again. A form key is replayed as in cancel_case.

    Returns whether a waiver still waiting for its confirmation was lifted with the restore
    (False for a replay: the first answer said so).
    """

    def write(session: Session) -> bool:
        case = lock_open_case(session, case_id)
        if case.status != "cancelled":
            raise CaseError("Ärendet är inte makulerat.")
        # Against the configuration as saved now, as every write of a code (site_usage).
        gone = case_codes_gone(stored_config(session, case.site_id), case)
        if gone:
            raise RestoreCodeGone(gone)
        before = snapshot(case, CANCEL_FIELDS)
        cleaned_up = _cleaned_up(session, case)
        case.status = "exam_done" if case.exam is not None else "referral_received"
        case.cancelled_at = None
        case.cancelled_by_id = None
        case.cancelled_reason = ""
        case.cancelled_message = ""
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user, reason=reason)
        log_event("case_restore", user=user, case=case, detail=reason)
        if cleaned_up:
            _book_again(session, case, user)
        return _lift_pending_waiver(session, case, user)

    lifted = _write_once(
        SentOnce(form_key, digest, url), "case_restore", case_id, user, write, RESTORE_RESENT, True
    )
    return lifted is True


def _lift_pending_waiver(session: Session, case: Case, user: User) -> bool:
    """Lift a waiver that waited for its confirmation when the case was cancelled; whether one.

    Its second user would judge it on the restored case, and its reason was given for a case
    since cancelled (a double, the wrong patient): left pending, it would be confirmed by
    someone who never saw the cancel, or hold the close for a reason nobody gave again.
    """
    # Imported here: the catch-up package's views import this module.
    from ..catchup.services import clear_loaded_waiver

    record = case.catchup
    if record is None or not record.waiver_pending:
        return False
    reason = record.waive_reason
    clear_loaded_waiver(session, record)
    detail = f"{WAIVER_LIFTED_AUDIT}: {reason}"
    log_event("catchup_unwaive", user=user, case=case, detail=detail[:1000])
    return True


def _cleaned_up(session: Session, case: Case) -> bool:
    """Whether the cancellation being undone was recorded as cleaned up in RIS/PACS."""
    return (
        session.scalar(
            select(RisPacsCleanUp.id).where(
                RisPacsCleanUp.case_id == case.id,
                RisPacsCleanUp.cancelled_at == case.cancelled_at,
            )
        )
        is not None
    )


def _book_again(session: Session, case: Case, user: User) -> None:
    """After a clean-up the saved accession names an order RIS has cancelled: it goes, and the
    catch-up shows why the booking is to be made again (the images may be gone from PACS too).

    Left standing, "Bokad i RIS" could be ticked on the old number as if the exam were booked.
    """
    record = case.catchup
    old = record.ris_accession if record else ""
    if record is not None and (record.ris_accession or record.ris_exam_number):
        record.ris_accession = ""
        record.ris_exam_number = ""
        record.version += 1
        record.updated_at = utcnow()
    note = f"{BOOK_AGAIN} (accessionsnummer {old})" if old else BOOK_AGAIN
    insert_row(
        session,
        CatchupTick.__table__,
        {"case_id": case.id, "step": "booked", "is_done": False, "user_id": user.id, "note": note},
    )
    log_event("catchup_reopen", user=user, case=case, detail=note[:500])


def _write_once(
    sent: SentOnce,
    kind: str,
    case_id: int,
    user: User,
    write: Callable[[Session], object],
    resent: str,
    has_draft: bool = False,
) -> object:
    # Without a key (an older page still open on a tablet) a second tap is refused as before.
    # has_draft: the form autosaves (the cancel's or the restore's reason), and its draft is done
    # with the write.
    try:
        return store_once(
            form_key=sent.key,
            digest=sent.digest,
            kind=kind,
            user_id=user.id,
            write=write,
            url_of=lambda _none: sent.url,
            case_id=case_id,
            has_draft=has_draft,
        )
    except SubmissionConflict as exc:
        # The generic message sends the user to the case, and they are on its page already.
        raise SubmissionConflict(resent, url=exc.url, case_id=exc.case_id) from exc
