"""Field lists and form-to-model values shared by the case views."""

from __future__ import annotations

from typing import Any

from flask import g

from ..i18n import gettext, refusal_text
from ..incidents.queries import current_incident, incident_of_site
from ..models import Incident
from ..numbers import decimal_point_text
from ..sites import reload_site_context
from .errors import (
    REFERRAL_DRILL_NOW_REAL,
    ArrivalBeforeIncident,
    CodeGone,
    FormDrillNowReal,
    FormIncidentEnded,
    SideDiffers,
)

REFERRAL_FIELDS = (
    "referrer_unit",
    "referrer_clinician",
    "referrer_phone",
    "reply_fax",
    "exam_code",
    "exam_text",
    "side",
    "contrast_planned",
    "clinical_question",
    "history",
    "contrast_allergy",
    "egfr",
    "creatinine",
    "kidney_measured_on",
    "kidney_unknown",
    "metformin",
    "pregnancy",
    "pacemaker",
    "implants",
    "implants_note",
    "infection",
    "infection_note",
    "mobility",
    "arrived_via",
    "arrived_at",
)
EXAM_FIELDS = (
    "modality",
    "room",
    "exam_code",
    "exam_text",
    "side",
    "started_at",
    "ended_at",
    "radiographers",
    "modality_temp_id",
    "contrast_agent",
    "contrast_volume_ml",
    "contrast_route",
    "contrast_batch",
    "contrast_batch_unknown",
    "patient_weight_kg",
    "dlp_mgycm",
    "ctdivol_mgy",
    "dap_gycm2",
    "fluoro_seconds",
    "series_count",
    "image_count",
    "pacs_status",
    "pacs_sent_at",
    "complications",
    "notes",
)
NUMERIC = {
    "egfr",
    "creatinine",
    "contrast_volume_ml",
    "patient_weight_kg",
    "dlp_mgycm",
    "ctdivol_mgy",
    "dap_gycm2",
    "fluoro_seconds",
}

# Lab values that may carry the lab's bound (">90"): LabValueField.
LAB_VALUES = {"egfr", "creatinine"}


def lab_form_data(record: Any, name: str) -> Any:
    """A stored lab value as its field shows it again: ">90" with its bound, else the number."""
    value = getattr(record, name)
    bound = getattr(record, f"{name}_bound", "")
    return f"{bound}{decimal_point_text(value)}" if value is not None and bound else value


def form_values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The validated values of a form, typed as the models store them."""
    values = {}
    for name in names:
        value = form[name].data
        if name in NUMERIC and value is not None:
            value = float(value)
        if (
            value is None
            and name not in NUMERIC
            and name
            not in (
                "kidney_measured_on",
                "arrived_at",
                "ended_at",
                "pacs_sent_at",
                "series_count",
                "image_count",
            )
        ):
            value = ""
        values[name] = value
    for name in LAB_VALUES & set(names):
        # Stored beside the number: ">90" is kept as the lab gave it.
        values[f"{name}_bound"] = form[name].bound if values[name] is not None else ""
    if "contrast_batch_unknown" in values:
        values["contrast_batch_unknown"] = bool(values["contrast_batch_unknown"])
    if "kidney_unknown" in values:
        values["kidney_unknown"] = bool(values["kidney_unknown"])
        values["contrast_planned"] = bool(values["contrast_planned"])
    return values


def catalogue_data() -> list[dict[str, Any]]:
    """The exam catalogue for the browser's search and safety rules."""
    return [
        {
            "code": e.code,
            "name": e.name,
            "modality": e.modality,
            "contrast": e.contrast,
            "mr": e.mr_safety,
            "pregnancy": e.pregnancy,
            "sided": e.sided,
        }
        for e in g.site_config.exams
    ]


def modality_flags() -> dict[str, dict[str, bool]]:
    """Which modalities ask about pregnancy and MR safety."""
    return {m.code: {"pregnancy": m.pregnancy, "mr": m.mr_safety} for m in g.site_config.modalities}


def submit_referral(form: Any, incident: Any, code: str | None = None) -> Any:
    """Open a case from a validated referral form (new referral or a filled binder blank).

    With incident None the case opens in the tablet's current incident, which the service finds
    inside its write transaction (NoOpenIncident if there is none).
    """
    from flask import request, session, url_for

    from .creation import create_case
    from .services import RESERVE_LIKE_PNR_CONFIRMED
    from .submissions import payload_hash

    chosen = session.get("incident_id")
    return create_case(
        user=g.user,
        incident=incident,
        identity=form.identity_values(),
        priority=form.priority.data or "",
        modality=form.modality.data or "",
        referral=form_values(form, REFERRAL_FIELDS),
        form_key=form.form_key.data or "",
        digest=payload_hash(request.form),
        url_for_case=lambda case: url_for("cases.show", case_id=case.id),
        code=code,
        chosen_incident_id=chosen if isinstance(chosen, int) else None,
        audit_note=RESERVE_LIKE_PNR_CONFIRMED if form.reserve_like_personal_number else "",
        opened_in=form.opened_in(),
        arrival_confirmed=form.arrival_confirmed_now,
        namesake_ticked=form.namesake_ticked,
    )


def referral_form_incident(form: Any) -> Incident | None:
    """The incident a new referral's form is shown in: the tablet's current one, but on a
    submit from a form opened in an incident that has ended since, that one (the submit is
    refused there, the text kept, rather than the page moved to another incident or none)."""
    opened = form.opened_in() if form.is_submitted() else None
    if opened is not None:
        incident = incident_of_site(g.user.site_id, opened)
        if incident is not None and incident.ended_at is not None:
            return incident
    return current_incident()


# The form's incident ended while another is running: its referral may belong there (the tablet
# kept the page open into the next outage), but only the person who typed it can tell.
REFERRAL_TO_RUNNING = (
    "Driftstoppet som formuläret öppnades i är avslutat, men ett annat pågår nu: %(title)s. "
    "Remissen är inte sparad. Läs igenom den och tryck Spara remissen igen, så läggs den i det "
    "driftstoppet."
)


def refused_after_end(form: Any, exc: FormIncidentEnded) -> str:
    """The message for a referral refused as its form's incident has ended, or was a drill with
    a real outage running now (text kept).

    With another incident running now, the form is moved to it: the next Spara, after the
    user has read this, opens the case there. Else the referral goes into RIS directly.
    """
    running = current_incident()
    if running is None or running.id == exc.incident_id:
        return gettext(str(exc))
    form.incident_id.data = str(running.id)
    if isinstance(exc, FormDrillNowReal):
        return gettext(REFERRAL_DRILL_NOW_REAL, title=running.title)
    return gettext(REFERRAL_TO_RUNNING, title=running.title)


def show_code_gone(form: Any, exc: CodeGone) -> None:
    """A save removed a code the form offered: the form gets the choices saved now, and the
    message goes next to the field, the rest of what was typed kept."""
    reload_site_context(g.user.site_id)
    form.setup(g.site_config)
    field = form[exc.field]
    field.errors = [*field.errors, refusal_text(exc)]


def show_beside(field: Any, exc: Exception) -> None:
    """A service's refusal of one field's value, said next to it, the rest of the form kept."""
    field.errors = [*field.errors, refusal_text(exc)]


def ask_about_arrival(form: Any, exc: ArrivalBeforeIncident) -> None:
    """The service's question of an arrival long before the incident, said next to it, with
    the box that confirms it (arrival_confirmation); the rest of the form kept."""
    form.ask_arrival_confirmation(refusal_text(exc))


def prefill_referral_side(form: Any, case: Any) -> None:
    """The referral's side the exam form compares with, and a stored confirmation's pair."""
    referred = case.referral.side if case.referral is not None else ""
    form.referral_side.data = referred
    exam = case.exam
    if exam is not None and exam.side_confirmed and form.side.data == exam.side:
        # Confirmed against this referral side: a save that keeps both is not asked again
        # (the box is drawn ticked, its value the pair of sides now).
        form.side_confirmed.data = True


def show_side_differs(form: Any, exc: SideDiffers) -> None:
    """The referral's side changed under the form: compared anew, asked again in the box."""
    form.referral_side.data = exc.referral_side
    form.side_confirmed.data = False
    form.side_confirmed.errors = [*form.side_confirmed.errors, refusal_text(exc)]
