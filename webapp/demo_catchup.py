"""The demo drill's catch-up (efterregistrering): RIS numbers, ticked steps, checks, waivers.

`demo_steps.PATHS` strings the steps below after a signed report; each writes through the catch-up
services, as the catch-up forms do. demo-sek1 keys the cases into RIS and demo-sek2 does the
four-eyes check (and the waivers), so the verifier is never one of the keyers. With four eyes
demo-sek1 confirms demo-sek2's waivers, so no waiver stands on one person's word. A case whose
target is a signed report and no `catchup_*` target is left "not started".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import TYPE_CHECKING

from .cases.images_sent import record_images_sent
from .cases.submissions import NOT_SENT
from .catchup.ris_numbers import accession_in_use, save_ris_ids
from .catchup.ticking import tick_step
from .catchup.verifying import verify_case
from .catchup.waiving import confirm_waiver, waive_case
from .models import CATCHUP_STEPS, User
from .pacs_rule import only_on_modality
from .siteconfig import Exam, SiteConfig

if TYPE_CHECKING:
    from .demo import CasePlan
    from .demo_steps import DemoContext

KEYER = "demo-sek1"
VERIFIER = "demo-sek2"

# Targets that go on into the catch-up; all start from a signed report.
PARTLY = "catchup_partly"  # RIS accession and the first steps; the report only preliminary
KEYED = "catchup_keyed"  # every step ticked: keyed_in_ris, awaiting the four-eyes check
VERIFIED = "catchup_verified"  # keyed and checked by a second secretary: closed
# Taken out of the catch-up with a reason, and with four eyes confirmed by a second: closed.
WAIVED = "catchup_waived"
TARGETS = (PARTLY, KEYED, VERIFIED, WAIVED)

WAIVE_REASONS = (
    "Registrerad direkt i RIS av jourhavande.",
    "Undersökningen registrerad i RIS på annat sjukhus efter överflyttning.",
    "Registrerad i RIS av avdelningens sekreterare när systemet kom tillbaka.",
)
PRELIMINARY_NOTE = "Inlagt som preliminärt; det definitiva utlåtandet läggs in när det kommer."


@dataclass(frozen=True)
class CatchupPlan:
    """How far the case gets in the catch-up, and what the secretary keys into RIS."""

    accession: str
    exam_number: str
    steps: tuple[str, ...]  # ticked in this order
    waive_reason: str = ""


def ris_base(rng: Random) -> int:
    """The first accession serial of the run; each case adds its index."""
    return rng.randint(10_000_000, 89_000_000)


def plan_catchup(
    rng: Random, config: SiteConfig, exam: Exam, target: str, serial: int, now: datetime
) -> CatchupPlan:
    """The catch-up plan of a `catchup_*` target; `serial` is unique within the run."""
    if target == WAIVED:
        return CatchupPlan("", "", (), waive_reason=rng.choice(WAIVE_REASONS))
    steps = CATCHUP_STEPS if target != PARTLY else CATCHUP_STEPS[: rng.randint(1, 4)]
    return CatchupPlan(
        accession=f"{config.code}{serial:08d}",
        exam_number=f"{exam.modality}{now:%y}-{rng.randint(1, 999_999):06d}",
        steps=tuple(steps),
    )


def _secretary(ctx: DemoContext, username: str) -> User:
    return next(u for u in ctx.staff["secretary"] if u.username == username)


# --- steps ------------------------------------------------------------------------------------


def key_ris_ids(ctx: DemoContext, plan: CasePlan) -> None:
    """demo-sek1 records the RIS accession and exam number (the next free one on a rerun)."""
    assert plan.case_id is not None and plan.catchup is not None
    accession = plan.catchup.accession
    prefix, number = accession[:-8], int(accession[-8:])
    while accession_in_use(ctx.incident.site_id, accession, plan.case_id):
        number += 1
        accession = f"{prefix}{number:08d}"
    save_ris_ids(
        case_id=plan.case_id,
        user=_secretary(ctx, KEYER),
        accession=accession,
        exam_number=plan.catchup.exam_number,
        allow_duplicate=False,
    )


def tick_steps(ctx: DemoContext, plan: CasePlan) -> None:
    """demo-sek1 ticks the planned steps in RIS order; a preliminary report is confirmed.

    After key_ris_ids, whose new accession already marked 'booked' done (booked_by_number).
    """
    assert plan.case_id is not None and plan.catchup is not None
    preliminary = plan.target == PARTLY  # its report is signed preliminary only
    for step in plan.catchup.steps:
        if step == "booked":
            continue
        if step == "images_matched":
            _send_images(ctx, plan)
        confirm = preliminary and step == "report_keyed"
        tick_step(
            case_id=plan.case_id,
            user=_secretary(ctx, KEYER),
            step=step,
            is_done=True,
            four_eyes=ctx.config.four_eyes,
            confirm_preliminary=confirm,
            note=PRELIMINARY_NOTE if confirm else "",
        )


def _send_images(ctx: DemoContext, plan: CasePlan) -> None:
    """Images whose sending failed are sent again and recorded before they are matched: the
    catch-up refuses to match images only on the modality."""
    exam = plan.exam_values
    if not only_on_modality(exam.get("pacs_status")):
        return
    assert plan.case_id is not None
    record_images_sent(
        case_id=plan.case_id,
        user=ctx.actor("radiographer"),
        sent_at=min(exam["ended_at"] + timedelta(minutes=40), ctx.now),
        submit=NOT_SENT,
    )


def verify(ctx: DemoContext, plan: CasePlan) -> None:
    """demo-sek2 checks the keyed case against the paper (four eyes)."""
    assert plan.case_id is not None
    verify_case(
        case_id=plan.case_id, user=_secretary(ctx, VERIFIER), four_eyes=ctx.config.four_eyes
    )


def waive(ctx: DemoContext, plan: CasePlan) -> None:
    """demo-sek2 takes the case out of the catch-up, with the reason."""
    assert plan.case_id is not None and plan.catchup is not None
    waive_case(
        case_id=plan.case_id,
        user=_secretary(ctx, VERIFIER),
        reason=plan.catchup.waive_reason,
        four_eyes=ctx.config.four_eyes,
    )


def confirm_waive(ctx: DemoContext, plan: CasePlan) -> None:
    """With four eyes, demo-sek1 confirms demo-sek2's waiver; without, it stood at once."""
    assert plan.case_id is not None
    if ctx.config.four_eyes:
        confirm_waiver(
            case_id=plan.case_id, user=_secretary(ctx, KEYER), four_eyes=ctx.config.four_eyes
        )
