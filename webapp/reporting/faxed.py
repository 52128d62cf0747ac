"""Entering a report that arrived by fax (e.g. from the external night reviewer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..audit import log_event, record_version, snapshot
from ..cases.submissions import find_replay, record_submission
from ..models import Report, User, utcnow
from ..storage import write_transaction
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
)


def check_faxed_report(
    user: User, state: str, sections: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    """The faxed report's sections, cleaned, once who enters it and how it is signed are fine."""
    if user.role not in FAX_ENTRY_ROLES:
        raise ReportError("Faxade utlåtanden förs in av radiolog eller sekreterare.")
    if state not in ("preliminary", "definitive"):
        raise ReportError("Ange om det faxade utlåtandet är preliminärt eller definitivt.")
    cleaned = _clean_sections(sections)
    if not any(s["text"] for s in cleaned):
        raise ReportError("Skriv av utlåtandets text.")
    return cleaned


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
) -> Report | None:
    """Enter a report that arrived by fax, attributed to its real author.

    A form key already used (a retry) enters nothing more and returns None. The form's draft,
    if the tablet saved one, is finished in the same transaction.
    """
    cleaned = check_faxed_report(user, state, sections)
    with write_transaction() as session:
        if form_key and find_replay(session, form_key, digest) is not None:
            return None
        report = write_faxed_report(
            session,
            case_id=case_id,
            user=user,
            author_name=author_name,
            received_at=received_at,
            sections=cleaned,
            state=state,
            is_urgent=is_urgent,
        )
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind="fax_report",
                digest=digest,
                url=url,
                case_id=case_id,
                user_id=user.id,
            )
        return report


def report_refusal(report: Report | None) -> str:
    """Why the case's report cannot be replaced by a faxed one ("" if it can)."""
    if report is not None and report.state == "definitive":
        return (
            "Ärendet har redan ett definitivt signerat utlåtande. En ändring förs in som "
            "ett tillägg, som en radiolog signerar."
        )
    if report is not None and report.state == "preliminary" and not report.received_by_fax:
        # The app's own preliminary report is its author's to finish; a fax would replace
        # a local radiologist's signed text without their knowing.
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
) -> Report:
    """The faxed report's writes, in the caller's transaction (sections from check_faxed_report)."""
    case = load_case(session, case_id)
    report = case.report
    refusal = report_refusal(report)
    if refusal:
        raise ReportError(refusal)
    # A faxed preliminary report is followed by the reviewer's definitive fax (or a corrected
    # preliminary one): the earlier text is kept in the version history.
    replaces = report.state if report is not None else ""
    if report is None:
        report = Report(case_id=case.id)
        session.add(report)
        before = None
    else:
        before = snapshot(report, REPORT_FIELDS)
    report.sections = sections
    report.state = state
    report.is_urgent = is_urgent
    report.author_id = None
    report.author_name = author_name.strip()[:200]
    report.received_by_fax = True
    report.fax_received_at = received_at
    report.entered_by_id = user.id
    now = utcnow()
    if state == "preliminary":
        report.preliminary_at = received_at
    else:
        report.definitive_at = received_at
    report.updated_at = now
    session.flush()
    if before is not None:
        record_version(report, before, entity="report", case_id=case.id, user=user)
    # The signature is the external author's; who keyed it in is kept beside it.
    _sign(
        session,
        report_id=report.id,
        version=report.version,
        sections=report.sections,
        kind=state,
        user=None,
        name=f"{report.author_name} (faxat)",
    )
    _advance(session, case.id, case.status, state)
    _reopen(session, case.id, user, _SIGNED_AFTER_KEYING[state])
    log_event(
        "report_fax_entered",
        user=user,
        case=case,
        detail=f"{state}, författare {report.author_name}"
        + (", ersätter det faxade preliminära" if replaces == "preliminary" else ""),
    )
    return report
