"""The patient's identity on a form: personnummer or reserve number, as the referral and the
identity correction ask for it."""

from __future__ import annotations

from typing import Any

from flask import g
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..formutil import CODE_KEYS, NAME_KEYS, PERSONAL_NUMBER_KEYS, BaseForm, choices
from ..i18n import refusal_text
from ..identity import (
    INPUT_PATTERN,
    MAX_AGE,
    RESERVE_MAX_LEN,
    IdentityError,
    is_personal_number,
    normalize_reserve_number,
    parse_patient_number,
)
from .fields import WholeNumberField, clean_text, site_today
from .namesakes import Namesake, name_key, namesakes, question_for

SEX_CHOICES = [("F", "Kvinna"), ("M", "Man"), ("U", "Okänt")]
# The boxes the laptop asks to be ticked, and what each tick is for. They answer the page that
# asked, so they are never kept in a draft: a copy put back on a later page would put an older
# answer (or none) in place of what that page asks, and a tick would never count, or would count
# for another patient. draft-copies.js leaves out fields marked so; the draft store drops them too.
NOT_DRAFTED = {"data-draft-skip": ""}
NOT_DRAFTED_FIELDS = frozenset(
    (
        "reserve_confirmed",
        "reserve_confirmed_for",
        "namesake_confirmed",
        "namesake_confirmed_for",
        "confirm_patient",
        "confirm_patient_for",
        # arrival_confirmation.py
        "arrival_confirmed",
        "arrival_confirmed_for",
        # notice_forms.CancelForm: the RIS/PACS clean-up the cancel form says is left.
        "confirm_ris_pacs",
    )
)
TEXT = [clean_text]
# The box beside the namesakes of the identity (here) or of a case moved (move_forms).
NAMESAKE_LABEL = "Det är rätt patient – jag har kontrollerat namn och nummer"
LOOKS_LIKE_PERSONAL_NUMBER = (
    "Det här ser ut som ett personnummer. Välj personnummer ovan om det är patientens, eller "
    "kryssa i rutan om det är ett reservnummer."
)
NUMBER_CHANGED = (
    "Numret har ändrats sedan rutan kryssades, och även det här ser ut som ett personnummer. "
    "Kryssa i rutan igen om det är ett reservnummer."
)


def _same_number(a: str, b: str) -> bool:
    # As normalize_reserve_number stores it: spaces and case do not make another number.
    return "".join(a.split()).upper() == "".join(b.split()).upper()


class PatientMixin:
    id_mode = RadioField(
        "Patientens identitet",
        choices=choices(
            [
                ("pnr", "Personnummer / samordningsnummer"),
                ("reserve", "Okänd patient (reservnummer)"),
            ]
        ),
        default="pnr",
    )
    personal_number = StringField(
        "Personnummer",
        filters=TEXT,
        validators=[Length(max=20)],
        render_kw=PERSONAL_NUMBER_KEYS | {"pattern": INPUT_PATTERN},
    )
    # The number's own limit (identity.RESERVE_MAX_LEN) is checked without its spaces: typed
    # in groups, as wristbands print it, a number of that length is longer here.
    reserve_number = StringField(
        "Reservnummer",
        filters=TEXT,
        validators=[Length(max=2 * RESERVE_MAX_LEN)],
        render_kw=CODE_KEYS,
    )
    # Asked when the reserve number is a valid personnummer (see validate_reserve_number).
    reserve_confirmed = BooleanField("Det är ett reservnummer", render_kw=NOT_DRAFTED)
    # The number the box was shown for: a tick counts only for that number, so one given for
    # a number since edited into another personnummer does not let the new one through.
    reserve_confirmed_for = HiddenField(render_kw=NOT_DRAFTED)
    sex = RadioField("Kön", choices=choices(SEX_CHOICES), validators=[Optional()])
    approx_age = WholeNumberField(
        "Ungefärlig ålder", validators=[Optional(), NumberRange(0, MAX_AGE, "Ange ålder 0–125 år.")]
    )
    patient_name = StringField(
        "Namn", filters=TEXT, validators=[Length(max=200)], render_kw=NAME_KEYS
    )
    # Asked when another case of the incident has the number under another name, or the name
    # under another number (see check_namesakes).
    namesake_confirmed = BooleanField(NAMESAKE_LABEL, render_kw=NOT_DRAFTED)
    # The identity the box was shown for: a tick counts only for that number and name.
    namesake_confirmed_for = HiddenField(render_kw=NOT_DRAFTED)

    parsed_identity: Any = None
    # The reserve number the case holds now, on its identity correction ("" on a new referral).
    stored_reserve_number = ""
    looks_like_personal_number = False
    namesakes_found: list[Namesake] = []  # noqa: RUF012 - replaced, never changed in place

    def validate_personal_number(self, field: StringField) -> None:
        if self.id_mode.data != "pnr":  # type: ignore[attr-defined]
            return
        if not field.data:
            raise ValidationError("Ange personnummer, eller välj okänd patient.")
        try:
            self.parsed_identity = parse_patient_number(field.data, site_today())
        except IdentityError as exc:
            raise ValidationError(refusal_text(exc)) from exc

    def validate_reserve_number(self, field: StringField) -> None:
        """A reserve number that is a valid personnummer is asked about once.

        Stored as a reserve number, a personnummer never finds the patient's other exams, nor
        RIS the patient; but some regions' reserve numbers pass the check digit, so a ticked
        box lets it through.
        """
        if self.id_mode.data != "reserve":  # type: ignore[attr-defined]
            return
        typed = field.data or ""
        if is_personal_number(typed, site_today()):
            self.looks_like_personal_number = True
            asked_for = self.reserve_confirmed_for.data or ""
            if not (self.reserve_confirmed.data and _same_number(asked_for, typed)):
                changed = bool(self.reserve_confirmed.data and asked_for)
                # Asked (again) for the number as typed now, the box empty.
                self.reserve_confirmed.data = False
                self.reserve_confirmed_for.data = typed
                raise ValidationError(NUMBER_CHANGED if changed else LOOKS_LIKE_PERSONAL_NUMBER)
        try:
            number = normalize_reserve_number(typed)
            # Only a new number is checked: the one the case holds may be from before the site
            # set its format, and its name or age must still be correctable under it.
            site_format = getattr(g.get("site_config"), "reserve_format", None)
            if site_format is not None and number != self.stored_reserve_number:
                site_format.check(number)
        except IdentityError as exc:
            # The field keeps the number as typed, to be corrected where it stands.
            raise ValidationError(refusal_text(exc)) from exc
        field.data = number

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)  # type: ignore[misc]
        # Optional() stops a field's own chain when empty, so the reserve rules live here.
        if self.id_mode.data == "reserve":  # type: ignore[attr-defined]
            if not self.sex.data:
                self.sex.errors = [*self.sex.errors, "Ange kön (eller Okänt)."]
                ok = False
            if self.approx_age.data is None and not self.approx_age.errors:
                self.approx_age.errors = [*self.approx_age.errors, "Ange ungefärlig ålder."]
                ok = False
        return ok

    @property
    def reserve_like_personal_number(self) -> bool:
        """Whether a reserve number that is also a valid personnummer was confirmed as one."""
        return (
            self.id_mode.data == "reserve"  # type: ignore[attr-defined]
            and self.looks_like_personal_number
            and bool(self.reserve_confirmed.data)
        )

    def asks_reserve_confirmation(self) -> bool:
        """Whether the box that confirms a reserve number is shown (asked, or ticked before)."""
        return self.looks_like_personal_number or bool(self.reserve_confirmed.data)

    def validate_patient_name(self, field: StringField) -> None:
        if self.id_mode.data == "pnr" and not field.data:  # type: ignore[attr-defined]
            raise ValidationError("Ange patientens namn.")

    def check_namesakes(self, incident_id: int | None, exclude_case_id: int | None = None) -> bool:
        """Whether the identity may be saved beside the incident's other patients.

        One number under two names, or one name under two numbers, is most often a mix-up of
        papers or a mistyped digit: the exam would go to the other patient's record. Asked once
        for the identity as typed; a tick given for another number or name is asked again.
        """
        if incident_id is None:
            return True
        values = self.identity_values()
        found = namesakes(
            incident_id,
            id_kind=values["patient_id_kind"],
            patient_id=values["patient_id"],
            name=values["patient_name"],
            exclude_case_id=exclude_case_id,
        )
        return self.ask_namesakes(found)

    def _typed_identity(self) -> str:
        values = self.identity_values()
        name = " ".join(name_key(values["patient_name"]))
        return f"{values['patient_id_kind']}:{values['patient_id']}:{name}"

    def ask_namesakes(self, found: list[Namesake]) -> bool:
        """Whether these namesakes (found before the write, or inside it) were confirmed for
        the identity as typed; else the box is asked (again), empty, beside its question."""
        self.namesakes_found = found
        if not found:
            return True
        typed = self._typed_identity()
        if self.namesake_confirmed.data and self.namesake_confirmed_for.data == typed:
            return True
        self.namesake_confirmed.data = False
        self.namesake_confirmed_for.data = typed
        self.namesake_confirmed.errors = [*self.namesake_confirmed.errors, question_for(found)]
        return False

    @property
    def namesake_ticked(self) -> bool:
        """Whether the box confirms the identity as typed now (the write checks it again)."""
        return (
            bool(self.namesake_confirmed.data)
            and self.namesake_confirmed_for.data == self._typed_identity()
        )

    def identity_values(self) -> dict[str, Any]:
        """The normalised identity to store on the case."""
        if self.id_mode.data == "reserve":  # type: ignore[attr-defined]
            return {
                "patient_id_kind": "reserve",
                "patient_id": self.reserve_number.data,
                "patient_sex": "" if self.sex.data == "U" else (self.sex.data or ""),
                "patient_birth_date": None,
                "patient_age_approx": self.approx_age.data,
                "patient_name": self.patient_name.data or "",
            }
        pn = self.parsed_identity
        return {
            "patient_id_kind": pn.kind,
            "patient_id": pn.normalized,
            "patient_sex": pn.sex,
            "patient_birth_date": pn.birth_date,
            "patient_age_approx": None,
            "patient_name": self.patient_name.data or "",
        }


OTHER_SEX = (
    "Könet i personnumret stämmer inte med det som angavs för den okända patienten. Kontrollera "
    "att det är rätt patient och kryssa i rutan."
)
OTHER_SEX_NUMBER_CHANGED = (
    "Numret har ändrats sedan rutan kryssades, och även det här numret har annat kön än det som "
    "angavs för den okända patienten. Kontrollera att det är rätt patient och kryssa i rutan igen."
)


class IdentityForm(PatientMixin, BaseForm):
    reason = TextAreaField(
        "Orsak till ändringen",
        filters=TEXT,
        validators=[DataRequired("Ange varför identiteten ändras."), Length(max=1000)],
    )
    # The case version the form showed, so a correction from an older screen is refused.
    case_version = HiddenField()
    # The key its draft is autosaved under, and that a resent correction is replayed by.
    form_key = HiddenField(validators=[Length(max=64)])
    # Asked when the number names a patient of the other sex than the unidentified one.
    confirm_patient = BooleanField(
        "Det är rätt patient – jag har kontrollerat identiteten", render_kw=NOT_DRAFTED
    )
    # The number the box was shown for (normalised): a tick counts only for that number, so one
    # given for a number since edited into another patient's does not let the new one through.
    confirm_patient_for = HiddenField(render_kw=NOT_DRAFTED)
    other_sex_confirmed = False

    def validate_for(self, case: Any) -> bool:
        """Validate, and ask for a confirmation when the number is of the other sex.

        The sex of an unidentified patient is seen, not guessed: a personnummer of the other
        sex is most likely another patient's (a mix-up of wristbands or papers), whose record
        would then get this exam.
        """
        if case.patient_id_kind == "reserve":
            self.stored_reserve_number = case.patient_id
        ok = self.validate()
        pn = self.parsed_identity
        other_sex = (
            self.id_mode.data == "pnr"
            and pn is not None
            and case.patient_id_kind == "reserve"
            and case.patient_sex in ("M", "F")
            and pn.sex != case.patient_sex
        )
        if ok and other_sex:
            asked_for = self.confirm_patient_for.data or ""
            if not (self.confirm_patient.data and asked_for == pn.normalized):
                changed = bool(self.confirm_patient.data and asked_for)
                # Asked (again) for the number as typed now, the box empty.
                self.confirm_patient.data = False
                self.confirm_patient_for.data = pn.normalized
                message = OTHER_SEX_NUMBER_CHANGED if changed else OTHER_SEX
                self.confirm_patient.errors = [*self.confirm_patient.errors, message]
                ok = False
        self.other_sex_confirmed = ok and other_sex
        # Corrected to a number another case of the incident holds under another name (or to a
        # name it holds under another number): asked as on a new referral.
        return ok and self.check_namesakes(case.incident_id, exclude_case_id=case.id)
