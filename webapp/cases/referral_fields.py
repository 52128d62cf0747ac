"""What a referral says besides the patient's identity (new and edit alike), and what the exam
and report forms share with it: the site's choices, the answers, the idempotent form."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Self

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from ..formutil import (
    NAME_KEYS,
    PHONE_KEYS,
    SWEDISH_TEXT_KEYS,
    BaseForm,
    choices,
    page_in_english,
    site_choices,
)
from ..i18n import gettext
from ..siteconfig import Modality, Priority, SiteConfig
from ..siteconfig_pregnancy import PregnancyAges
from .arrival_confirmation import ArrivalConfirmation
from .display import MOBILITY_LABELS
from .exam_names import picked_exam
from .fields import (
    LabValueField,
    LocalDateTimeField,
    clean_text,
    fax_number,
    not_in_future,
    phone_number,
    site_today,
)
from .laterality import SIDE_CHOICES, SIDE_MISSING, asks_side

ANSWER_CHOICES = [("yes", "Ja"), ("no", "Nej"), ("unknown", "Vet ej")]
ARRIVAL_CHOICES = [("fax", "Fax"), ("paper", "Papper"), ("phone", "Telefon"), ("app", "I appen")]
TEXT = [clean_text]
INFECTION_CONTRADICTS = (
    "Du har svarat Nej men skrivit en smitta – ändra svaret till Ja eller Vet ej, eller ta bort "
    "texten."
)


# A site's choices, built once per configuration rather than per request; the lists are shared,
# so nothing may change them in place.
@lru_cache(maxsize=64)
def _priority_choices(priorities: tuple[Priority, ...], english: bool) -> list[SelectChoice]:
    return site_choices(((p.code, p.label) for p in priorities), english)


def priority_choices(priorities: tuple[Priority, ...]) -> list[SelectChoice]:
    """The site's priorities for a radio field, marked as Swedish on a page in English."""
    return _priority_choices(priorities, page_in_english())


@lru_cache(maxsize=64)
def _modality_choices(
    modalities: tuple[Modality, ...], prompt: str, english: bool
) -> list[SelectChoice]:
    return site_choices(((m.code, m.name) for m in modalities), english, prompt)


def modality_choices(modalities: tuple[Modality, ...]) -> list[SelectChoice]:
    """The site's modalities for a select field, after a prompt in this request's language."""
    # The prompt and the mark are part of the cache key: one shared list per configuration
    # and language.
    return _modality_choices(modalities, gettext("Välj modalitet"), page_in_english())


class IdempotentForm(BaseForm):
    """A form instance carries its own key so a retried submit is recognised."""

    form_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])


class ReferralFields(ArrivalConfirmation, IdempotentForm):
    """What a referral says besides the patient's identity: shared by new and edit."""

    referrer_unit = StringField(
        "Remitterande enhet",
        filters=TEXT,
        validators=[DataRequired("Ange remitterande enhet."), Length(max=200)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
    referrer_clinician = StringField(
        "Remitterande läkare", filters=TEXT, validators=[Length(max=200)], render_kw=NAME_KEYS
    )
    referrer_phone = StringField(
        "Telefon till remittenten",
        filters=TEXT,
        validators=[Length(max=40), phone_number()],
        render_kw=PHONE_KEYS,
    )
    reply_fax = StringField(
        "Svarsfax",
        filters=TEXT,
        validators=[
            DataRequired("Svarsfax krävs – utlåtandet faxas dit."),
            Length(max=40),
            fax_number("Ange svarsfax som ett telefonnummer, t.ex. 035-123 45 67."),
        ],
        render_kw=PHONE_KEYS,
    )
    priority = RadioField("Prioritet", validators=[InputRequired("Välj prioritet.")])
    exam_text = StringField(
        "Undersökning",
        filters=TEXT,
        validators=[DataRequired("Ange undersökning."), Length(max=300)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
    exam_code = HiddenField(filters=TEXT, validators=[Length(max=40)])
    # Asked for a sided exam (required) and a free-text one (optional): see validate.
    side = RadioField("Sida", choices=choices(SIDE_CHOICES), validators=[Optional()])
    modality = SelectField("Modalitet", validators=[InputRequired("Välj modalitet.")])
    contrast_planned = BooleanField("Med kontrastmedel")
    clinical_question = TextAreaField(
        "Frågeställning",
        filters=TEXT,
        validators=[DataRequired("Ange frågeställning."), Length(max=4000)],
    )
    history = TextAreaField("Anamnes", filters=TEXT, validators=[Length(max=8000)])
    contrast_allergy = RadioField(
        "Kontrastmedelsallergi", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    egfr = LabValueField(
        "eGFR (ml/min/1,73 m²)",
        places=None,
        validators=[Optional(), NumberRange(1, 200, "eGFR ska vara 1–200.")],
    )
    creatinine = LabValueField(
        "Kreatinin (µmol/l)",
        places=None,
        validators=[Optional(), NumberRange(10, 2500, "Kreatinin ska vara 10–2500.")],
    )
    kidney_measured_on = DateField("Provtagningsdatum", validators=[Optional()])
    kidney_unknown = BooleanField("Njurfunktion okänd")
    metformin = RadioField("Metformin", choices=choices(ANSWER_CHOICES), validators=[Optional()])
    pregnancy = RadioField("Graviditet", choices=choices(ANSWER_CHOICES), validators=[Optional()])
    pacemaker = RadioField(
        "Pacemaker/ICD", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    implants = RadioField(
        "Implantat, metall, pump", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    implants_note = StringField(
        "Vilket implantat", filters=TEXT, validators=[Length(max=300)], render_kw=SWEDISH_TEXT_KEYS
    )
    # For the room, its cleaning and the porters: RIS shows them, and it is down now.
    infection = RadioField(
        "Smitta/isolering", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    infection_note = StringField(
        "Vilken smitta", filters=TEXT, validators=[Length(max=120)], render_kw=SWEDISH_TEXT_KEYS
    )
    mobility = RadioField(
        "Förflyttning", choices=choices(MOBILITY_LABELS.items()), validators=[Optional()]
    )
    arrived_via = RadioField(
        "Kom in via",
        choices=choices(ARRIVAL_CHOICES),
        validators=[InputRequired("Ange hur remissen kom in.")],
    )
    arrived_at = LocalDateTimeField(
        "Mottagen", validators=[InputRequired("Ange när remissen kom in."), not_in_future()]
    )

    def setup(self, config: SiteConfig) -> Self:
        """Fill the site's choices (priorities, modalities) into the form."""
        self.priority.choices = priority_choices(config.priorities)
        self.modality.choices = modality_choices(config.modalities)
        self._config = config
        return self

    # Which safety facts this exam needs: the same rule on the server and in the browser.
    def needs(self) -> dict[str, bool]:
        config: SiteConfig = self._config
        exam = config.exam(self.exam_code.data or "")
        modality = config.modality(self.modality.data or "")
        contrast = bool(self.contrast_planned.data) or bool(exam and exam.contrast)
        mr = bool(exam and exam.mr_safety) or bool(modality and modality.mr_safety)
        radiation_or_mr = bool(exam and exam.pregnancy) or bool(modality and modality.pregnancy)
        return {
            "contrast": contrast,
            "mr": mr,
            "pregnancy": radiation_or_mr and self.may_be_pregnant(),
            "side": bool(exam and exam.sided),
        }

    def asks_side(self) -> bool:
        """Whether the side is asked: a sided exam needs it, a free-text exam may give it."""
        return asks_side(self._config, self.exam_code.data or "")

    def may_be_pregnant(self) -> bool:
        """Whether the patient may be pregnant: asked only then."""
        raise NotImplementedError

    def pregnancy_ages(self) -> PregnancyAges:
        """The site's ages for the pregnancy question, handed to the browser's same rule."""
        ages: PregnancyAges = self._config.pregnancy_ages
        return ages

    def modality_as_performed(self) -> bool:
        """Whether the modality is the one the exam was documented on (none yet: no)."""
        return False

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        # A text edited after picking is free text; a name the exam had before a rename is not.
        exam = picked_exam(self._config, self.exam_code.data or "", self.exam_text.data or "")
        self.exam_code.data = exam.code if exam else ""
        # The answers are asked for the exam's contrast, box ticked or not: the referral, its
        # sheet and the reviewer's copy must say "med kontrast" too.
        picked = self._config.exam(self.exam_code.data or "")
        if picked and picked.contrast:
            self.contrast_planned.data = True
        needs = self.needs()
        missing = "Svara Ja, Nej eller Vet ej – undersökningen kräver uppgiften."
        if needs["contrast"]:
            for f in (self.contrast_allergy, self.metformin):
                if not f.data:
                    f.errors = [*f.errors, missing]
                    ok = False
            has_value = self.egfr.data is not None or self.creatinine.data is not None
            if (
                not has_value
                and not self.kidney_unknown.data
                and not (self.egfr.errors or self.creatinine.errors)
            ):
                self.egfr.errors = [
                    *self.egfr.errors,
                    "Ange eGFR eller kreatinin, eller kryssa i Njurfunktion okänd.",
                ]
                ok = False
            if has_value and not self.kidney_measured_on.data:
                self.kidney_measured_on.errors = [
                    *self.kidney_measured_on.errors,
                    "Ange provtagningsdatum för njurfunktionen.",
                ]
                ok = False
        if self.kidney_unknown.data and (
            self.egfr.data is not None or self.creatinine.data is not None
        ):
            # Both on the sheet read "eGFR 58 … okänd": which one the radiologist relies on
            # is the referrer's to say, not a guess.
            self.kidney_unknown.errors = [
                *self.kidney_unknown.errors,
                "Ta bort krysset i Njurfunktion okänd, eller värdet: båda kan inte gälla.",
            ]
            ok = False
        if self.kidney_measured_on.data and self.kidney_measured_on.data > site_today():
            self.kidney_measured_on.errors = [
                *self.kidney_measured_on.errors,
                "Datumet kan inte ligga i framtiden.",
            ]
            ok = False
        if needs["mr"]:
            for f in (self.pacemaker, self.implants):
                if not f.data:
                    f.errors = [*f.errors, missing]
                    ok = False
        if needs["side"] and not self.side.data and not self.side.errors:
            self.side.errors = [*self.side.errors, SIDE_MISSING]
            ok = False
        if not self.asks_side():
            # Left from an exam picked before, its field hidden since: no side was asked.
            self.side.data = ""
        if needs["pregnancy"] and not self.pregnancy.data:
            self.pregnancy.errors = [*self.pregnancy.errors, missing]
            ok = False
        if self.implants.data == "yes" and not self.implants_note.data:
            self.implants_note.errors = [*self.implants_note.errors, "Beskriv implantatet."]
            ok = False
        if self.infection.data == "yes" and not self.infection_note.data:
            self.infection_note.errors = [*self.infection_note.errors, "Ange vilken smitta."]
            ok = False
        if self.infection.data == "no" and self.infection_note.data:
            # "Nej: MRSA" would read both ways on the exam form: the user says which holds.
            self.infection_note.errors = [*self.infection_note.errors, INFECTION_CONTRADICTS]
            ok = False
        if (
            self.modality.data
            and exam
            and exam.modality != self.modality.data
            and not self.modality_as_performed()
        ):
            self.modality.errors = [
                *self.modality.errors,
                "Modaliteten stämmer inte med vald undersökning.",
            ]
            ok = False
        return ok
