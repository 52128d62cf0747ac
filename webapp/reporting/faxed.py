"""Entering a report written elsewhere than in the app, in its author's name.

Two sources: a report that arrived by fax (e.g. from the external night reviewer), and one a
radiologist wrote on the paper report template (svarsmodell) that a secretary keys in. Both are
attributed to their author, signed as on the paper, and name who keyed them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..arrival_rule import BEFORE_ARRIVAL, arrival_after, arrival_values
from ..audit import log_event, record_version, snapshot
from ..cases.errors import VersionConflict
from ..cases.submissions import SubmitResult, find_replay, record_submission, write_once
from ..models import Case, Report, User, utcnow
from ..models.report import PAPER_AUTHOR_MAX, READ_ON, READ_ON_UNKNOWN, TYPED_AUTHOR_MAX
from ..storage import lock_before_reading
from .dispatch import insert_dispatch
from .over_draft import confirm_over_draft, replaced_reason
from .over_keyed import ReportShown, confirm_over_keyed
from .services import (
    _SIGNED_AFTER_KEYING,
    FAX_ENTRY_ROLES,
    REPORT_FIELDS,
    ReportError,
    _advance,
    _clean_sections,
    _reopen,
    _sign,
    load_case,
    refuse_uncalled_untick,
)

SOURCES = ("fax", "paper")
_WRONG_ROLE = {
    "fax": "Faxade utlåtanden förs in av radiolog eller sekreterare.",
    "paper": "Utlåtanden från papper förs in av radiolog eller sekreterare.",
}
_NO_STATE = {
    "fax": "Ange om det faxade utlåtandet är preliminärt eller definitivt.",
    "paper": "Ange om utlåtandet på papperet är preliminärt eller definitivt signerat.",
}
# The audit log's words for the state entered, as the report pages say it.
SIGNED_WORDS = {"preliminary": "preliminärt signerat", "definitive": "definitivt signerat"}
NOT_A_RADIOLOGIST = "Välj en radiolog ur listan."
_PAPER_NOTE = "{name} (inskrivet från papper av {by})"
_AUTHOR_COLUMN: int = Report.__table__.c.author_name.type.length


class BeforeArrival(ReportError):
    """A time on the report lies before the referral arrived; `field` names which: the
    report's own ("received_at") or its fax to the referrer ("faxed_at")."""

    def __init__(self, arrived_at: datetime, field: str) -> None:
        super().__init__(BEFORE_ARRIVAL, **arrival_values(arrived_at))
        self.field = field


@dataclass(frozen=True)
class FaxedOn:
    """The paper report as already faxed to the referrer: where and when."""

    fax_number: str
    faxed_at: datetime


def paper_author(author_name: str, secretary: User) -> str:
    """The name a report keyed from paper goes out under: nobody takes it for the author's own
    keying, on screen, on the faxed sheet or in the RIS batch."""
    name = author_name.strip()[:PAPER_AUTHOR_MAX]
    by = secretary.display_name
    # Within the column (PostgreSQL refuses a longer value): a long login name is shortened,
    # the author's never; who keyed it in is kept whole on the report and its signature.
    room = _AUTHOR_COLUMN - len(name) - len(_PAPER_NOTE.format(name="", by=""))
    if len(by) > room:
        by = by[: max(room - 1, 0)] + "…"
    return _PAPER_NOTE.format(name=name, by=by)


def check_faxed_report(
    user: User, state: str, sections: Sequence[dict[str, Any]], source: str = "fax"
) -> list[dict[str, str]]:
    """The report's sections, cleaned, once who enters it and how it is signed are fine."""
    if user.role not in FAX_ENTRY_ROLES:
        raise ReportError(_WRONG_ROLE[source])
    if state not in ("preliminary", "definitive"):
        raise ReportError(_NO_STATE[source])
    cleaned = _clean_sections(sections)
    if not any(s["text"] for s in cleaned):
        raise ReportError("Skriv av utlåtandets text.")
    return cleaned


# The paper names the patient as they were when it was written: keyed under a name corrected
# meanwhile, the report would land on the case before anyone checked the paper against it.
KEYED_IDENTITY_CORRECTED = (
    "Patientens identitet har rättats sedan du öppnade formuläret – se patienten överst. "
    "Utlåtandet är inte infört: kontrollera att papperet gäller den patienten och spara igen."
)


def enter_faxed_report(
    *,
    case_id: int,
    user: User,
    author_name: str,
    received_at: datetime,
    sections: Sequence[dict[str, Any]],
    state: str,
    is_urgent: bool,
    form_key: str = "",
    digest: str = "",
    url: str = "",
    source: str = "fax",
    author_id: int | None = None,
    faxed_on: FaxedOn | None = None,
    read_on: str = "",
    replaces_draft: int | None = None,
    report_shown: ReportShown | None = None,
    shown_identity: int | None = None,
) -> Report | None:
    """Enter a report that arrived by fax, or was written on paper, attributed to its author.

    received_at is when the fax came, or when the paper report was written. author_id names
    a radiologist of the site who wrote the paper (author_name is then theirs); faxed_on, that
    the paper was already faxed to the referrer, which the dispatch log records.
    replaces_draft: the version of the case's typed draft the form showed when its user ticked
    to replace it (see over_draft.py). report_shown: the report version the form was drawn
    against and the one its tick confirmed (see over_keyed.py; None: not checked).
    shown_identity: the case's identity_revision the form showed (None: not checked); a form
    drawn before the patient's identity was corrected is refused (VersionConflict).

    A form key already used (a retry) enters nothing more and returns None. The form's draft,
    if the tablet saved one, is finished in the same transaction.
    """
    cleaned = check_faxed_report(user, state, sections, source)
    # An external reviewer read in their own viewer: neither our PACS nor the modality's screen.
    if read_on and (source != "paper" or read_on not in READ_ON):
        raise ReportError(READ_ON_UNKNOWN)

    def write(session: Session) -> Report | SubmitResult:
        earlier = find_replay(session, form_key, digest) if form_key else None
        if earlier is not None:
            return earlier
        name = author_name
        if author_id is not None:
            author = session.get(User, author_id)
            if author is None or author.role != "radiologist" or author.site_id != user.site_id:
                raise ReportError(NOT_A_RADIOLOGIST)
            name = author.display_name
        report = write_faxed_report(
            session,
            case_id=case_id,
            user=user,
            author_name=name,
            received_at=received_at,
            sections=cleaned,
            state=state,
            is_urgent=is_urgent,
            source=source,
            author_id=author_id,
            faxed_on=faxed_on,
            read_on=read_on,
            replaces_draft=replaces_draft,
            report_shown=report_shown,
            shown_identity=shown_identity,
        )
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind=f"{source}_report",
                digest=digest,
                url=url,
                case_id=case_id,
                user_id=user.id,
            )
        return report

    report = write_once(form_key, digest, write)
    return None if isinstance(report, SubmitResult) else report


def report_refusal(report: Report | None, source: str = "fax") -> str:
    """Why the case's report cannot be replaced by one entered for its author ("" if it can)."""
    if report is not None and report.state == "definitive":
        return (
            "Ärendet har redan ett definitivt signerat utlåtande. En ändring förs in som "
            "ett tillägg, som en radiolog signerar."
        )
    if report is not None and report.state == "preliminary" and report.entered_by_id is None:
        # The app's own preliminary report is its author's to finish; a fax or a paper would
        # replace a local radiologist's signed text without their knowing.
        if source == "paper":
            return (
                "Ärendet har ett preliminärt utlåtande skrivet i appen. Radiologen signerar det "
                "definitivt i appen; det ersätts inte av ett utlåtande från papper."
            )
        return (
            "Ärendet har ett preliminärt utlåtande skrivet i appen. Radiologen signerar det "
            "definitivt i appen; det ersätts inte av ett faxat utlåtande."
        )
    return ""


def write_faxed_report(
    session: Session,
    *,
    case_id: int,
    user: User,
    author_name: str,
    received_at: datetime,
    sections: list[dict[str, str]],
    state: str,
    is_urgent: bool,
    source: str = "fax",
    author_id: int | None = None,
    faxed_on: FaxedOn | None = None,
    read_on: str = "",
    replaces_draft: int | None = None,
    report_shown: ReportShown | None = None,
    shown_identity: int | None = None,
) -> Report:
    """The report's writes, in the caller's transaction (sections from check_faxed_report)."""
    # PostgreSQL: locked before the report is read, so of two entries at once (or an entry and
    # a signature in the app) the second reads the first (SQLite's write lock orders them).
    lock_before_reading(session, Case.__table__, case_id)
    case = load_case(session, case_id)
    report = case.report
    refusal = report_refusal(report, source)
    if refusal:
        raise ReportError(refusal)
    # Under the case's lock: a correction saved while the paper was keyed is caught too.
    if shown_identity is not None and shown_identity != case.identity_revision:
        raise VersionConflict(KEYED_IDENTITY_CORRECTED)
    # Checked here, whichever path enters it: a reviewer's answer keyed with its log too.
    times = {"received_at": received_at}
    if faxed_on is not None:
        times["faxed_at"] = faxed_on.faxed_at
    for field, at in times.items():
        arrived = arrival_after(case, at)
        if arrived is not None:
            raise BeforeArrival(arrived, field)
    # Read under the case's lock: a draft saved after the form opened is caught here too.
    draft = confirm_over_draft(report, replaces_draft)
    # Under the same lock: a preliminary keyed in from another tablet meanwhile is caught.
    confirm_over_keyed(report, report_shown)
    if report is not None:
        refuse_uncalled_untick(
            session,
            case.id,
            state=report.state,
            was_urgent=report.is_urgent,
            is_urgent=is_urgent,
        )
    # A preliminary report entered for its author is followed by the definitive one (or a
    # corrected preliminary one): the earlier text is kept in the version history.
    replaces = report.state if report is not None else ""
    if report is None:
        report = Report(case_id=case.id)
        session.add(report)
        before = None
    else:
        before = snapshot(report, REPORT_FIELDS)
    from_paper = source == "paper"
    report.sections = sections
    report.state = state
    report.is_urgent = is_urgent
    # From paper as the paper says ("" not said, not known); a faxed report says nothing of it.
    report.read_on = read_on if from_paper else ""
    report.author_id = author_id if from_paper else None
    report.author_name = (
        paper_author(author_name, user) if from_paper else author_name.strip()[:TYPED_AUTHOR_MAX]
    )
    report.received_by_fax = not from_paper
    report.fax_received_at = None if from_paper else received_at
    report.entered_by_id = user.id
    now = utcnow()
    if state == "preliminary":
        report.preliminary_at = received_at
    else:
        report.definitive_at = received_at
    report.updated_at = now
    session.flush()
    if before is not None:
        record_version(
            report,
            before,
            entity="report",
            case_id=case.id,
            user=user,
            reason=replaced_reason(draft, source),
        )
    # The signature is the author's (on paper: a radiologist of the site, if chosen); the time
    # on the paper and who keyed it in are kept on it, as a later signature replaces the
    # report's own.
    signature_id = _sign(
        session,
        report_id=report.id,
        version=report.version,
        sections=report.sections,
        kind=state,
        user=None,
        name=report.author_name if from_paper else f"{report.author_name} (faxat)",
        read_on=report.read_on,
        keyed=(received_at, user),
    )
    _advance(session, case.id, case.status, state)
    _reopen(session, case.id, user, _SIGNED_AFTER_KEYING[state])
    log_event(
        "report_paper_entered" if from_paper else "report_fax_entered",
        user=user,
        case=case,
        detail=f"{SIGNED_WORDS[state]}, författare {report.author_name}"
        + (
            (", ersätter det preliminära" if from_paper else ", ersätter det faxade preliminära")
            if replaces == "preliminary"
            else ""
        )
        + (
            f", ersätter utkastet av {draft.name} (senast sparat {draft.saved_on})" if draft else ""
        ),
    )
    if faxed_on is not None:
        insert_dispatch(
            session,
            case=case,
            report=report,
            signature_id=signature_id,
            signed_version=report.version,
            number=faxed_on.fax_number.strip()[:40],
            faxed_at=faxed_on.faxed_at,
            actor=user,
            note="Papperet faxades innan utlåtandet fördes in.",
        )
    return report
