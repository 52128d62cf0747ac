"""The referral forms: a new referral (which names the patient) and an edit of a saved one.

Their shared fields and rules are in referral_fields; its names are exported here too, as they
were written before it was split off.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g
from wtforms import HiddenField

from ..formutil import version_shown
from ..identity import age_on
from ..models import MAX_ROW_ID
from ..siteconfig import SiteConfig
from ..siteconfig_pregnancy import PregnancyAges
from .arrival_edit import check_arrival_order
from .fields import LocalDateTimeField, site_today
from .formdata import referral_form_incident
from .namesakes import case_saved_by
from .patient_forms import PatientMixin
from .referral_fields import (
    ANSWER_CHOICES,
    ARRIVAL_CHOICES,
    INFECTION_CONTRADICTS,
    TEXT,
    IdempotentForm,
    ReferralFields,
    modality_choices,
    priority_choices,
)

__all__ = [
    "ANSWER_CHOICES",
    "ARRIVAL_CHOICES",
    "INFECTION_CONTRADICTS",
    "TEXT",
    "IdempotentForm",
    "ReferralEditForm",
    "ReferralFields",
    "ReferralForm",
    "current_config",
    "may_be_pregnant",
    "modality_choices",
    "priority_choices",
    "shown_version",
]


def may_be_pregnant(
    ages: PregnancyAges,
    *,
    is_reserve: bool,
    sex: str,
    birth_date: date | None,
    approx_age: int | None,
) -> bool:
    """The age (the site's range) and sex for which a referral asks about pregnancy."""
    if is_reserve:
        return sex != "M" and (approx_age is None or ages.includes(approx_age))
    if sex != "F" or birth_date is None:
        return False
    return ages.includes(age_on(birth_date, site_today()))


class ReferralForm(PatientMixin, ReferralFields):
    """A new referral: it opens a case, so it names the patient."""

    # The incident the form was opened in: a referral typed into it after it ended is refused,
    # not opened in whichever incident is current then.
    incident_id = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if g.get("user") is None:
            # Checked outside a user's request (the demo's own data): no tablet, no incident.
            return True
        incident = referral_form_incident(self)
        # The case this form already opened (sent again after Back) is no other patient: the
        # resend is answered as one (SubmissionConflict).
        saved = case_saved_by(self.form_key.data or "")
        return self.check_namesakes(incident.id if incident else None, exclude_case_id=saved)

    def opened_in(self) -> int | None:
        """The incident the form names (None if none, or not a row id)."""
        value = self.incident_id.data or ""
        if not (value.isascii() and value.isdigit() and len(value) <= 10):
            return None
        return int(value) if int(value) <= MAX_ROW_ID else None

    def may_be_pregnant(self) -> bool:
        """Whether the patient may be pregnant, from the identity typed into the form."""
        if self.id_mode.data == "reserve":
            return may_be_pregnant(
                self._config.pregnancy_ages,
                is_reserve=True,
                sex=self.sex.data or "",
                birth_date=None,
                approx_age=self.approx_age.data,
            )
        if self.parsed_identity is None:
            return False
        return may_be_pregnant(
            self._config.pregnancy_ages,
            is_reserve=False,
            sex=self.parsed_identity.sex,
            birth_date=self.parsed_identity.birth_date,
            approx_age=None,
        )


class ReferralEditForm(ReferralFields):
    """An edit of a saved referral: the identity is changed on its own page, with a reason."""

    # The versions the form showed, so a save from an older screen is refused, not applied.
    version = HiddenField()
    case_version = HiddenField()

    def setup_for(self, config: SiteConfig, case: Any) -> ReferralEditForm:
        """Fill the site's choices, and the case's patient for the pregnancy question."""
        self._case = case
        return self.setup(config)

    def modality_as_performed(self) -> bool:
        """Whether the modality is the one the exam was documented on.

        The exam moves the case to the modality it was done on (the CT asked for, done as an
        MR): the referral still asks for what the referrer asked, and an edit of it that keeps
        that modality is no mismatch, or no referral edit could be saved from then on.
        """
        exam = self._case.exam
        return exam is not None and exam.modality == self.modality.data

    def validate_arrived_at(self, field: LocalDateTimeField) -> None:
        """Not moved past what has happened to the case (the service's rule, said here first)."""
        check_arrival_order(self._case, field)

    def may_be_pregnant(self) -> bool:
        """Whether the case's patient may be pregnant."""
        case = self._case
        return may_be_pregnant(
            self._config.pregnancy_ages,
            is_reserve=case.patient_id_kind == "reserve",
            sex=case.patient_sex or "",
            birth_date=case.patient_birth_date,
            approx_age=case.patient_age_approx,
        )


def shown_version(field: Any) -> int | None:
    """The record version a form showed; None if it showed none (a non-number counts as none)."""
    return version_shown(field.data)


def current_config() -> SiteConfig:
    """The site configuration of the logged-in user."""
    return g.site_config  # type: ignore[no-any-return]
