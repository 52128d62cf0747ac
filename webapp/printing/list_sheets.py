"""Sheets that are not of one case: the incident list, the reconciliation checklist and
stacks of blank binder sheets (plain printforms data built from the database)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from printforms import data as pd

from ..cases.display import patient_id_display, patient_masked
from ..cases.laterality import exam_with_side
from ..cases.waiting import WAITING_STATUSES
from ..codes import incident_payload_prefix, make_case_payload
from ..durations import waiting_text
from ..extensions import db
from ..models import Case, Incident, User, utcnow
from ..siteconfig import SiteConfig
from .checklist_safety import safety_answers
from .referral_faxes import ward_faxes
from .reply_contact import steady_reply
from .services import PrintPlan, plan_blank_print, print_pdf
from .sheet_parts import fmt_time

if TYPE_CHECKING:
    from ..catchup.batch import CaseExport
    from ..catchup.moved_out import MovedOut

STATUS_LABELS = {
    "referral_received": "Remiss mottagen",
    "exam_done": "Undersökt",
    "report_preliminary": "Prel. utlåtande",
    "report_definitive": "Def. utlåtande",
    "keyed_in_ris": "I RIS",
    "closed": "Avslutad",
    "cancelled": "Makulerad",
}


def _waited(case: Case, printed_at: datetime) -> str:
    """The wait as the board shows it ("3 h 20 min", "1 d 2 h"): from the referral's arrival
    (not from when it was typed in) until its definitive report."""
    if case.status not in WAITING_STATUSES or case.referral is None:
        return ""
    return waiting_text(max(0, int((printed_at - case.referral.arrived_at).total_seconds() // 60)))


def incident_list_sheet(
    incident: Incident,
    config: SiteConfig,
    *,
    masked: bool,
    printed_at: datetime,
    status_of: dict[str, str] | None = None,
    only: set[str] | None = None,
    safety_of: dict[str, tuple[pd.SafetyAnswer, ...]] | None = None,
    exam_of: dict[str, str] | None = None,
    moved_out: Sequence[int] = (),
    earlier_of: dict[str, str] | None = None,
) -> pd.IncidentListData:
    """One line per case of the incident (or of the codes in only); masked for a list that
    leaves the department. safety_of: each case's safety answers, by code (the checklist's);
    exam_of: the exam to name, by code (the checklist's, from the batch's reading);
    moved_out: ids of cases moved out of the incident to list first (the checklist's);
    earlier_of: the identities before a correction to name beside the patient, by code."""
    # The id breaks ties of cases typed in at the same moment, as the exports order them.
    order: tuple[Any, ...] = (Case.created_at, Case.id)
    listed: ColumnElement[bool] = Case.incident_id == incident.id
    if moved_out:
        # Those moved out first, where they are seen.
        listed = or_(listed, Case.id.in_(moved_out))
        order = (Case.incident_id != incident.id, *order)
    cases = db.session.scalars(
        select(Case)
        .where(listed)
        .order_by(*order)
        # One query for every referral, not one per line (10,000 at a large batch's checklist).
        .options(
            selectinload(Case.referral),  # type: ignore[attr-defined]
            selectinload(Case.exam),  # type: ignore[attr-defined]
        )
    ).all()
    rows = tuple(
        pd.IncidentCaseRow(
            case_code=c.code,
            patient=patient_masked(c)
            if masked
            else f"{c.patient_name or 'Namn okänt'}, {patient_id_display(c)}"
            + _earlier((earlier_of or {}).get(c.code, "")),
            # The exam performed (and the one referred, marked) is what RIS is to get, as on
            # the checklist; the masked list goes to the TiB and the wards, who know a case by
            # the exam they referred.
            exam=(exam_of or {}).get(c.code) or _exam_done(c.referral, None if masked else c.exam),
            priority=config.priority_label(c.priority),
            status=(status_of or {}).get(c.code) or STATUS_LABELS.get(c.status, c.status),
            waited=_waited(c, printed_at),
            safety=(safety_of or {}).get(c.code, ()),
        )
        for c in cases
        # Filtered here, not in SQL: a batch's codes can outnumber a database's parameter limit.
        if only is None or c.code in only
    )
    return pd.IncidentListData(
        title=incident.title,
        incident_label=f"Driftstopp {incident.id}",
        qr_payload=incident_payload_prefix(incident.id, stamp=incident.list_stamp) + pd.PAGE_FIELD,
        # The site's name for it, as the routine shows it (the key is configuration only); once
        # the outage has ended, the name it ran under (kept as its title), not a later rename.
        scenario=(
            s.name
            if incident.is_open and (s := config.scenarios.get(incident.scenario))
            else incident.title
        ),
        started_at=fmt_time(incident.started_at),
        cases=rows,
        department=config.department or config.name,
        is_drill=incident.is_drill,
        printed_at=fmt_time(printed_at),
    )


# A reason may run to 1,000 characters; in the checklist's narrow status column a row that
# long is taller than a page and cannot be drawn. The exports carry the whole reason.
REASON_ON_CHECKLIST = 160


def _gist(reason: str) -> str:
    """The reason on one line, cut at a word if it is long."""
    text = " ".join(reason.split())
    if len(text) <= REASON_ON_CHECKLIST:
        return text
    cut = text[:REASON_ON_CHECKLIST].rsplit(" ", 1)[0] or text[:REASON_ON_CHECKLIST]
    return cut + " …"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class _NamedExam(Protocol):
    """A referral's or exam's name and side, as stored or as the batch read them."""

    @property
    def exam_text(self) -> str: ...

    @property
    def side(self) -> str: ...


def _exam_done(ref: _NamedExam | None, exam: _NamedExam | None) -> str:
    """The exam as RIS is to have it: the one performed (its side, else the referral's), and
    the one referred after it, marked, when the radiographer did another; the referral's until
    the exam is documented."""
    referred = exam_with_side(ref.exam_text, ref.side) if ref else ""
    if exam is None:
        return referred
    done = exam_with_side(exam.exam_text, exam.side or (ref.side if ref else ""))
    if not referred or _same(done, referred):
        return done
    return f"{done} (remitterad: {referred})"


def reconciliation_pdf(
    incident_id: int,
    cases: list[CaseExport],
    withdrawn: Sequence[MovedOut] = (),
    *,
    since: datetime | None = None,
) -> bytes:
    """The reconciliation checklist: the incident list with each case's catch-up state, and a
    line for each case moved out since an export held it (withdrawn), saying what RIS needs.

    since: the previous PDF export a 'changed only' checklist follows; its paper says so.
    """
    from printforms import render_incident_list

    from ..catchup.moved_out_export import status_text
    from ..sites import site_config

    incident = db.session.get(Incident, incident_id)
    assert incident is not None
    config = site_config(incident.site)
    status_of = {}
    # From the batch's own reading of the referrals, as every other export has them.
    safety_of = {c.code: safety_answers(c.referral) for c in cases}
    exam_of = {c.code: _exam_done(c.referral, c.exam) for c in cases}
    for c in cases:
        done = sum(1 for s in c.steps if s.done)
        if c.waived:
            # Who took it out and why stays on the paper the secretaries tick off, and who
            # confirmed it (four eyes), or that it still waits for that.
            when = fmt_time(datetime.fromisoformat(c.waived_at)) if c.waived_at else ""
            head = "Undantag väntar på bekräftelse" if c.waiver_pending else "Undantagen"
            status_of[c.code] = f"{head}: {_gist(c.waive_reason)} ({c.waived_by}, {when}"
            if c.waiver_confirmed_at:
                confirmed = fmt_time(datetime.fromisoformat(c.waiver_confirmed_at))
                status_of[c.code] += f"; bekräftat {c.waiver_confirmed_by}, {confirmed}"
            status_of[c.code] += ")"
        elif c.status == "cancelled":
            # Why it is not keyed (a duplicate names the case that is) is on the paper too.
            status_of[c.code] = (
                f"Makulerad: {_gist(c.cancelled_reason)}" if c.cancelled_reason else "Makulerad"
            )
        else:
            status_of[c.code] = f"{done}/{len(c.steps)} steg" + _keyed_state(c)
    # RIS and PACS may hold the booking and images under an identity a correction replaced
    # (the booking made by hand, the modality's worklist): the paper names it, as the CSV does.
    earlier_of = {
        c.code: ", ".join(e.id_display for e in c.earlier_identities)
        for c in cases
        if c.earlier_identities
    }
    for m in withdrawn:
        # RIS holds the booking under the number the export gave, which a correction replaced.
        earlier = ", ".join(e.id_display for e in m.earlier)
        status_of[m.code] = status_text(m) + _earlier(earlier)
    # Exactly the batch's cases: a 'changed only' checklist lists the changes, not everything.
    data = incident_list_sheet(
        incident,
        config,
        masked=False,
        printed_at=utcnow(),
        status_of=status_of,
        only=set(status_of),
        safety_of=safety_of,
        exam_of=exam_of,
        moved_out=[m.case_id for m in withdrawn],
        earlier_of=earlier_of,
    )
    if since is not None:
        data = replace(data, scope=_changes_scope(incident.id, len(cases), since))
    return render_incident_list(data)


def _earlier(identities: str) -> str:
    """The identities before a correction as the checklist names them, "" for none."""
    return f" (tidigare {identities})" if identities else ""


def _changes_scope(incident_id: int, changed: int, since: datetime) -> str:
    """What a 'changed only' checklist holds, against the incident's cases, on its paper."""
    total = db.session.scalar(select(func.count(Case.id)).where(Case.incident_id == incident_id))
    return (
        f"Bara ärenden ändrade sedan förra PDF-exporten {fmt_time(since)}: {changed} av "
        f"{total} ärenden i driftstoppet. Övriga finns på tidigare checklistor eller i en hel "
        "export."
    )


def _keyed_state(case: CaseExport) -> str:
    """What a case with its steps done still waits for, in words: "5/5 steg" alone read as
    finished on the paper the secretaries tick off while the check against it was still due."""
    if case.status == "keyed_in_ris":
        return ", kontroll kvar"
    if case.status == "closed":
        return ", kontrollerad ✔" if case.verified_at else ", avstämd ✔"
    return ""


BLANK_KINDS: dict[str, pd.BlankKind] = {"BLR": "referral", "BLD": "exam", "BLU": "report"}


def _copy_time(plan: PrintPlan, code: str) -> str | None:
    """The KOPIA time on the blank sheet of code, or None for its first sheet."""
    at = plan.blank_reprint_at(code)
    return fmt_time(at, "%Y-%m-%d %H:%M:%S") if at is not None else None


def blank_stack_pdf(
    codes: list[str], doc_kind: str, config: SiteConfig, user: User, *, reprint: bool = False
) -> bytes:
    """Blank binder sheets for reserved codes, one sheet per code, logged as a print once drawn.

    A code whose sheet was printed before gets a sheet that says KOPIA; reprint: every sheet
    does. Raises PrintFailed when the sheets cannot be drawn (then nothing is logged).
    """
    from printforms import render_blank_stack

    # A second sheet with a code already in circulation is marked, so staff can tell it from
    # the first one if both turn up filled in.
    plan = plan_blank_print(user=user, doc_kind=doc_kind, codes=codes, all_copies=reprint)

    # Filled in at any later hour: where to fax it with the hours, not the contact of the moment.
    reply = steady_reply(config)
    # A filled-in referral goes where the ward referral form sends one; replies to the reply fax.
    referral_faxes = ward_faxes(config) if doc_kind == "BLR" and config.referral_fax else ()

    def draw(judged: PrintPlan) -> bytes:
        return render_blank_stack(
            [
                pd.BlankSheetData(
                    kind=BLANK_KINDS[doc_kind],
                    case_code=code,  # type: ignore[arg-type]
                    qr_payload=make_case_payload(code, doc_kind, 1),
                    department=config.department or config.name,
                    department_fax=reply.fax,
                    department_phone=reply.phone,
                    department_hours=reply.hours,
                    then_fax=reply.then_fax,
                    then_phone=reply.then_phone,
                    priorities=tuple(p.label for p in config.priorities),
                    reprint_at=_copy_time(judged, code),
                    referral_faxes=referral_faxes,
                )
                for code in codes
            ]
        )

    return print_pdf(plan, draw)
