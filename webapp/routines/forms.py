"""Forms of the external-reviewer, image-transfer and image-release routines."""

from __future__ import annotations

from contextlib import suppress
from typing import Any, Self

from flask import g
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..cases.fields import LocalDateTimeField, clean_text, fax_number, not_in_future, site_today
from ..cases.queries import case_by_code
from ..codes import (
    MSG_PERSONAL_NUMBER,
    CodeError,
    looks_like_personal_number,
    parse_case_code,
)
from ..formutil import BaseForm, choices
from ..i18n import gettext as _
from ..identity import IdentityError, parse_personal_number, personal_number_problem
from ..models import Case
from ..models.report import TYPED_AUTHOR_MAX, TYPED_AUTHOR_TOO_LONG
from ..models.routines import TRANSFER_DIRECTIONS
from ..offered_routines import offers_case_reviewer
from ..release_terms import DELIVERY_LABELS, MEDIA_LABELS, RECIPIENT_LABELS
from ..reporting.forms import over_draft_fields
from .rules import ReleaseContext, channel_labels
from .services import TRANSFER_CASE_CANCELLED, VIA_REGION_UNLISTED

TEXT = [clean_text]
NOTE = TextAreaField("Anteckning", filters=TEXT, validators=[Length(max=2000)])
# A form's one-time key: its idempotency key and the key its draft autosaves under.
FORM_KEY = HiddenField(validators=[Optional(), Length(min=16, max=64)])
OUTCOME_CHOICES = [("ok", "Lyckades"), ("failed", "Misslyckades")]
# A transfer's troubleshooting lists: the first steps, then one per direction.
CHECK_LISTS = ("first", *TRANSFER_DIRECTIONS)
NOT_ON_IEP = "Mottagaren är inte ansluten till %(iep)s"
NEVER_FAXED_ROUTINE_DROPPED = (
    "Ärendet %(code)s faxades inte till den externa granskaren, och rutinen används inte längre "
    "på den här avdelningen. Kontrollera koden på faxet."
)


class CaseCodeMixin:
    """A case code typed from paper, resolved to a case of the user's site."""

    found_case: Case | None = None

    def _resolve(self, field: Any, required: bool) -> None:
        text = (field.data or "").strip()
        if not text:
            if required:
                raise ValidationError("Ange ärendekoden från faxet.")
            return
        if looks_like_personal_number(text):
            raise ValidationError(_(MSG_PERSONAL_NUMBER))
        try:
            code = parse_case_code(text)
        except CodeError as exc:
            # Translated here: these messages name the typed character or code.
            raise ValidationError(_(exc.template, **exc.values)) from exc
        case = case_by_code(g.user.site_id, code)
        if case is None:
            raise ValidationError(
                _("Inget ärende har koden %(code)s. Kontrollera papperet.", code=code)
            )
        self.found_case = case


class FaxSentForm(BaseForm):
    number = StringField(
        "Faxnummer",
        filters=TEXT,
        validators=[DataRequired("Ange faxnumret."), Length(max=40), fax_number()],
    )
    sent_at = LocalDateTimeField(
        "Faxat", validators=[InputRequired("Ange när faxet skickades."), not_in_future()]
    )
    note = NOTE
    form_key = FORM_KEY


class ForwardedForm(BaseForm):
    number = StringField(
        "Remittentens svarsfax",
        filters=TEXT,
        validators=[DataRequired("Ange faxnumret."), Length(max=40), fax_number()],
    )
    at = LocalDateTimeField(
        "Faxat", validators=[InputRequired("Ange när kopian faxades."), not_in_future()]
    )
    # The latest report signature and the case's identity_revision the page showed: the copy
    # faxed from it covers that report, naming the patient as then.
    signature = HiddenField()
    identity = HiddenField()
    form_key = FORM_KEY


class ImageRouteForm(BaseForm):
    route_key = RadioField("Väg för bilderna", validators=[InputRequired("Välj väg.")])
    outcome = RadioField(
        "Resultat",
        choices=choices(OUTCOME_CHOICES),
        validators=[InputRequired("Ange hur det gick.")],
    )
    note = NOTE
    form_key = FORM_KEY


class VerbalAnswerForm(BaseForm):
    reviewer_name = StringField(
        "Granskare som ringde",
        filters=TEXT,
        validators=[DataRequired("Ange vem som ringde."), Length(max=200)],
    )
    called_person = StringField(
        "Remittent som fick svaret",
        filters=TEXT,
        validators=[DataRequired("Ange vem som fick svaret."), Length(max=200)],
    )
    called_at = LocalDateTimeField(
        "När", validators=[InputRequired("Ange när samtalet skedde."), not_in_future()]
    )
    note = TextAreaField("Vad sades", filters=TEXT, validators=[Length(max=2000)])
    form_key = FORM_KEY


class ReceiveReportForm(CaseCodeMixin, BaseForm):
    case_code = StringField(
        "Ärendekod på faxet",
        filters=TEXT,
        validators=[Length(max=20)],
    )
    received_at = LocalDateTimeField(
        "Faxet mottaget", validators=[InputRequired("Ange när faxet kom."), not_in_future()]
    )
    reviewer_name = StringField(
        "Utlåtandet skrivet av",
        filters=TEXT,
        # The transcribed report is signed in this name, " (faxat)" after it.
        validators=[
            DataRequired("Ange granskaren som skrev utlåtandet."),
            Length(max=TYPED_AUTHOR_MAX, message=TYPED_AUTHOR_TOO_LONG),
        ],
    )
    forwarded = BooleanField("En kopia är faxad till remittenten")
    state = RadioField(
        "Signerat som",
        choices=choices([("preliminary", "Preliminärt"), ("definitive", "Definitivt")]),
        validators=[Optional()],
    )
    findings = TextAreaField("Fynd", filters=TEXT, validators=[Length(max=20000)])
    conclusion = TextAreaField("Bedömning", filters=TEXT, validators=[Length(max=20000)])
    is_urgent = BooleanField("Akut fynd – remittenten ska ringas")
    # The case code the confirmation showed with its patient: the answer is recorded only when
    # it is the code sent (another code typed meanwhile is shown first).
    confirmed_code = HiddenField(validators=[Optional(), Length(max=20)])
    confirm_unfaxed = BooleanField(
        "Svaret hör till ärendet fast inget fax till granskaren är loggat"
    )
    replace_draft, draft_version = over_draft_fields()
    form_key = FORM_KEY

    def validate_case_code(self, field: Any) -> None:
        self._resolve(field, required=True)
        case = self.found_case
        # Once the routine is dropped only a case faxed to the reviewer before has an answer to
        # log; another code is more likely misread from the fax than that case's.
        if case is not None and not offers_case_reviewer(case.id, g.site_config.routines):
            self.found_case = None
            raise ValidationError(_(NEVER_FAXED_ROUTINE_DROPPED, code=case.code))

    @property
    def is_confirmed(self) -> bool:
        """Sent from the confirmation page of the case the code names now."""
        if self.found_case is None:
            return False
        try:
            return parse_case_code(self.confirmed_code.data or "") == self.found_case.code
        except CodeError:
            return False

    def validate_state(self, field: Any) -> None:
        if (self.conclusion.data or self.findings.data) and not field.data:
            raise ValidationError("Ange hur utlåtandet är signerat.")

    def validate_conclusion(self, field: Any) -> None:
        if self.findings.data and not field.data:
            raise ValidationError("Skriv av bedömningen.")

    @property
    def has_text(self) -> bool:
        return bool(self.conclusion.data)


class UndoReceiptForm(BaseForm):
    reason = TextAreaField(
        "Varför ångras mottagningen?",
        filters=TEXT,
        validators=[DataRequired("Skriv varför mottagningen ångras."), Length(max=500)],
    )
    referrer_told = BooleanField(
        "Remittenten har fått en kopia och är informerad om att den inte gäller patienten"
    )
    form_key = FORM_KEY


class AdminDoneForm(BaseForm):
    note = TextAreaField(
        "Anteckning (t.ex. svaret hanterat i RIS)", filters=TEXT, validators=[Length(max=2000)]
    )
    # The latest faxed answer the queue showed: one received after it is not ticked off unseen.
    seen_answer = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,12}\Z")])


class RouteStatusForm(BaseForm):
    form_key = FORM_KEY
    is_working = RadioField(
        "Status",
        choices=choices([("1", "Fungerar"), ("0", "Fungerar inte")]),
        validators=[InputRequired("Välj status.")],
    )
    note = TextAreaField(
        "Vad är fel (visas för personalen)", filters=TEXT, validators=[Length(max=2000)]
    )

    def validate_note(self, field: Any) -> None:
        if self.is_working.data == "0" and not field.data:
            raise ValidationError("Skriv varför vägen inte fungerar.")


class StepTickForm(BaseForm):
    # The page's key for all its ticks: each item is stored under a key of its own.
    form_key = FORM_KEY
    key = HiddenField(validators=[DataRequired(), Length(max=60)])
    is_done = HiddenField(validators=[DataRequired()])
    # The outage the page showed: another declared meanwhile becomes the tablet's current one.
    incident_id = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}\Z")])


ABANDON_REASON_MISSING = "Skriv varför överföringen avbryts."
PATIENT_REF_MISSING = "Ange patientens person- eller reservnummer, eller ärendekoden."


OTHER_PATIENT = (
    "ID:t är inte ärendets patient. Kontrollera ärendekoden och ID:t, eller lämna ID:t tomt."
)


def _same_patient(typed: str, case: Case) -> bool:
    try:
        typed_id = parse_personal_number(typed, site_today()).normalized
    except IdentityError:
        typed_id = "".join(typed.split()).upper()
    return typed_id == case.patient_id.upper()


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
        "Ärendekod (om undersökningen finns i appen)", filters=TEXT, validators=[Length(max=20)]
    )
    exam_text = StringField("Undersökning", filters=TEXT, validators=[Length(max=300)])
    patient_ref = StringField(
        "Patientens ID (person- eller reservnummer)", filters=TEXT, validators=[Length(max=40)]
    )
    # Offered once a number in the personnummer's form fails its check: some regions' reserve
    # numbers are written so, and only the one who typed it knows which it is.
    ref_is_reserve = BooleanField("Numret är ett reservnummer, inte ett personnummer")
    patient_name = StringField("Patientens namn", filters=TEXT, validators=[Length(max=200)])
    note = NOTE
    form_key = FORM_KEY

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
        if typed and case is not None and case.patient_id and not _same_patient(typed, case):
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
    is_done = HiddenField(validators=[DataRequired()])


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


class ReleaseForm(BaseForm):
    recipient_kind = RadioField(
        "Mottagare",
        choices=choices(RECIPIENT_LABELS.items()),
        validators=[InputRequired("Välj mottagare.")],
    )
    recipient_name = StringField(
        "Mottagarens namn (sjukhus, mottagning)", filters=TEXT, validators=[Length(max=200)]
    )
    is_urgent_care = BooleanField("Akut vårdbesök: bilderna följer patienten nu")
    # Its choices name the site's portal and archive: `setup` fills them in.
    channel = RadioField("Hur", validators=[InputRequired("Välj hur.")])
    recipient_not_on_iep = BooleanField(NOT_ON_IEP)
    media_kind = RadioField("Media", choices=choices(MEDIA_LABELS.items()), validators=[Optional()])
    delivery = RadioField(
        "Utlämning", choices=choices(DELIVERY_LABELS.items()), validators=[Optional()]
    )
    findings_positive = RadioField(
        "Positiva fynd i utlåtandet",
        choices=choices([("no", "Nej"), ("yes", "Ja")]),
        validators=[Optional()],
    )
    doctor_cleared_by = StringField(
        "Läkare som godkände utlämnandet", filters=TEXT, validators=[Length(max=200)]
    )
    billing_recorded = BooleanField("Fakturaunderlag skrivet och skickat")
    form_key = FORM_KEY

    def setup(self, ctx: ReleaseContext) -> Self:
        """Name the site's portal and archive, and offer the media the site lets out."""
        # Translated here, with the names filled in: the field macro's lookup of a text
        # already translated finds nothing and leaves it as it is.
        self.channel.choices = choices(channel_labels(ctx, _).items())
        self.recipient_not_on_iep.label.text = _(NOT_ON_IEP, iep=ctx.iep_name)
        # A medium no recipient may get is not offered (the site's [routines.release.media]).
        self.media_kind.choices = choices((m, MEDIA_LABELS[m]) for m in ctx.offered_media())
        return self

    def validate_recipient_name(self, field: Any) -> None:
        if (
            self.recipient_kind.data
            in ("own_region_hospital", "other_region_hospital", "private_provider")
            and not field.data
        ):
            raise ValidationError("Ange mottagarens namn.")


class HandoverForm(BaseForm):
    patient_id_checked = BooleanField("Patientens giltiga ID-handling är kontrollerad")
    proxy_name = StringField("Ombudets namn", filters=TEXT, validators=[Length(max=200)])
    power_of_attorney = BooleanField("Fullmakten är mottagen (sparas i remisspärmen)")
    proxy_id_checked = BooleanField("Ombudets giltiga ID-handling är kontrollerad")
    doctor_cleared_by = StringField(
        "Läkare som godkände utlämnandet", filters=TEXT, validators=[Length(max=200)]
    )
