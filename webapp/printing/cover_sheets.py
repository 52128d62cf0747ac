"""The sheets about a case's paper rather than its findings: the red tray's cover, and the
notice faxed to the referrer that an exam will not be done."""

from __future__ import annotations

from dataclasses import replace

from printforms import data as pd

from ..cases.display import ARRIVAL_LABELS
from ..extensions import db
from ..models import Case, User
from ..siteconfig import SiteConfig
from .services import Printed
from .sheet_parts import _fax, _meta, _named_exam, _requested_exam, fmt_time, sheet_patient
from .versions import case_changes, document_version

CATCHUP_LABELS = (
    "Bokad i RIS",
    "Undersökningen klarmarkerad i RIS",
    "Bilderna matchade i PACS",
    "Utlåtandet inlagt i RIS",
    "Lagd på radiologens korr-lista",
    "Kontrollerad mot papperet",
)


def cancel_notice_sheet(case: Case, config: SiteConfig, printed: Printed) -> pd.CancelNoticeData:
    # Here, not at the top: the cases package's views import the printing one.
    from ..cases.cancel_notice import notice_message

    ref = case.referral
    meta = replace(_meta(case, "cancel-notice", config, printed), is_cancelled=False)
    return pd.CancelNoticeData(
        meta=meta,
        patient=sheet_patient(case),
        fax=_fax(case, config, ref.referrer_unit, ref.reply_fax),
        referrer_clinician=ref.referrer_clinician,
        requested_exam=_requested_exam(case),
        referral_arrived=f"{ARRIVAL_LABELS[ref.arrived_via]} {fmt_time(ref.arrived_at)}",
        message=notice_message(case),
        cancelled_at=fmt_time(case.cancelled_at),
        cancelled_by=_cancelled_by(case),
    )


def _cancelled_by(case: Case) -> str:
    user = db.session.get(User, case.cancelled_by_id) if case.cancelled_by_id else None
    return user.display_name if user is not None else ""


def cover_sheet(case: Case, config: SiteConfig, printed: Printed) -> pd.RedTrayData:
    from .documents import available_documents

    names = {"referral": "Remiss", "exam": "Dokumentation", "report": "Utlåtande"}
    changes = case_changes(case.id)
    documents = tuple(
        f"{names[k]} v{document_version(case, k, changes)}"
        for k in available_documents(case)
        if k in names
    )
    steps = CATCHUP_LABELS if config.four_eyes else CATCHUP_LABELS[:-1]
    return pd.RedTrayData(
        meta=_meta(case, "cover", config, printed),
        patient=sheet_patient(case),
        exam=_named_exam(case),
        documents=documents,
        catch_up_steps=steps,
    )
