"""Forms of the external-reviewer routine, and what every routine's forms share (the case code
field, the note, the form key). Transfers and releases have modules of their own."""

from __future__ import annotations

from typing import Any

from flask import g
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..cases.fields import LocalDateTimeField, clean_text, fax_number, not_in_future
from ..cases.queries import case_by_code
from ..codes import (
    MSG_PERSONAL_NUMBER,
    CodeError,
    looks_like_personal_number,
    parse_case_code,
)
from ..formutil import CODE_KEYS, NAME_KEYS, PHONE_KEYS, Asked, BaseForm, choices
from ..i18n import gettext as _
from ..models import Case
from ..models.report import TYPED_AUTHOR_MAX, TYPED_AUTHOR_TOO_LONG
from ..offered_routines import offers_case_reviewer
from ..reporting.keyed_forms import over_draft_fields, over_keyed_fields

TEXT = [clean_text]
NOTE = TextAreaField("Anteckning", filters=TEXT, validators=[Length(max=2000)])
# A form's one-time key: its idempotency key and the key its draft autosaves under.
FORM_KEY = HiddenField(validators=[Optional(), Length(min=16, max=64)])
OUTCOME_CHOICES = [("ok", "Lyckades"), ("failed", "Misslyckades")]
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
        render_kw=PHONE_KEYS,
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
        render_kw=PHONE_KEYS,
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
        render_kw=NAME_KEYS,
    )
    called_person = StringField(
        "Remittent som fick svaret",
        filters=TEXT,
        validators=[DataRequired("Ange vem som fick svaret."), Length(max=200)],
        render_kw=NAME_KEYS,
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
        # validate_case_code asks for it: the answer is filed under the case it names.
        validators=[Asked(), Length(max=20)],
        render_kw=CODE_KEYS,
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
        render_kw=NAME_KEYS,
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
    # The case's identity_revision that confirmation showed: a copy to the referrer ticked
    # with the receipt named the patient so, and is refused once the identity is corrected.
    confirmed_identity = HiddenField(validators=[Optional(), Length(max=12)])
    confirm_unfaxed = BooleanField(
        "Svaret hör till ärendet fast inget fax till granskaren är loggat"
    )
    replace_draft, draft_version = over_draft_fields()
    # "<case id>:<report version>" ("<case id>:" no report): the report of the case whose
    # patient was confirmed, as it was then (see reviewer_receive_views.py); kept in drafts.
    report_version = HiddenField()
    replace_report, report_confirmed = over_keyed_fields()
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
    # Read as "not 1", any other value would undo a done item unasked.
    is_done = HiddenField(validators=[DataRequired(), AnyOf(("0", "1"), message="Okänt val.")])
    # The outage the page showed: another declared meanwhile becomes the tablet's current one.
    incident_id = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}\Z")])
