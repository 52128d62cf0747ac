"""Swedish names of the version history's records, fields and stored values (the history page).

The history stores column names and raw values (`state: preliminary`); staff read the labels the
forms use. Form fields give their own label, so a renamed field is renamed here too;
tests/test_history_labels.py checks that every field a service versions has a name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from sqlalchemy import Date, Float, inspect
from wtforms.fields.core import UnboundField

from .cases.display import (
    ANSWER_LABELS,
    ARRIVAL_LABELS,
    ID_KIND_LABELS,
    MOBILITY_LABELS,
    PACS_LABELS,
    SEX_LABELS,
)
from .cases.exam_forms import ROUTE_CHOICES, ExamForm
from .cases.formdata import EXAM_FIELDS, REFERRAL_FIELDS
from .cases.laterality import SIDE_LABELS
from .cases.patient_forms import PatientMixin
from .cases.referral_fields import ReferralFields
from .catchup.forms import RisIdsForm
from .models import Case, CatchupRecord, ExamRecord, Referral, Report, ReportTemplate
from .models.base import UTCDateTime
from .models.report import READ_ON, SECOND_LOOK_OUTCOMES
from .numbers import decimal_text
from .reporting.forms import (
    ProtocolForm,
    ReportForm,
    SecondLookForm,
    TemplateForm,
)
from .reporting.keyed_forms import FaxReportForm
from .web import STATUS_LABELS

ENTITY_LABELS = {
    # A documentation or report blank detached from the case (blanks/detaching.py).
    "blank": "Blankett",
    "case": "Ärende",
    "catchup": "Efterregistrering",
    "exam": "Dokumentation",
    "referral": "Remiss",
    "report": "Utlåtande",
    "template": "Svarsmall",
}
ENTITY_MODELS: dict[str, type] = {
    "case": Case,
    "catchup": CatchupRecord,
    "exam": ExamRecord,
    "referral": Referral,
    "report": Report,
    "template": ReportTemplate,
}


def _label(form: type, name: str) -> str:
    field = getattr(form, name)
    text = None
    if isinstance(field, UnboundField):
        text = field.kwargs.get("label") or next(iter(field.args), None)
    if not isinstance(text, str) or not text:
        raise RuntimeError(f"{form.__name__}.{name} has no label to show in the history")
    return text


def _labels(form: type, names: Mapping[str, str] | tuple[str, ...]) -> dict[str, str]:
    """Column: the form field's label; a mapping names the form field when it differs."""
    pairs = names.items() if isinstance(names, Mapping) else ((n, n) for n in names)
    return {column: _label(form, field) for column, field in pairs}


def _except(names: tuple[str, ...], *left_out: str) -> tuple[str, ...]:
    return tuple(n for n in names if n not in left_out)


# Columns no form shows under the same name: kept by the services beside the form's values.
_EXAM_CODE = "Undersökningskod"

FIELD_LABELS: dict[str, dict[str, str]] = {
    "blank": {"blank": "Kopplad blankett"},
    "case": {
        **_labels(ReferralFields, ("priority", "modality")),
        **_labels(PatientMixin, {"patient_name": "patient_name", "patient_sex": "sex"}),
        **_labels(PatientMixin, {"patient_age_approx": "approx_age"}),
        "patient_id_kind": "Typ av identitet",
        "patient_id": "Identitetsnummer",
        "patient_birth_date": "Födelsedatum",
        "status": "Status",
        "cancelled_reason": "Orsak till makulering",
        "cancelled_message": "Meddelande till remittenten",
        # A move to another incident (cases/moving.py).
        "incident_id": "Driftstopp",
        "in_drill": "Övning",
        **_labels(ProtocolForm, ("protocol",)),
    },
    "referral": {
        **_labels(ReferralFields, _except(REFERRAL_FIELDS, "exam_code")),
        "exam_code": _EXAM_CODE,
        # Typed in the value's own field (">90"); a change of the bound alone is one too.
        "egfr_bound": "Gräns för eGFR (> eller <)",
        "creatinine_bound": "Gräns för kreatinin (> eller <)",
    },
    "exam": {
        **_labels(
            ExamForm, (*_except(EXAM_FIELDS, "exam_code"), "side_confirmed", "short_scan_confirmed")
        ),
        "exam_code": _EXAM_CODE,
    },
    "report": {
        **_labels(ReportForm, ("is_urgent", "read_on")),
        **_labels(SecondLookForm, {"second_look_outcome": "outcome"}),
        "second_look_at": "Eftergranskad i PACS",
        "second_look_by_id": "Eftergranskad av",
        **_labels(FaxReportForm, ("author_name", "state")),
        "sections": "Utlåtandets text",
        "template_id": "Svarsmall",
    },
    "catchup": _labels(RisIdsForm, ("ris_accession", "ris_exam_number")),
    "template": _labels(
        TemplateForm, ("name", "modality", "exam_codes", "sections", "phrases", "is_active")
    ),
}
REPORT_STATE_LABELS = {
    "draft": "Utkast, ej signerat",
    "preliminary": "Preliminärt signerat",
    "definitive": "Definitivt signerat",
}
_VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "state": REPORT_STATE_LABELS,
    "status": STATUS_LABELS,
    "contrast_allergy": ANSWER_LABELS,
    "metformin": ANSWER_LABELS,
    "pregnancy": ANSWER_LABELS,
    "pacemaker": ANSWER_LABELS,
    "implants": ANSWER_LABELS,
    "infection": ANSWER_LABELS,
    "mobility": MOBILITY_LABELS,
    "arrived_via": ARRIVAL_LABELS,
    "pacs_status": PACS_LABELS,
    "patient_sex": SEX_LABELS,
    "patient_id_kind": ID_KIND_LABELS,
    "contrast_route": dict(ROUTE_CHOICES),
    "side": SIDE_LABELS,
    "read_on": READ_ON,
    "second_look_outcome": SECOND_LOOK_OUTCOMES,
}


@dataclass(frozen=True)
class Shown:
    """A value as the page shows it; `label` when it is UI text to translate, not data."""

    text: str
    label: bool = False


@dataclass(frozen=True)
class ChangeRow:
    """One changed field: its label and the values before and after."""

    field: str
    before: Shown
    after: Shown


def _column_kinds(model: type) -> dict[str, str]:
    kinds = {}
    columns: list[Any] = list(inspect(model).columns)
    for column in columns:
        if isinstance(column.type, UTCDateTime):
            kinds[column.key] = "datetime"
        elif isinstance(column.type, Date):
            kinds[column.key] = "date"
        elif isinstance(column.type, Float):
            kinds[column.key] = "number"
    return kinds


_KINDS = {entity: _column_kinds(model) for entity, model in ENTITY_MODELS.items()}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) <= {"heading", "text"}:
            return "\n".join(str(value.get(k) or "") for k in ("heading", "text")).strip()
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class ValueContext:
    """What showing a stored value needs from the site and the request."""

    priority_label: Callable[[str], str]
    modality_name: Callable[[str], str]
    local_time: Callable[[datetime], str]
    template_names: Mapping[int, str]
    # Who did what a column names by user id (the second look's radiologist): by user id.
    user_names: Mapping[int, str] = dataclass_field(default_factory=dict)


def show_value(entity: str, field: str, value: Any, ctx: ValueContext) -> Shown:
    """One stored value as staff read it: labels for codes, local time, decimal comma."""
    if value is None or value == "" or value == []:
        return Shown("–")
    if isinstance(value, bool):
        return Shown("Ja" if value else "Nej", label=True)
    labels = _VALUE_LABELS.get(field)
    if labels is not None and value in labels:
        return Shown(labels[value], label=True)
    if field == "priority":
        return Shown(ctx.priority_label(str(value)))
    if field == "modality":
        return Shown(ctx.modality_name(str(value)))
    if field == "template_id":
        return Shown(ctx.template_names.get(int(value), f"#{value}"))
    if field == "second_look_by_id":
        return Shown(ctx.user_names.get(int(value), f"#{value}"))
    kind = _KINDS[entity].get(field) if entity in _KINDS else None
    if kind == "datetime" and isinstance(value, str):
        return Shown(ctx.local_time(datetime.fromisoformat(value)))
    if kind == "number" and isinstance(value, int | float):
        return Shown(decimal_text(value))
    return Shown(_text(value))


def field_names(entity: str, names: Iterable[str]) -> list[str]:
    """Changed columns by their forms' labels, as the audit log names them."""
    labels = FIELD_LABELS.get(entity, {})
    return [labels.get(name, name) for name in names]


def change_rows(entity: str, changes: Mapping[str, Any], ctx: ValueContext) -> list[ChangeRow]:
    """A version's changed fields as labelled rows, in the order the services stored them."""
    labels = FIELD_LABELS.get(entity, {})
    return [
        ChangeRow(
            labels.get(name, name),
            show_value(entity, name, pair[0], ctx),
            show_value(entity, name, pair[1], ctx),
        )
        for name, pair in changes.items()
    ]
