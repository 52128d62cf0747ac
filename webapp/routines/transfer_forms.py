"""Forms of the image-transfer routine: the request, each try, the checklist ticks, the end."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Regexp, ValidationError

from ..cases.display import masked_number
from ..cases.fields import site_today
from ..catchup.batch import EarlierIdentity
from ..catchup.identities import earlier_identities_of
from ..formutil import CODE_KEYS, NAME_KEYS, SWEDISH_TEXT_KEYS, BaseForm, choices
from ..i18n import gettext as _
from ..identity import (
    IdentityError,
    parse_personal_number,
    personal_number_problem,
    reserve_number_key,
)
from ..models import Case
from ..models.routines import TRANSFER_DIRECTIONS
from .forms import FORM_KEY, NOTE, OUTCOME_CHOICES, TEXT, CaseCodeMixin
from .services import TRANSFER_CASE_CANCELLED, VIA_REGION_UNLISTED

# A transfer's troubleshooting lists: the first steps, then one per direction.
CHECK_LISTS = ("first", *TRANSFER_DIRECTIONS)

ABANDON_REASON_MISSING = "Skriv varför överföringen avbryts."
PATIENT_REF_MISSING = "Ange patientens person- eller reservnummer, eller ärendekoden."


OTHER_PATIENT = (
    "ID:t är inte ärendets patient. Kontrollera ärendekoden och ID:t, eller lämna ID:t tomt."
)


EARLIER_IDENTITY = (
    "ID:t är ärendets tidigare: patientens identitet har rättats från %(earlier)s till "
    "%(current)s. Ange det nuvarande ID:t, eller lämna ID:t tomt."
)


def _is_number(typed: str, id_kind: str, patient_id: str) -> bool:
    if id_kind == "reserve":
        # As the wristband is read everywhere else: "res 0007" is RES-0007, not another patient.
        return reserve_number_key(typed) == reserve_number_key(patient_id)
    try:
        return parse_personal_number(typed, site_today()).normalized == patient_id
    except IdentityError:
        return False


def same_patient(typed: str, case: Case) -> bool:
    """Whether the ID typed on a transfer is its case's patient, however it was spelt."""
    return _is_number(typed, case.patient_id_kind, case.patient_id)


def _earlier_identity(typed: str, case: Case) -> EarlierIdentity | None:
    """The identity the case had before a correction that the typed ID is, if any."""
    return next(
        (e for e in earlier_identities_of(case) if _is_number(typed, e.id_kind, e.id_value)),
        None,
    )


class TransferForm(CaseCodeMixin, BaseForm):
    direction = RadioField(
        "Riktning",
        choices=choices(
            [("send", "Skicka bilder till annat sjukhus"), ("receive", "Ta emot bilder")]
        ),
        validators=[InputRequired("Välj riktning.")],
    )
    counterpart = SelectField("Sjukhus i annan region", validators=[DataRequired("Välj sjukhus.")])
    urgency = RadioField("Brådska", validators=[InputRequired("Välj brådska.")])
    case_code = StringField(
        "Ärendekod (om undersökningen finns i appen)",
        filters=TEXT,
        validators=[Length(max=20)],
        render_kw=CODE_KEYS,
    )
    exam_text = StringField(
        "Undersökning", filters=TEXT, validators=[Length(max=300)], render_kw=SWEDISH_TEXT_KEYS
    )
    patient_ref = StringField(
        "Patientens ID (person- eller reservnummer)",
        filters=TEXT,
        validators=[Length(max=40)],
        render_kw=CODE_KEYS,
    )
    # Offered once a number in the personnummer's form fails its check: some regions' reserve
    # numbers are written so, and only the one who typed it knows which it is.
    ref_is_reserve = BooleanField("Numret är ett reservnummer, inte ett personnummer")
    patient_name = StringField(
        "Patientens namn", filters=TEXT, validators=[Length(max=200)], render_kw=NAME_KEYS
    )
    note = NOTE
    form_key = FORM_KEY
    # The case whose identity a refusal names (EARLIER_IDENTITY): its page is a read of it.
    shows_case: Case | None = None

    def validate_case_code(self, field: Any) -> None:
        self._resolve(field, required=False)
        if self.found_case is not None and self.found_case.status == "cancelled":
            raise ValidationError(TRANSFER_CASE_CANCELLED)

    def validate_exam_text(self, field: Any) -> None:
        if not field.data and not (self.case_code.data or "").strip():
            raise ValidationError("Ange undersökningen, eller ärendekoden.")

    def validate_patient_ref(self, field: Any) -> None:
        # Without a case or an ID the other side cannot tell whose images these are.
        if not field.data and not (self.case_code.data or "").strip():
            raise ValidationError(PATIENT_REF_MISSING)
        # A personnummer in one spelling, so the access log finds the transfer by the patient
        # however it was typed; anything else (a region's reserve number) is kept as typed.
        typed = field.data or ""
        with suppress(IdentityError):
            field.data = parse_personal_number(typed, site_today()).display
        # A slipped digit would name another person, or no one, to the other hospital.
        problem = personal_number_problem(typed, site_today())
        if problem and not self.ref_is_reserve.data:
            raise ValidationError(problem)
        # The other side is told this ID: it must be the linked case's patient.
        case = self.found_case
        if typed and case is not None and case.patient_id and not same_patient(typed, case):
            # The number on the old wristband or paper: refused as any other than the case's
            # (the other hospital files the images under the ID it is told), but said to be the
            # same patient's earlier one, so the radiographer is not sent looking for a mix-up.
            earlier = _earlier_identity(typed, case)
            if earlier is not None:
                self.shows_case = case
                raise ValidationError(
                    _(
                        EARLIER_IDENTITY,
                        earlier=earlier.id_display,
                        current=masked_number(case.patient_id_kind, case.patient_id),
                    )
                )
            raise ValidationError(OTHER_PATIENT)

    def validate_patient_name(self, field: Any) -> None:
        # As on a case: a personnummer comes with the name, a reserve number may not have one.
        if field.data or (self.case_code.data or "").strip():
            return
        try:
            parse_personal_number(self.patient_ref.data or "", site_today())
        except IdentityError:
            return
        raise ValidationError("Ange patientens namn.")


class AttemptForm(BaseForm):
    route = RadioField(
        "Väg",
        choices=choices(
            [
                ("direct", "Direkt via länkdatorn"),
                ("via_region", "Via grannregion"),
                ("dvd", "DVD med patienttransporten"),
            ]
        ),
        validators=[InputRequired("Välj väg.")],
    )
    # No Optional(): it would stop validate_via_region as well when the field is empty, and
    # the missing region would only be refused by the service, far from the field. The list
    # is checked there too, with a message that says which list.
    via_region = SelectField("Grannregion", validate_choice=False)
    outcome = RadioField(
        "Resultat",
        choices=choices([*OUTCOME_CHOICES, ("pending", "Väntar på svar")]),
        validators=[InputRequired("Ange hur det gick.")],
    )
    note = NOTE
    form_key = FORM_KEY

    def validate_via_region(self, field: Any) -> None:
        if self.route.data != "via_region":
            return
        if not field.data:
            raise ValidationError("Välj grannregion.")
        if field.data not in {value for value, *_rest in field.iter_choices() if value}:
            raise ValidationError(VIA_REGION_UNLISTED)


class CheckForm(BaseForm):
    # The page's key for all its ticks: each item is stored under a key of its own.
    form_key = FORM_KEY
    list_key = HiddenField(validators=[AnyOf(CHECK_LISTS)])
    # The item's key, made from its text: a place in the list would tick another item once the
    # admin inserts one above it.
    item = HiddenField(validators=[Regexp(r"^[0-9a-f]{12}\Z")])
    # Read as "not 1", any other value would undo a done item unasked.
    is_done = HiddenField(validators=[DataRequired(), AnyOf(("0", "1"), message="Okänt val.")])


class CloseTransferForm(BaseForm):
    status = RadioField(
        "Hur slutade det",
        choices=choices(
            [
                ("done", "Bilderna är framme"),
                ("abandoned", "Avbruten (t.ex. patienten skickas annan väg)"),
            ]
        ),
        validators=[InputRequired("Välj hur överföringen slutade.")],
    )
    note = NOTE

    def validate_note(self, field: Any) -> None:
        if self.status.data == "abandoned" and not field.data:
            raise ValidationError(ABANDON_REASON_MISSING)
