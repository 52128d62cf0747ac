"""The demo drill's steps for one case, each through the services its form calls, and `PATHS`:
the steps that bring a planned case (`demo.CasePlan`) to each target state.

The report and catch-up steps are in `demo_reports` and `demo_catchup`; `PATHS` strings them
after the steps below.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import demo_catchup as catchup
from . import demo_reports as reports
from .cases.cancelling import cancel_case
from .cases.creation import create_case
from .cases.exam_services import document_exam
from .cases.services import correct_identity
from .cases.submissions import payload_hash
from .models import Incident, User
from .siteconfig import SiteConfig

if TYPE_CHECKING:
    from .demo import CasePlan


@dataclass
class DemoContext:
    """What the steps share: who acts, in which incident, relative to which moment."""

    config: SiteConfig
    incident: Incident
    staff: dict[str, list[User]]
    now: datetime

    def actor(self, role: str, index: int = 0) -> User:
        """A demo user of the role, picked round-robin."""
        users = self.staff[role]
        return users[index % len(users)]


Step = Callable[["DemoContext", "CasePlan"], None]


def _key_and_digest(values: dict[str, Any]) -> tuple[str, str]:
    key = secrets.token_urlsafe(24)
    return key, payload_hash({"form_key": key, **values})


def receive_referral(ctx: DemoContext, plan: CasePlan) -> None:
    """Register the faxed referral, as the referral form does."""
    key, digest = _key_and_digest(plan.referral)
    result = create_case(
        user=ctx.actor("radiographer", plan.arrived_ago),
        incident=ctx.incident,
        identity=plan.patient.identity(),
        priority=plan.priority,
        modality=plan.exam.modality,
        referral=plan.referral,
        form_key=key,
        digest=digest,
        url_for_case=lambda case: f"/cases/{case.id}",
    )
    plan.case_id = result.case_id


def identify_patient(ctx: DemoContext, plan: CasePlan) -> None:
    """Replace the reserve number with the real identity, as the identity form does."""
    assert plan.case_id is not None and plan.corrected is not None
    correct_identity(
        case_id=plan.case_id,
        user=ctx.actor("radiographer", plan.arrived_ago + 1),
        identity=plan.corrected.identity(),
        reason=plan.identity_reason,
    )


def perform_exam(ctx: DemoContext, plan: CasePlan) -> None:
    """Document the exam on the modality, as the documentation form does."""
    assert plan.case_id is not None
    key, digest = _key_and_digest(plan.exam_values)
    document_exam(
        case_id=plan.case_id,
        user=ctx.actor("radiographer", plan.arrived_ago + 2),
        values=plan.exam_values,
        form_key=key,
        digest=digest,
        url=f"/cases/{plan.case_id}",
    )


def cancel(ctx: DemoContext, plan: CasePlan) -> None:
    """Cancel the case with its reason."""
    assert plan.case_id is not None
    cancel_case(case_id=plan.case_id, user=ctx.actor("radiologist"), reason=plan.cancel_reason)


# The steps that lead to each target, in order.
EXAMINED = (receive_referral, perform_exam)
SIGNED = (*EXAMINED, reports.sign_preliminary, reports.sign_definitive)
FAXED = (*SIGNED, reports.fax_to_referrer)
PATHS: dict[str, tuple[Step, ...]] = {
    "referral_received": (receive_referral,),
    "exam_done": EXAMINED,
    "report_draft": (*EXAMINED, reports.write_draft),
    "report_preliminary": (*EXAMINED, reports.sign_preliminary),
    "report_definitive": SIGNED,
    # Faxed after the definitive signature: the addendum needs faxing again.
    "report_addendum": (*SIGNED, reports.fax_to_referrer, reports.write_addendum),
    "report_urgent_called": (*SIGNED, reports.call_referrer, reports.fax_to_referrer),
    "report_urgent_uncalled": SIGNED,
    "report_fax": (*EXAMINED, reports.key_in_fax),
    "cancelled": (receive_referral, cancel),
    catchup.PARTLY: (
        *EXAMINED,
        reports.sign_preliminary,
        reports.fax_to_referrer,
        catchup.key_ris_ids,
        catchup.tick_steps,
    ),
    catchup.KEYED: (*FAXED, catchup.key_ris_ids, catchup.tick_steps),
    catchup.VERIFIED: (*FAXED, catchup.key_ris_ids, catchup.tick_steps, catchup.verify),
    catchup.WAIVED: (*FAXED, catchup.waive, catchup.confirm_waive),
}


def steps_for(plan: CasePlan) -> list[Step]:
    """The path's steps; identity correction and re-prioritising come right after the referral."""
    steps = list(PATHS[plan.target])
    if plan.new_priority:
        steps.insert(1, reports.reprioritise)
    if plan.corrected is not None:
        steps.insert(1, identify_patient)
    return steps


def advance_to(ctx: DemoContext, plan: CasePlan) -> None:
    """Run every step that brings the planned case to its target status."""
    for step in steps_for(plan):
        step(ctx, plan)
