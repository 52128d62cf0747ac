"""Writes for the release of images: check the rules, record the release, hand it over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import Session

from ..audit import log_event
from ..call_rule import has_urgent_finding
from ..cases.submissions import SubmitResult
from ..extensions import db
from ..incidents.restored import restored_since
from ..models import Case, ImageRelease, Incident, User, utcnow
from ..printing.disc_label import label_shows_earlier_identity
from ..release_in_ris import booked_in_ris
from ..release_terms import MEDIA_LABELS, PRIVATE_USE, RECIPIENT_LABELS
from ..storage import write_transaction
from .handover import Handover, check_handover
from .notes import NoteFacts, referral_note
from .refusals import Refusal
from .rules import (
    ReleaseContext,
    ReleaseDecision,
    ReleaseRequest,
    channel_labels,
    decide_release,
)
from .services import (
    AlreadyDone,
    RoutineError,
    SentForm,
    filed_under,
    remember,
    replay,
    write_once,
)

HANDED_OVER = "Skivan var redan utlämnad – inget dubblerades."


class ReleaseRefused(RoutineError):
    """The request breaks one or more rules of the routine; each refusal says what to do."""

    def __init__(self, refusals: tuple[Refusal, ...]) -> None:
        super().__init__(" ".join(r.text() for r in refusals))
        self.refusals = refusals


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def _note(release: ImageRelease, ctx: ReleaseContext, signer: str) -> str:
    handover = None
    if release.handed_over_at is not None:
        handover = Handover(
            recipient_kind=release.recipient_kind,
            patient_id_checked=release.patient_id_checked,
            proxy_name=release.proxy_name,
            proxy_id_checked=release.proxy_id_checked,
            power_of_attorney=release.power_of_attorney,
        )
    facts = NoteFacts(
        at=_local(release.created_at),
        recipient_kind=release.recipient_kind,
        recipient_name=release.recipient_name,
        channel=release.channel,
        media_kind=release.media_kind,
        delivery=release.delivery,
        includes_report=release.includes_report,
        report_state=release.report_state,
        doctor_cleared_by=release.doctor_cleared_by,
        billing_recorded=release.billing_recorded,
        handover=handover,
        handed_over_at=_local(release.handed_over_at) if release.handed_over_at else None,
        signed_by=signer,
    )
    return referral_note(facts, ctx)


def _refused_detail(refusals: tuple[Refusal, ...]) -> str:
    """The audit log's detail of a refusal: the rules' messages as staff were shown them."""
    return " ".join(r.text() for r in refusals)


def _refused(user: User, case: Case, refusals: tuple[Refusal, ...], what: str) -> ReleaseRefused:
    with write_transaction():
        log_event(what, user=user, case=case, detail=_refused_detail(refusals))
    return ReleaseRefused(refusals)


def _decide(
    session: Session, case_id: int, user: User, request: ReleaseRequest, ctx: ReleaseContext
) -> tuple[Case, ReleaseRequest, ReleaseDecision]:
    """The case, the request with the case's own facts, and the routine's decision."""
    # Locked (PostgreSQL) before it is read: a cancel, or a report signed, at the same moment
    # is either read by this decision or waits for the release (SQLite's write lock orders
    # them). Read before the lock, a release was recorded on a case cancelled meanwhile.
    case = session.get(Case, case_id, with_for_update=True)
    if case is None or case.site_id != user.site_id:
        raise RoutineError("Ärendet finns inte.")
    if case.status == "cancelled":
        raise RoutineError("Ärendet är makulerat.")
    report_state = case.report.state if case.report else ""
    # The exam, the report state and its urgent findings are the case's, never the form's.
    checked = replace(
        request,
        has_exam=case.exam is not None,
        report_state=report_state,
        has_urgent_finding=has_urgent_finding(case.report),
    )
    decision: ReleaseDecision = decide_release(checked, ctx)
    if not decision.allowed:
        log_event(
            "release_refused",
            user=user,
            case=case,
            detail=_refused_detail(decision.refusals),
        )
    return case, checked, decision


def release_images(
    *,
    case_id: int,
    user: User,
    incident: Incident | None,
    request: ReleaseRequest,
    ctx: ReleaseContext,
) -> ImageRelease:
    """Check a release against the routine and record it; a refusal is logged and raised."""
    with write_transaction() as session:
        case, checked, decision = _decide(session, case_id, user, request, ctx)
        if decision.allowed:
            return _record(session, case, user, incident, checked, decision, ctx)
    # Raised after the commit, so the refusal stays in the log.
    raise ReleaseRefused(decision.refusals)


def request_release(
    *,
    case_id: int,
    user: User,
    incident: Incident | None,
    request: ReleaseRequest,
    ctx: ReleaseContext,
    sent: SentForm,
    url_for_release: Callable[[int], str],
) -> tuple[SubmitResult, bool]:
    """A release from its form: a double tap or a resend records (and bills) it once.

    Returns where it led, and whether the media now waits to be handed over in person.
    """
    # A resend is answered with the first result, before the rules: they may have changed since.
    earlier = replay(db.session(), sent)
    if earlier is not None:
        return earlier, False

    def write(session: Session) -> tuple[SubmitResult, bool] | ReleaseRefused:
        case, checked, decision = _decide(session, case_id, user, request, ctx)
        if not decision.allowed:
            # Returned, not raised: the refusal's log entry is committed.
            return ReleaseRefused(decision.refusals)
        release = _record(session, case, user, incident, checked, decision, ctx)
        url = url_for_release(release.id)
        remember(session, replace(sent, url=url), "release", release.case_id, user)
        return SubmitResult(release.case_id, url, replayed=False), decision.needs_handover

    # Checked again in the writing transaction, and a twin that raced past that check too is
    # answered with the first one's result: two submits at once store (and bill) one release.
    result = write_once(sent, write)
    if isinstance(result, ReleaseRefused):
        raise result
    if isinstance(result, SubmitResult):
        return result, False
    return result


def _note_due(session: Session, case: Case, filed: Incident | None, ctx: ReleaseContext) -> bool:
    """Whether the release's referral note waits for RIS, given the outage it is filed under."""
    # Filed under an outage still open (filed_under) whose scenario has RIS down, the note
    # waits to be written there. With none open, it is written there now, as the release's
    # page says.
    if filed is None or not filed.is_open:
        return False
    # RIS works in the outage (the scenario says so: left out, RIS is down), or again once its
    # systems are marked working (the outage stays open only for the catch-up).
    ris_up = filed.scenario in ctx.ris_up_scenarios or restored_since(filed.id) is not None
    if not ris_up:
        return True
    # The routine writes a release "i remissanteckningar" in RIS; a case of this outage came on
    # paper and is in RIS only once booked there in the catch-up (the integration routine:
    # "När Biztalk åter fungerar bokas undersökningarna in"). Before that there is nowhere to
    # write the note: it waits, tracked, as with RIS down. A case of an ended outage is in RIS.
    return case.incident_id == filed.id and not booked_in_ris(session, case.id)


def _record(
    session: Session,
    case: Case,
    user: User,
    incident: Incident | None,
    checked: ReleaseRequest,
    decision: ReleaseDecision,
    ctx: ReleaseContext,
) -> ImageRelease:
    incident_id = filed_under(case, incident)
    filed = case.incident if incident_id == case.incident_id else incident
    # The private-use fields are on the form whatever the recipient: left ticked from another
    # choice, they would write a billing record (others get it free) or a doctor's clearance
    # into the note for RIS. Kept for the patient or a proxy only, as the media for media only.
    # A hospital's name left typed is likewise dropped for them: it would name the patient's
    # disc label and address the report printed for the patient (a proxy is named at pickup).
    private = checked.recipient_kind in PRIVATE_USE
    release = ImageRelease(
        site_id=case.site_id,
        incident_id=incident_id,
        case_id=case.id,
        recipient_kind=checked.recipient_kind,
        recipient_name="" if private else checked.recipient_name.strip()[:200],
        channel=checked.channel,
        media_kind=checked.media_kind if checked.channel == "media" else "",
        delivery=checked.delivery if checked.channel == "media" else "",
        is_urgent_care=checked.is_urgent_care,
        report_state=checked.report_state,
        includes_report=decision.includes_report,
        findings_positive=checked.findings_positive if private else "",
        doctor_cleared_by=checked.doctor_cleared_by.strip()[:200] if private else "",
        billing_recorded=checked.billing_recorded and private,
        is_billable=decision.is_billable,
        status="awaiting_pickup" if decision.needs_handover else "sent",
        ris_note_due=_note_due(session, case, filed, ctx),
        created_at=utcnow(),
        created_by_id=user.id,
    )
    session.add(release)
    session.flush()
    release.referral_note = _note(release, ctx, user.display_name)
    log_event(
        "release_create",
        user=user,
        case=case,
        detail=f"#{release.id} {RECIPIENT_LABELS[release.recipient_kind]}, "
        + (
            MEDIA_LABELS[release.media_kind]
            if release.media_kind
            else channel_labels(ctx)[release.channel]
        )
        + (", med utlåtande" if release.includes_report else ", utan utlåtande"),
    )
    return release


def handover_needs_doctor(release: ImageRelease) -> bool:
    """An urgent finding signed since a release approved with no doctor: one is asked first."""
    # The routine asks for the doctor before the patient gets the media, not only when the
    # release is registered: an addendum may come in between.
    return not release.doctor_cleared_by and has_urgent_finding(release.case.report)


def hand_over(
    *, release_id: int, user: User, handover: Handover, ctx: ReleaseContext
) -> ImageRelease:
    """The patient or a proxy collects the media: IDs (and power of attorney) are checked."""
    release = db.session.get(ImageRelease, release_id)
    if release is None or release.site_id != user.site_id:
        raise RoutineError("Utlämnandet finns inte.")
    if release.status == "handed_over":
        raise AlreadyDone(HANDED_OVER)
    if release.status != "awaiting_pickup":
        raise RoutineError("Utlämnandet väntar inte på att hämtas.")
    checked = replace(
        handover,
        recipient_kind=release.recipient_kind,
        needs_doctor=handover_needs_doctor(release),
        label_shows_earlier_identity=label_shows_earlier_identity(release),
    )
    refusals = check_handover(checked)
    if refusals:
        raise _refused(user, release.case, refusals, "release_handover_refused")
    with write_transaction() as session:
        # Read again, locked, in the writing transaction: of two taps at once, one hands it over.
        release = session.get(ImageRelease, release_id, with_for_update=True)
        assert release is not None
        if release.status == "handed_over":
            raise AlreadyDone(HANDED_OVER)
        release.status = "handed_over"
        release.handed_over_at = utcnow()
        release.handed_over_by_id = user.id
        release.patient_id_checked = checked.patient_id_checked
        release.proxy_name = checked.proxy_name.strip()[:200]
        release.proxy_id_checked = checked.proxy_id_checked
        release.power_of_attorney = checked.power_of_attorney
        if checked.needs_doctor:
            release.findings_positive = "yes"
            release.doctor_cleared_by = checked.doctor_cleared_by.strip()[:200]
        release.referral_note = _note(release, ctx, user.display_name)
        log_event(
            "release_handover",
            user=user,
            case=release.case,
            detail=f"#{release.id} "
            + (
                f"ombud {release.proxy_name}, fullmakt, två ID"
                if release.proxy_name
                else "ID kontrollerat"
            ),
        )
        return release
