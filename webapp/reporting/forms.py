"""Report, priority, instruction, addendum, call, dispatch and template forms (the faxed- and
paper-report forms are in keyed_forms.py)."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..cases.fields import (
    LocalDateTimeField,
    clean_text,
    fax_number,
    not_in_future,
    phone_number,
)
from ..cases.referral_fields import IdempotentForm, priority_choices
from ..formutil import NAME_KEYS, PHONE_KEYS, SWEDISH_TEXT_KEYS, BaseForm, SubForm, choices
from ..i18n import gettext as _
from ..models.report import (
    HEADING_MAX,
    HEADINGLESS,
    READ_ON,
    READ_ON_MISSING,
    READ_ON_UNKNOWN,
    SECOND_LOOK_OUTCOMES,
)
from ..siteconfig import SiteConfig

TEXT = [clean_text]


def _heading_or_headingless(value: Any) -> Any:
    # Empty or missing only in a crafted post: a refused page shows the text under the heading
    # it is saved under (as the service does), not under "None".
    if value is None or (isinstance(value, str) and not value.strip()):
        return HEADINGLESS
    return value


class SectionForm(SubForm):
    heading = HiddenField(filters=[*TEXT, _heading_or_headingless], validators=[Length(max=120)])
    text = TextAreaField(filters=TEXT, validators=[Length(max=20000)])


# The sections a report may have: a template has at most 20, and text typed under another
# template's headings is kept beside its own. Each section is two fields of a draft, which holds
# at most 200 (drafts/services.py).
MAX_SECTIONS = 60
TOO_MANY_SECTIONS = "Utlåtandet får ha högst 60 avsnitt. Flytta texten under färre rubriker."


class ReportForm(IdempotentForm):
    # The version of the report the editor showed (empty when there was none yet).
    version = HiddenField()
    # The case's identity_revision the editor showed: text written beside one patient's name
    # is not saved or signed under a name corrected since (empty: not checked).
    identity_revision = HiddenField()
    template_id = HiddenField(validators=[Optional(), Length(max=12)])
    # No max_entries: WTForms drops the sections past it without a word (and fails on more
    # given as data). The count is checked instead, every section's text still on the page.
    sections = FieldList(FormField(SectionForm), "Avsnitt", min_entries=1)
    is_urgent = BooleanField("Akut fynd – remittenten ska ringas")
    # Unchosen until the radiologist chooses; asked at the definitive signature, when the
    # report goes out as final (a report read on the modality is marked on the fax).
    read_on = RadioField(
        "Bilderna granskade på", choices=choices(list(READ_ON.items())), validate_choice=False
    )
    # The signature asked for (the view sets it before validating): "" for a save.
    signing = ""

    def validate_sections(self, field: Any) -> None:
        if len(field.entries) > MAX_SECTIONS:
            raise ValidationError(TOO_MANY_SECTIONS)

    def validate_read_on(self, field: Any) -> None:
        if field.data and field.data not in READ_ON:
            raise ValidationError(READ_ON_UNKNOWN)
        if not field.data and self.signing == "definitive":
            raise ValidationError(READ_ON_MISSING)


class SecondLookForm(BaseForm):
    # The form instance's key: a double tap records the second look once.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    outcome = RadioField(
        "Resultat",
        choices=choices(list(SECOND_LOOK_OUTCOMES.items())),
        validators=[InputRequired("Ange vad eftergranskningen gav.")],
    )


class PriorityForm(BaseForm):
    # The case's version the screen showed: a change after someone else's is refused.
    case_version = HiddenField()
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    priority = RadioField("Ny prioritet", validators=[InputRequired("Välj prioritet.")])
    reason = StringField(
        "Varför",
        filters=TEXT,
        validators=[DataRequired("Ange varför prioriteten ändras."), Length(max=300)],
        render_kw=SWEDISH_TEXT_KEYS,
    )

    def setup(self, config: SiteConfig) -> PriorityForm:
        """Fill the site's priorities."""
        self.priority.choices = priority_choices(config.priorities)
        return self


# A protocol is a few lines (exam, phase, "ring mig"): the printed referral has room for this.
PROTOCOL_MAX = 2000


class ProtocolForm(BaseForm):
    # The case's version the screen showed: a change after someone else's is refused.
    case_version = HiddenField()
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    protocol = TextAreaField(
        "Instruktion till röntgensjuksköterskan",
        filters=TEXT,
        validators=[Length(max=PROTOCOL_MAX)],
    )


class AddendumForm(BaseForm):
    # The form instance's key: a retried or double-tapped submit signs the addendum once.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    text = TextAreaField(
        "Tillägg", filters=TEXT, validators=[DataRequired("Skriv tillägget."), Length(max=20000)]
    )
    is_urgent = BooleanField("Akut fynd – ring remittenten")
    # How many addenda the screen showed: one signed since by a colleague refuses this one.
    addenda_shown = HiddenField()
    # The case's identity_revision the screen showed: an addendum written beside one patient's
    # name is not signed under a name corrected since (empty: not checked). An id of its own:
    # the fax log's form on the same screen has the field too.
    identity_revision = HiddenField(id="addendum-identity-revision")


class CallForm(BaseForm):
    # The form instance's key: a double tap or a resend after dropped Wi-Fi logs one call.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    called_person = StringField(
        "Vem ringdes",
        filters=TEXT,
        validators=[DataRequired("Ange vem du pratade med."), Length(max=200)],
        render_kw=NAME_KEYS,
    )
    phone_number = StringField(
        "Telefonnummer",
        filters=TEXT,
        validators=[Length(max=40), phone_number()],
        render_kw=PHONE_KEYS,
    )
    called_at = LocalDateTimeField(
        "När", validators=[InputRequired("Ange när samtalet skedde."), not_in_future()]
    )
    note = TextAreaField("Vad sades", filters=TEXT, validators=[Length(max=2000)])


class DispatchForm(BaseForm):
    # The report's last signature when the page was drawn: what the faxed sheet showed.
    signature = HiddenField()
    # The case's identity_revision then: the patient the faxed sheet named.
    identity_revision = HiddenField()
    fax_number = StringField(
        "Faxat till nummer",
        filters=TEXT,
        validators=[
            DataRequired("Ange faxnumret svaret skickades till."),
            Length(max=40),
            fax_number(),
        ],
        render_kw=PHONE_KEYS,
    )
    faxed_at = LocalDateTimeField(
        "Faxat", validators=[InputRequired("Ange när svaret faxades."), not_in_future()]
    )
    note = TextAreaField("Anteckning", filters=TEXT, validators=[Length(max=2000)])


class TemplateForm(BaseForm):
    # The form instance's key: a double tap on "Spara mallen" saves once.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    # The template's version the page showed, so a save cannot undo another admin's since.
    version = HiddenField()
    name = StringField(
        "Namn",
        filters=TEXT,
        validators=[DataRequired("Ange mallens namn."), Length(max=120)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
    modality = SelectField("Modalitet", validators=[Optional()])
    exam_codes = SelectMultipleField(
        "Undersökningar",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    sections = TextAreaField(
        "Avsnitt (ett per rad)", filters=TEXT, validators=[DataRequired("Ange minst ett avsnitt.")]
    )
    phrases = TextAreaField(
        "Snabbfraser (en per rad: Avsnitt: fras)", filters=TEXT, validators=[Length(max=20000)]
    )
    is_active = BooleanField("Används")

    def section_list(self) -> list[str]:
        seen: list[str] = []
        for line in (self.sections.data or "").splitlines():
            heading = line.strip()
            if heading and heading not in seen:
                seen.append(heading)
        return seen

    def phrase_list(self) -> list[dict[str, str]]:
        phrases = []
        for line in (self.phrases.data or "").splitlines():
            if line.strip():
                section, _colon, text = line.partition(":")
                phrases.append({"section": section.strip(), "text": text.strip()})
        return phrases

    def validate_sections(self, field: Any) -> None:
        # Refused rather than cut: a heading cut short on the report would say something else.
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if len(line.strip()) > HEADING_MAX:
                raise ValidationError(
                    _(
                        "Rad %(line)s: rubriken får vara högst 120 tecken (den har %(n)s).",
                        line=number,
                        n=len(line.strip()),
                    )
                )
        if len(self.section_list()) > 20:
            raise ValidationError("Högst 20 avsnitt.")

    def validate_phrases(self, field: Any) -> None:
        sections = self.section_list()
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            section, sep, text = line.partition(":")
            if not sep or not text.strip():
                raise ValidationError(_("Rad %(line)s: skriv 'Avsnitt: fras'.", line=number))
            if section.strip() not in sections:
                raise ValidationError(
                    _(
                        "Rad %(line)s: avsnittet '%(section)s' finns inte.",
                        line=number,
                        section=section.strip(),
                    )
                )
