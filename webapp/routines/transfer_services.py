"""Writes for image transfer to and from other regions: requests, tries, troubleshooting ticks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import SubmissionConflict
from ..cases.submissions import RESENT_OTHER, SubmitResult
from ..checklist_keys import LABEL_LENGTH, text_key
from ..models import (
    Case,
    ImageTransfer,
    Incident,
    TransferAttempt,
    TransferCheck,
    User,
    utcnow,
)
from ..models.routines import ATTEMPT_OUTCOMES, TRANSFER_DIRECTIONS, TRANSFER_ROUTES
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from .labels import (
    CHECK_LIST_LABELS,
    DIRECTION_LABELS,
    OUTCOME_LABELS,
    ROUTE_LABELS,
    TRANSFER_STATUS_LABELS,
)
from .services import (
    TRANSFER_CASE_CANCELLED,
    TRY_CASE_CANCELLED,
    VIA_REGION_UNLISTED,
    AlreadyDone,
    FieldRefused,
    RoutineError,
    SentForm,
    filed_under,
    remember,
    write_once,
)


@dataclass(frozen=True)
class TransferValues:
    direction: str
    counterpart_key: str
    urgency: str
    exam_text: str = ""
    patient_ref: str = ""
    patient_name: str = ""
    note: str = ""
    case_id: int | None = None


def _load(session: Session, transfer_id: int, user: User) -> ImageTransfer:
    # Locked (PostgreSQL): two closes at once, or a try logged as it closes, read each other's
    # status (SQLite's write lock already orders them).
    transfer = session.get(ImageTransfer, transfer_id, with_for_update=True)
    if transfer is None or transfer.site_id != user.site_id:
        raise RoutineError("Överföringen finns inte.")
    return transfer


def _case_held(session: Session, transfer_id: int) -> Case | None:
    """The transfer's case, its status read under a lock its cancel waits for (PostgreSQL).

    Unlocked, a cancel could commit between the read and the try's commit: a try would land
    on a case cancelled before it. Shared: tries of the case's transfers do not wait for each
    other, only for a cancel (which locks the case for update). Taken before the transfer's
    lock, in the order a case's move takes them (the case, then its transfers).
    """
    # A transfer's case is set when it is opened and never changes: read unlocked.
    case_id = session.scalar(select(ImageTransfer.case_id).where(ImageTransfer.id == transfer_id))
    if case_id is None:
        return None
    return session.get(Case, case_id, with_for_update={"read": True}, populate_existing=True)


def create_transfer(
    *, user: User, config: SiteConfig, incident: Incident | None, values: TransferValues
) -> ImageTransfer:
    """Open a transfer request to or from a configured counterpart."""
    _check(config, values)
    with write_transaction() as session:
        return _create(session, user, config, incident, values)


def request_transfer(
    *,
    user: User,
    config: SiteConfig,
    incident: Incident | None,
    values: TransferValues,
    sent: SentForm,
    url_for_transfer: Callable[[int], str],
) -> SubmitResult:
    """Open a transfer from its form: a retried or double-tapped submit opens no second one."""
    _check(config, values)

    def write(session: Session) -> SubmitResult:
        transfer = _create(session, user, config, incident, values)
        url = url_for_transfer(transfer.id)
        remember(session, replace(sent, url=url), "transfer", transfer.case_id, user)
        return SubmitResult(case_id=transfer.case_id or 0, url=url, replayed=False)

    return write_once(sent, write)


def _check(config: SiteConfig, values: TransferValues) -> None:
    if values.direction not in TRANSFER_DIRECTIONS:
        raise FieldRefused("direction", "Välj om bilderna ska skickas eller tas emot.")
    if values.urgency not in {p.code for p in config.priorities}:
        raise FieldRefused("urgency", "Välj brådska.")


def _create(
    session: Session,
    user: User,
    config: SiteConfig,
    incident: Incident | None,
    values: TransferValues,
) -> ImageTransfer:
    counterpart = config.routines.transfer.counterpart(values.counterpart_key)
    if counterpart is None:
        raise FieldRefused("counterpart", "Välj ett sjukhus från listan.")
    case = session.get(Case, values.case_id) if values.case_id else None
    if values.case_id and (case is None or case.site_id != user.site_id):
        raise FieldRefused("case_code", "Ärendet finns inte.")
    if case is not None and case.status == "cancelled":
        # Cancelled since the form was checked.
        raise FieldRefused("case_code", TRANSFER_CASE_CANCELLED)
    exam_text = values.exam_text.strip()
    if not exam_text and case is not None:
        exam = case.exam or case.referral
        exam_text = exam.exam_text if exam else ""
    if not exam_text:
        raise FieldRefused("exam_text", "Ange undersökningen.")
    if case is None and not values.patient_ref.strip():
        raise FieldRefused(
            "patient_ref", "Ange patientens person- eller reservnummer, eller ärendekoden."
        )
    transfer = ImageTransfer(
        site_id=user.site_id,
        incident_id=filed_under(case, incident),
        case_id=case.id if case else None,
        direction=values.direction,
        counterpart_key=counterpart.key,
        counterpart_name=f"{counterpart.name}"
        + (f" ({counterpart.region})" if counterpart.region else ""),
        exam_text=exam_text[:300],
        patient_ref=values.patient_ref.strip()[:40],
        patient_name=" ".join(values.patient_name.split())[:200] if case is None else "",
        urgency=values.urgency,
        note=values.note.strip()[:2000],
        created_by_id=user.id,
    )
    session.add(transfer)
    session.flush()
    log_event(
        "transfer_create",
        user=user,
        case=case,
        incident_id=transfer.incident_id,
        patient_ref=transfer.patient_ref,
        detail=f"#{transfer.id} {DIRECTION_LABELS[values.direction]}: "
        f"{transfer.counterpart_name}, {config.priority_label(values.urgency)}",
    )
    return transfer


def log_attempt(
    *,
    transfer_id: int,
    user: User,
    config: SiteConfig,
    route: str,
    via_region: str = "",
    outcome: str,
    note: str = "",
    sent: SentForm | None = None,
) -> TransferAttempt | None:
    """One try of a route and how it went; None when the form was already stored (a retry).

    The stored form is looked for before the status check: a resend after the transfer was
    closed is still the same try.
    """
    if route not in TRANSFER_ROUTES:
        raise FieldRefused("route", "Välj väg.")
    if outcome not in ATTEMPT_OUTCOMES:
        raise FieldRefused("outcome", "Ange hur det gick.")

    def write(session: Session) -> TransferAttempt:
        case = _case_held(session, transfer_id)
        transfer = _load(session, transfer_id, user)
        if transfer.status != "open":
            raise RoutineError("Överföringen är avslutad.")
        if case is not None and case.status == "cancelled":
            raise FieldRefused("route", TRY_CASE_CANCELLED)
        region = via_region if route == "via_region" else ""
        if route == "via_region":
            counterpart = config.routines.transfer.counterpart(transfer.counterpart_key)
            if region not in config.routines.transfer.routes_via(counterpart):
                raise FieldRefused("via_region", VIA_REGION_UNLISTED)
        attempt = TransferAttempt(
            transfer_id=transfer.id,
            route=route,
            via_region=region,
            outcome=outcome,
            note=note.strip()[:2000],
            user_id=user.id,
        )
        session.add(attempt)
        log_event(
            "transfer_attempt",
            user=user,
            case=transfer.case,
            incident_id=transfer.incident_id,
            patient_ref=transfer.patient_ref,
            detail=f"#{transfer.id} {ROUTE_LABELS[route]}{' ' + region if region else ''}: "
            f"{OUTCOME_LABELS[outcome]}",
        )
        remember(session, sent, "transfer_attempt", transfer.case_id, user)
        return attempt

    attempt = write_once(sent, write)
    return None if isinstance(attempt, SubmitResult) else attempt


def tick_check(
    *,
    transfer_id: int,
    user: User,
    config: SiteConfig,
    list_key: str,
    item_key: str,
    is_done: bool,
    sent: SentForm | None = None,
) -> TransferCheck | SubmitResult:
    """Tick or untick a troubleshooting item (by its key); every change is a new row.

    The same tick sent again (a double tap, a retry) adds no row: its first result is returned.
    """
    items = config.routines.transfer.checklist(list_key)
    if list_key == "first":
        items = config.routines.transfer.first_steps
    keys = [text_key(text) for text in items]
    if item_key not in keys:
        # Keys are made from the text: the item was reworded or removed since the page was drawn.
        raise RoutineError(
            "Listan har ändrats sedan sidan öppnades, så punkten bockades inte av. Punkterna "
            "nedan är de som gäller nu: bocka av igen om det fortfarande stämmer."
        )
    item = keys.index(item_key)

    def write(session: Session) -> TransferCheck:
        transfer = _load(session, transfer_id, user)
        if transfer.status != "open":
            # A page opened before the close: the lists are the record of what was tried.
            raise RoutineError("Överföringen är avslutad.")
        check = TransferCheck(
            transfer_id=transfer.id,
            list_key=list_key,
            item=item,
            label=items[item][:LABEL_LENGTH],
            is_done=is_done,
            user_id=user.id,
        )
        session.add(check)
        state = "klar" if is_done else "ångrad"
        log_event(
            "transfer_check",
            user=user,
            case=transfer.case,
            incident_id=transfer.incident_id,
            patient_ref=transfer.patient_ref,
            detail=f"#{transfer.id} {CHECK_LIST_LABELS[list_key]}, {state}: {items[item]}",
        )
        remember(session, sent, "transfer_check", transfer.case_id, user)
        return check

    try:
        return write_once(sent, write)
    except SubmissionConflict as exc:
        raise RoutineError(RESENT_OTHER) from exc


def close_transfer(*, transfer_id: int, user: User, status: str, note: str) -> ImageTransfer:
    """Finish a transfer: done (images arrived) or abandoned (e.g. the patient goes elsewhere)."""
    if status not in ("done", "abandoned"):
        raise FieldRefused("status", "Välj hur överföringen slutade.")
    if status == "abandoned" and not note.strip():
        raise FieldRefused("note", "Skriv varför överföringen avbryts.")
    with write_transaction() as session:
        transfer = _load(session, transfer_id, user)
        if transfer.status != "open":
            raise AlreadyDone("Överföringen var redan avslutad – inget dubblerades.")
        if status == "done" and not any(a.outcome == "ok" for a in transfer.attempts):
            raise FieldRefused("status", "Logga först det försök som lyckades.")
        transfer.status = status
        transfer.outcome_note = note.strip()[:2000]
        transfer.closed_at = utcnow()
        transfer.closed_by_id = user.id
        log_event(
            "transfer_close",
            user=user,
            case=transfer.case,
            incident_id=transfer.incident_id,
            patient_ref=transfer.patient_ref,
            detail=f"#{transfer.id} {TRANSFER_STATUS_LABELS[status]}: {note.strip()}"[:2000],
        )
        return transfer
