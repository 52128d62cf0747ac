"""Demo data for the routines: reviewer exchanges, transfers and releases in a drill incident.

Called by the demo command after its cases exist (needs an app context); every write goes
through the routines' services, so the drill's audit trail looks like a real night.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..call_rule import has_urgent_finding
from ..checklist_keys import text_key
from ..extensions import db
from ..models import Case, Incident, User
from ..siteconfig import SiteConfig
from .handover import Handover
from .queries import release_context
from .release_services import hand_over, release_images
from .reviewer_answer_services import has_signed_report, receive_report
from .reviewer_services import log_fax_sent, log_image_route, log_verbal_answer
from .rules import ReleaseRequest
from .transfer_services import TransferValues, create_transfer, log_attempt, tick_check

# A person's name, as staff type it: the screens and the call note already say "extern granskare".
DEMO_REVIEWER = "Dr Henrik Lövqvist"


def add_demo_routines(
    *, config: SiteConfig, incident: Incident, staff: dict[str, list[User]], now: datetime
) -> dict[str, int]:
    """Add a few exchanges, transfers and releases to the incident; returns how many of each."""
    radiographer, secretary = staff["radiographer"][0], staff["secretary"][0]
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.incident_id == incident.id, Case.status != "cancelled")
            .order_by(Case.id)
        )
    )
    signed = [c for c in cases if c.report is not None and c.report.state == "definitive"]
    unsigned = [c for c in cases if c.exam is not None and c not in signed]
    counts = {"exchanges": 0, "transfers": 0, "releases": 0}
    rc = config.routines

    reviewer_fax = config.contacts.get(rc.external_reviewer.fax_contact)
    for n, case in enumerate(unsigned[:2]):
        log_fax_sent(
            case_id=case.id,
            user=radiographer,
            number=reviewer_fax.fax if reviewer_fax and reviewer_fax.fax else "0000-000 00",
            sent_at=now - timedelta(minutes=50 - n * 10),
        )
        if rc.external_reviewer.routes:
            route = rc.external_reviewer.routes[0]
            log_image_route(
                case_id=case.id,
                user=radiographer,
                route_key=route.key,
                route_name=route.name,
                outcome="failed",
                note="Ingen kontakt med mottagaren.",
            )
        counts["exchanges"] += 1
    if unsigned:
        first = unsigned[0]
        log_verbal_answer(
            case_id=first.id,
            user=radiographer,
            reviewer_name=DEMO_REVIEWER,
            called_person=first.referral.referrer_clinician if first.referral else "Remittenten",
            at=now - timedelta(minutes=30),
        )
        receive_report(
            case_id=first.id,
            user=radiographer,
            received_at=now - timedelta(minutes=20),
            reviewer_name=DEMO_REVIEWER,
            # As staff may only: a copy is printed from a signed report.
            forwarded_to_referrer=has_signed_report(db.session(), first.id),
            unfaxed_confirmed=True,
        )

    counterparts = rc.transfer.counterparts
    if counterparts:
        target = counterparts[0]
        transfer = create_transfer(
            user=radiographer,
            config=config,
            incident=incident,
            values=TransferValues(
                direction="send",
                counterpart_key=target.key,
                urgency=config.priorities[0].code,
                case_id=cases[0].id if cases else None,
                exam_text="" if cases else "DT hjärna",
            ),
        )
        log_attempt(
            transfer_id=transfer.id,
            user=radiographer,
            config=config,
            route="direct",
            outcome="failed",
            note="Länkdatorn svarar inte.",
        )
        if rc.transfer.problems_sending:
            tick_check(
                transfer_id=transfer.id,
                user=radiographer,
                config=config,
                list_key="send",
                item_key=text_key(rc.transfer.problems_sending[0]),
                is_done=True,
            )
        via = rc.transfer.routes_via(target)
        if via:
            log_attempt(
                transfer_id=transfer.id,
                user=radiographer,
                config=config,
                route="via_region",
                via_region=via[0],
                outcome="ok",
            )
        create_transfer(
            user=radiographer,
            config=config,
            incident=incident,
            values=TransferValues(
                direction="receive",
                counterpart_key=counterparts[-1].key,
                urgency=config.priorities[0].code,
                exam_text="DT thorax-buk (från annan region)",
                # The other region's reserve number, as the patient arrives with it: an ID,
                # never a phrase, so the list reads the same in either language.
                patient_ref="RES-2026-0412",
            ),
        )
        counts["transfers"] += 2

    ctx = release_context(config)
    # The patient's release names a case with no urgent finding: one with it needs a doctor.
    plain = [c for c in signed if not has_urgent_finding(c.report)]
    if plain:
        release = release_images(
            case_id=plain[0].id,
            user=secretary,
            incident=incident,
            request=ReleaseRequest(
                recipient_kind="patient",
                channel="media",
                media_kind="cd",
                delivery="pickup",
                findings_positive="no",
                billing_recorded=True,
            ),
            ctx=ctx,
        )
        hand_over(
            release_id=release.id,
            user=secretary,
            handover=Handover("patient", patient_id_checked=True),
            ctx=ctx,
        )
        counts["releases"] += 1
    if unsigned and rc.release.own_region_hospitals:
        release_images(
            case_id=unsigned[-1].id,
            user=radiographer,
            incident=incident,
            request=ReleaseRequest(
                recipient_kind="own_region_hospital",
                recipient_name=rc.release.own_region_hospitals[0],
                channel="archive_push",
            ),
            ctx=ctx,
        )
        counts["releases"] += 1
    return counts
