"""Ending an incident: refused while a case, a task, a follow-up or a form is left over."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..identity import format_patient_id
from ..models import Case, Incident, User, utcnow
from ..refusal import Message
from ..siteconfig import SiteConfig
from .close_blanks import confirm_blanks, loose_blanks
from .close_checks import NOTHING_CONFIRMED, CloseConfirmations, check_confirmations
from .close_drafts import unsent_drafts
from .close_left_open import check_left_open
from .closing import open_tasks, outstanding_cases, outstanding_count
from .errors import CloseRefused, IncidentError, NamedCase, NamedDraft
from .restored import unmade_follow_up

OUTSTANDING_ONE = (
    "1 ärende är inte avstämt. Ett driftstopp kan avslutas först när alla ärenden är avstämda "
    "eller undantagna med motivering."
)
OUTSTANDING_MANY = (
    "%(n)s ärenden är inte avstämda. Ett driftstopp kan avslutas först när alla ärenden är "
    "avstämda eller undantagna med motivering."
)
TASKS_LEFT = "Kvar att göra innan driftstoppet kan avslutas: %(tasks)s"
FOLLOW_UP_LEFT = (
    "Kvar att göra innan driftstoppet kan avslutas: %(follow_up)s Markera på driftstoppets sida "
    "att systemen fungerar igen, och bocka av uppföljningen där."
)
FOLLOW_UP_NOT_MADE = "Uppföljning: %(label)s är inte gjord."
DRAFTS_LEFT_ONE = (
    "1 formulär har börjat fyllas i men inte skickats: %(forms)s. Öppna och skicka det, eller "
    "släng det (listade under Formulär som inte skickats); efter avslutet kan det inte skickas."
)
DRAFTS_LEFT_MANY = (
    "%(n)s formulär har börjat fyllas i men inte skickats: %(forms)s. Öppna och skicka dem, "
    "eller släng dem (listade under Formulär som inte skickats); efter avslutet kan de inte "
    "skickas."
)

# A refused close links each case or form it names, up to this many; "och N till" the rest.
NAMED_AT_MOST = 10


def end_incident(
    *,
    incident_id: int,
    user: User,
    confirmed: CloseConfirmations = NOTHING_CONFIRMED,
    config: SiteConfig | None = None,
    sent: SentOnce = NOT_SENT,
) -> Incident | SubmitResult:
    """End an incident (admin); the same form sent again returns the first end's stored result.

    With the site's `config`, the scenario's follow-up (telling TiB the systems work again)
    must be done first: the wards otherwise keep referring on paper.

    A patient still on a reserve number can no longer be corrected here once the incident has
    ended, so the admin confirms that those stay under their reserve numbers in RIS.

    A signed report not logged as faxed to the referrer does not block the end: every case is
    in RIS by then, where the referrer reads the report, and the fax may have gone unlogged. The
    admin confirms it knowingly, and the audit row names the cases. So too for a (waived or
    cancelled) case whose images are only on the modality: after the end they can no longer be
    recorded as sent to PACS. And for a report blank joined over a signed report with no
    addendum since: after the end the addendum, if the blank differs, is written in RIS. And
    for an image transfer still open (worked on its page after the end, but no outage list
    shows it then), and for a blank joined to a case since cancelled whose exam or report is
    not typed in (close_left_open): the cancelled case waits for nothing, so its paper would
    go unread.

    A blank printed before the end, neither joined nor voided (one confirmed at an earlier close
    too), is most likely unused and back in the binder; the admin confirms that none of those
    the page listed (confirmed.blanks, their codes) is filled in, and the audit row names them.
    """

    def write(session: Session) -> Incident:
        # Locked first (PostgreSQL): a referral opening a case here waits, or is waited for and
        # then counted below, so no case lands in an incident that has just ended.
        # The order of the close's row locks: the incident, its cases, then the site's loose
        # blanks; a join or a detach of a blank takes its case, then the blank, so neither waits
        # for a lock the other took after one it holds. FOR NO KEY UPDATE, not FOR UPDATE: such
        # a change's audit row refers to the incident (a foreign key check takes FOR KEY
        # SHARE), and blocked on it, holding its case, it would deadlock with this close.
        incident = session.get(Incident, incident_id, with_for_update={"key_share": True})
        if incident is None:
            raise IncidentError("Driftstoppet finns inte.")
        if not incident.is_open:
            raise IncidentError("Driftstoppet är redan avslutat.")
        if session.connection().dialect.name != "sqlite":
            # A change in flight to one of its cases (a step undone, a report signed again
            # after keying) holds that case's row, having read that the incident is open: the
            # close waits for it and counts what it left, or the case would be outstanding
            # again in an ended incident. A change that comes after finds the incident ended.
            session.execute(
                select(Case.id).where(Case.incident_id == incident_id).with_for_update()
            )
        remaining = outstanding_count(incident_id)
        if remaining:
            named = outstanding_cases(incident_id, NAMED_AT_MOST)
            raise CloseRefused(
                OUTSTANDING_ONE if remaining == 1 else OUTSTANDING_MANY,
                cases=[
                    NamedCase(
                        r.id,
                        r.code,
                        r.patient_name,
                        patient_number=format_patient_id(r.patient_id_kind, r.patient_id),
                    )
                    for r in named
                ],
                more=max(0, remaining - len(named)),
                n=remaining,
            )
        tasks = open_tasks(incident_id)
        if tasks:
            raise CloseRefused(
                TASKS_LEFT,
                cases=[
                    NamedCase(
                        t.case_id,
                        t.code,
                        t.patient_name,
                        t.kind,
                        t.about,
                        patient_number=t.patient_number,
                    )
                    for t in tasks[:NAMED_AT_MOST]
                ],
                more=max(0, len(tasks) - NAMED_AT_MOST),
                tasks=Message.joined(t.line for t in tasks),
            )
        scenario = config.scenarios.get(incident.scenario) if config else None
        unmade = unmade_follow_up(incident_id, scenario.follow_up) if scenario else []
        if unmade:
            # The follow-up's label is the site's own text, as its configuration writes it.
            raise IncidentError(
                FOLLOW_UP_LEFT,
                follow_up=Message.joined(
                    Message(FOLLOW_UP_NOT_MADE, {"label": label}) for label in unmade
                ),
            )
        drafts = unsent_drafts(incident_id)
        if drafts:
            raise CloseRefused(
                DRAFTS_LEFT_ONE if len(drafts) == 1 else DRAFTS_LEFT_MANY,
                drafts=[
                    NamedDraft(d.kind, d.form_key, d.case_id, d.sheet, d.named)
                    for d in drafts[:NAMED_AT_MOST]
                ],
                more=max(0, len(drafts) - NAMED_AT_MOST),
                n=len(drafts),
                forms=Message.joined((d.named for d in drafts), "; "),
            )
        # Locked (PostgreSQL): a join or a void of one of them in flight is waited for, then
        # read as done; one printed since the page was drawn is asked about.
        blanks = confirm_blanks(loose_blanks(incident, lock=True), confirmed=confirmed.blanks)
        unidentified, unfaxed, on_modality, over_signed, unnotified = check_confirmations(
            incident_id,
            confirmed,
            notifications=scenario.notifications if scenario else (),
        )
        transfers, cancelled_blanks = check_left_open(incident_id, confirmed)
        incident.ended_at = utcnow()
        incident.ended_by_id = user.id
        details = []
        if unidentified:
            details.append(f"kvar under reservnummer: {', '.join(unidentified)}")
        if unfaxed:
            details.append(f"svar ej loggade som faxade: {', '.join(unfaxed)}")
        if on_modality:
            details.append(f"bilder bara på modaliteten: {', '.join(on_modality)}")
        if over_signed:
            details.append(f"blankett över signerat utlåtande: {', '.join(over_signed)}")
        if unnotified:
            details.append(f"underrättelser ej avbockade: {', '.join(unnotified)}")
        if transfers:
            details.append(f"bildöverföringar pågår: {', '.join(transfers)}")
        if cancelled_blanks:
            details.append(f"blanketter på makulerade ärenden: {', '.join(cancelled_blanks)}")
        if blanks:
            details.append(f"blanketter kontrollerade som oifyllda: {', '.join(blanks)}")
        log_event("incident_end", user=user, incident_id=incident_id, detail="; ".join(details))
        return incident

    return sent.store(user.id, "incident_end", write, IncidentError)
