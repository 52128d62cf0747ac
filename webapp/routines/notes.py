"""The note for the referral notes (remissanteckning) of a release: pure text from plain facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..release_terms import MEDIA_LABELS, RECIPIENT_LABELS
from .handover import Handover
from .rules import ReleaseContext


@dataclass(frozen=True)
class NoteFacts:
    """Plain facts for the referral note (remissanteckning)."""

    at: datetime
    recipient_kind: str
    recipient_name: str
    channel: str
    media_kind: str = ""
    delivery: str = ""
    includes_report: bool = False
    report_state: str = ""
    doctor_cleared_by: str = ""
    billing_recorded: bool = False
    handover: Handover | None = None
    handed_over_at: datetime | None = None
    signed_by: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)


def _recipient_phrase(f: NoteFacts) -> str:
    if f.recipient_kind == "patient":
        return "patienten"
    if f.recipient_kind == "proxy":
        return "patienten (via ombud)"
    if f.recipient_kind == "abroad":
        return "patienten (bosatt/vårdas utomlands)" + (
            f", {f.recipient_name}" if f.recipient_name else ""
        )
    return f.recipient_name or RECIPIENT_LABELS[f.recipient_kind].lower()


def referral_note(f: NoteFacts, ctx: ReleaseContext) -> str:
    """The text to copy into the referral notes: what was sent, how, to whom, ID checked."""
    state = {"preliminary": "preliminärt", "definitive": "definitivt"}.get(f.report_state, "")
    content = "undersökningsbilder"
    if f.includes_report:
        content += f" och svarsutlåtande ({state} signerat)"
    elif f.channel != "archive_push":
        content += " (utan svarsutlåtande: ej signerat)"
    who = _recipient_phrase(f)
    if f.channel == "archive_push":
        sentence = (
            f"Skickat {content} till {ctx.archive_name} via {ctx.archive_push_route} "
            f"för {who} (inom {ctx.region})."
        )
    elif f.channel == "iep":
        sentence = f"Skickat {content} via {ctx.iep_name} till {who}."
    else:
        medium = MEDIA_LABELS.get(f.media_kind, "CD")
        how = {
            "post": "skickat med post"
            + (
                " till folkbokföringsadressen (ej rekommenderat)"
                if f.recipient_kind == "patient"
                else ""
            ),
            "pickup": "för hämtning i receptionen",
            "with_patient": "lämnat till patienten",
        }.get(f.delivery, "")
        sentence = f"Bränt {medium} med {content}, {how}, till {who}.".replace(", , ", ", ")
    parts = [f"{f.at:%Y-%m-%d %H:%M} {sentence}"]
    if f.doctor_cleared_by:
        parts.append(f"Positiva fynd: utlämnandet godkänt av {f.doctor_cleared_by}.")
    if f.billing_recorded:
        parts.append(f"Fakturaunderlag skickat till {ctx.billing_unit}.")
    h = f.handover
    if h is not None and f.handed_over_at is not None:
        if h.recipient_kind == "proxy":
            parts.append(
                f"{f.handed_over_at:%Y-%m-%d %H:%M} Utlämnat till ombud {h.proxy_name}: fullmakt "
                "mottagen, ID-handling kontrollerad för både ombud och patient."
            )
        else:
            parts.append(
                f"{f.handed_over_at:%Y-%m-%d %H:%M} Utlämnat till patienten: giltig ID-handling "
                "kontrollerad."
            )
    parts.extend(f.extra)
    if f.signed_by:
        parts.append(f"/{f.signed_by}")
    return " ".join(parts)
