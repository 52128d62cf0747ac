"""The exam documentation form: what was done, by whom, dose, contrast and PACS status."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from wtforms import (
    BooleanField,
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
    ValidationError,
)

from ..dose_rule import SHORT_SCAN_CONFIRM, short_scan
from ..exam_length_rule import TOO_LONG, lasts_too_long, too_long_values
from ..formutil import CODE_KEYS, NAME_KEYS, SWEDISH_TEXT_KEYS, choices, page_in_english
from ..i18n import gettext as _
from ..siteconfig import Modality, SiteConfig
from ..web import local_time_marked
from . import exam_ranges as ranges
from .display import CONTRAST_ROUTE_LABELS
from .exam_doses import check_doses
from .exam_names import picked_exam
from .fields import (
    FiniteDecimalField,
    LocalDateTimeField,
    WholeNumberField,
    not_in_future,
    put_in_order,
)
from .images_sent import BEFORE_START
from .laterality import (
    SIDE_CHOICES,
    SIDE_DIFFERS,
    SIDE_MISSING,
    asks_side,
    needs_side,
    side_label,
    sides_differ,
)
from .mr_safety import MR_ANSWER_MISSING, needs_mr_safety
from .referral_fields import ANSWER_CHOICES, TEXT, IdempotentForm, modality_choices

NOT_SENT_WITH_TIME = "Bilderna är inte skickade: ta bort tiden, eller svara Ja."
PACS_CHOICES = [("yes", "Ja, skickade"), ("no", "Nej, inte skickade"), ("failed", "Misslyckades")]
SIDE_ASK = (
    "Remissen anger %(side)s. Kontrollera sidan med patienten och remittenten, och bekräfta "
    "i rutan att sidan avviker."
)
SIDE_CHANGED = "Sidan ändrades efter bekräftelsen (remissen anger %(side)s): bekräfta igen."
ROUTE_CHOICES = [("", "–"), *CONTRAST_ROUTE_LABELS.items()]
BATCH_MISSING = (
    "Ange kontrastmedlets batchnummer (står på förpackningen), eller kryssa i Batchnummer okänt."
)
BATCH_AND_UNKNOWN = (
    "Du har skrivit ett batchnummer och kryssat i Batchnummer okänt: ta bort det ena."
)
BATCH_WITHOUT_CONTRAST = (
    "Batchnummer men inget kontrastmedel: ange kontrastmedlet, eller ta bort batchnumret."
)
UNKNOWN_WITHOUT_CONTRAST = (
    "Batchnummer okänt men inget kontrastmedel: ange kontrastmedlet, eller ta bort krysset."
)
# A 0 typed for "not known" would be keyed into RIS as contrast given and none of it.
NO_CONTRAST_AMOUNT = (
    "Mängden kan inte vara 0 ml: ange hur mycket som gavs, eller lämna fältet tomt."
)


@lru_cache(maxsize=64)
def _room_choices(modalities: tuple[Modality, ...], english: bool) -> list[SelectChoice]:
    # A room is the site's name, marked as Swedish on a page in English like the modalities.
    lang = {"lang": "sv"} if english else {}
    return [
        SelectChoice("", "–"),
        *(
            SelectChoice(r, f"{r} ({m.code})", {"data-modality": m.code, **lang})
            for m in modalities
            for r in m.rooms
        ),
    ]


def room_choices(modalities: tuple[Modality, ...]) -> list[SelectChoice]:
    """The rooms of every modality for a select field, after an empty choice.

    Each names its modality, so the form's script offers only the chosen modality's rooms; the
    server's check in ExamForm.validate stays the rule.
    """
    return _room_choices(modalities, page_in_english())


class ExamForm(IdempotentForm):
    # The version of the documentation the form showed (empty when there was none yet).
    version = HiddenField()
    # The referral's version the MR safety answers were read from: a stale form must not put
    # back an answer someone changed since.
    referral_version = HiddenField()
    # The case's identity_revision the form showed: the modality was booked and the safety
    # questions asked beside that name, so a save after a correction is refused (empty: not
    # checked).
    identity_revision = HiddenField()
    modality = SelectField("Modalitet", validators=[InputRequired("Välj modalitet.")])
    room = SelectField("Rum/lab", validators=[Optional()])
    exam_text = StringField(
        "Utförd undersökning",
        filters=TEXT,
        validators=[DataRequired("Ange utförd undersökning."), Length(max=300)],
        render_kw=SWEDISH_TEXT_KEYS,
    )
    exam_code = HiddenField(filters=TEXT, validators=[Length(max=40)])
    # The side performed: prefilled from the referral, required for a sided exam.
    side = RadioField("Sida", choices=choices(SIDE_CHOICES), validators=[Optional()])
    # The referral's side the form compared with; the service compares with the stored one.
    referral_side = HiddenField(filters=TEXT, validators=[Length(max=10)])
    # Asked when the side performed is not the referral's (see check_side). Its value is the
    # pair of sides it was shown for ("left:right"): a tick counts only for that pair, so one
    # given before the side was changed again does not let another side through. In the box
    # itself, not a hidden field: a tablet's unsent copy of the form, put back after a refused
    # save, would restore a hidden field's older value over the one the refusal drew.
    side_confirmed = BooleanField(SIDE_DIFFERS)
    started_at = LocalDateTimeField(
        "Start", validators=[InputRequired("Ange starttid."), not_in_future()]
    )
    ended_at = LocalDateTimeField("Slut", validators=[Optional(), not_in_future()])
    radiographers = StringField(
        "Röntgensjuksköterska/-or",
        filters=TEXT,
        validators=[DataRequired("Ange vem som utförde."), Length(max=300)],
        render_kw=NAME_KEYS,
    )
    modality_temp_id = StringField(
        "Tillfälligt patient-ID på modaliteten",
        filters=TEXT,
        validators=[
            DataRequired(
                "Ange ID:t som skrevs in på modaliteten (behövs för att matcha bilderna i PACS)."
            ),
            Length(max=64),
        ],
        render_kw=CODE_KEYS,
    )
    # Written as in the record ("Omnipaque 350 i.v.", "jodkontrast"): Swedish, not a code.
    contrast_agent = StringField(
        "Kontrastmedel", filters=TEXT, validators=[Length(max=120)], render_kw=SWEDISH_TEXT_KEYS
    )
    contrast_volume_ml = FiniteDecimalField(
        "Mängd (ml)", places=None, validators=[Optional(), NumberRange(0, 1000, "Ange 0–1000 ml.")]
    )
    contrast_route = SelectField(
        "Administrationsväg", choices=choices(ROUTE_CHOICES), validators=[Optional()]
    )
    # The package's batch (lot) number, to find the patients of a recalled batch.
    contrast_batch = StringField(
        "Batchnummer (kontrastmedel)",
        filters=TEXT,
        validators=[Length(max=40, message="Högst 40 tecken.")],
        render_kw=CODE_KEYS,
    )
    contrast_batch_unknown = BooleanField("Batchnummer okänt")
    patient_weight_kg = FiniteDecimalField(
        "Patientens vikt (kg)",
        places=None,
        validators=[Optional(), NumberRange(0.3, 400, ranges.WEIGHT_RANGE)],
    )
    dlp_mgycm = FiniteDecimalField(
        "DLP (mGy·cm)",
        places=None,
        validators=[Optional(), NumberRange(0, 100000, ranges.DLP_RANGE)],
    )
    ctdivol_mgy = FiniteDecimalField(
        "CTDIvol (mGy)",
        places=None,
        validators=[Optional(), NumberRange(0, 10000, ranges.CTDIVOL_RANGE)],
    )
    # Asked beside the DLP when it is below the CTDIvol (check_doses): a genuine scan under 1 cm
    # is saved as typed once confirmed, the swap being the common mistake.
    short_scan_confirmed = BooleanField(SHORT_SCAN_CONFIRM)
    dap_gycm2 = FiniteDecimalField(
        "DAP (Gy·cm²)",
        places=None,
        validators=[Optional(), NumberRange(0, 100000, ranges.DAP_RANGE)],
    )
    fluoro_seconds = FiniteDecimalField(
        "Genomlysningstid (s)",
        places=None,
        validators=[Optional(), NumberRange(0, 36000, ranges.FLUORO_RANGE)],
    )
    series_count = WholeNumberField(
        "Antal serier", validators=[Optional(), NumberRange(0, 10000, ranges.SERIES_RANGE)]
    )
    image_count = WholeNumberField(
        "Antal bilder", validators=[Optional(), NumberRange(0, 100000, ranges.IMAGES_RANGE)]
    )
    pacs_status = RadioField(
        "Bilder skickade till PACS",
        choices=choices(PACS_CHOICES),
        validators=[InputRequired("Ange om bilderna skickades till PACS.")],
    )
    pacs_sent_at = LocalDateTimeField("Skickade", validators=[Optional(), not_in_future()])
    pacemaker = RadioField(
        "Pacemaker/ICD", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    implants = RadioField(
        "Implantat, metall, pump", choices=choices(ANSWER_CHOICES), validators=[Optional()]
    )
    implants_note = StringField(
        "Vilket implantat", filters=TEXT, validators=[Length(max=300)], render_kw=SWEDISH_TEXT_KEYS
    )
    complications = TextAreaField("Komplikationer", filters=TEXT, validators=[Length(max=4000)])
    notes = TextAreaField("Anteckningar", filters=TEXT, validators=[Length(max=8000)])

    def setup(self, config: SiteConfig) -> ExamForm:
        """Fill the site's modalities and rooms."""
        self.modality.choices = modality_choices(config.modalities)
        self.room.choices = room_choices(config.modalities)
        self._config = config
        return self

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not put_in_order(self.started_at, self.ended_at):
            self.ended_at.errors = [*self.ended_at.errors, "Sluttiden är före starttiden."]
            ok = False
        elif self.started_at.data and lasts_too_long(self.started_at.data, self.ended_at.data):
            # The service's rule, said before a write is tried.
            message = _(TOO_LONG, **too_long_values(self.started_at.data))
            self.ended_at.errors = [*self.ended_at.errors, message]
            ok = False
        # Images leave the modality after the exam started (a repeated autumn hour read so): one
        # sent before it is a mistyped time, and the catch-up would match the images by it.
        if not put_in_order(self.started_at, self.pacs_sent_at) and not self.started_at.errors:
            at = local_time_marked(self.started_at.data)
            self.pacs_sent_at.errors = [*self.pacs_sent_at.errors, _(BEFORE_START, time=at)]
            ok = False
        # A time typed but unreadable has its own message: "Ange när" beside it reads as lost.
        if (
            self.pacs_status.data == "yes"
            and not self.pacs_sent_at.data
            and not self.pacs_sent_at.errors
        ):
            self.pacs_sent_at.errors = [*self.pacs_sent_at.errors, "Ange när bilderna skickades."]
            ok = False
        # A send time beside "not sent" leaves the catch-up unsure whether PACS has the images.
        if self.pacs_status.data == "no" and self.pacs_sent_at.data:
            self.pacs_sent_at.errors = [*self.pacs_sent_at.errors, NOT_SENT_WITH_TIME]
            ok = False
        if (
            self.contrast_volume_ml.data or self.contrast_route.data
        ) and not self.contrast_agent.data:
            self.contrast_agent.errors = [*self.contrast_agent.errors, "Ange kontrastmedel."]
            ok = False
        ok = self.check_contrast_batch() and ok
        ok = self.check_doses() and ok
        # A text edited after picking is free text; a name the exam had before a rename is not.
        exam = picked_exam(self._config, self.exam_code.data or "", self.exam_text.data or "")
        self.exam_code.data = exam.code if exam else ""
        # A modality changed without the exam (the requested CT left in the text of an MR).
        if self.modality.data and exam and exam.modality != self.modality.data:
            self.modality.errors = [
                *self.modality.errors,
                "Modaliteten stämmer inte med vald undersökning.",
            ]
            ok = False
        # The room names the lab whose worklist the exam is keyed into after the outage.
        modality = self._config.modality(self.modality.data or "")
        if self.room.data and modality and self.room.data not in modality.rooms:
            self.room.errors = [
                *self.room.errors,
                _(
                    "Rummet %(room)s hör inte till modaliteten %(modality)s.",
                    room=self.room.data,
                    modality=modality.name,
                ),
            ]
            ok = False
        ok = self.check_side() and ok
        if self.needs_mr():
            for f in (self.pacemaker, self.implants):
                if not f.data:
                    f.errors = [*f.errors, MR_ANSWER_MISSING]
                    ok = False
            if self.implants.data == "yes" and not self.implants_note.data:
                self.implants_note.errors = [*self.implants_note.errors, "Beskriv implantatet."]
                ok = False
        return ok

    def validate_contrast_volume_ml(self, field: FiniteDecimalField) -> None:
        """An amount is of contrast given: empty when not known, never 0."""
        if field.data is not None and field.data == 0:
            raise ValidationError(NO_CONTRAST_AMOUNT)

    def check_doses(self) -> bool:
        """The DLP and the CTDIvol are not each other's (the service's rule, said first)."""
        return check_doses(self.dlp_mgycm, self.ctdivol_mgy, self.short_scan_confirmed)

    def asks_short_scan_confirmation(self) -> bool:
        """Whether the box confirming a DLP below the CTDIvol (a scan under 1 cm) is shown."""
        return short_scan(self.dlp_mgycm.data, self.ctdivol_mgy.data)

    def dose_values(self) -> dict[str, bool]:
        """The short scan's confirmation, as the exam record stores it."""
        confirmed = bool(self.short_scan_confirmed.data) and self.asks_short_scan_confirmation()
        return {"short_scan_confirmed": confirmed}

    def check_contrast_batch(self) -> bool:
        """A contrast given names its batch or is ticked as not known; neither goes without one."""
        batch, unknown = self.contrast_batch.data or "", bool(self.contrast_batch_unknown.data)
        batch_error = unknown_error = ""
        if self.contrast_agent.data:
            if batch and unknown:
                batch_error = BATCH_AND_UNKNOWN
            elif not batch and not unknown:
                batch_error = BATCH_MISSING
        else:
            batch_error = BATCH_WITHOUT_CONTRAST if batch else ""
            unknown_error = UNKNOWN_WITHOUT_CONTRAST if unknown else ""
        if batch_error and not self.contrast_batch.errors:
            self.contrast_batch.errors = [*self.contrast_batch.errors, batch_error]
        if unknown_error:
            self.contrast_batch_unknown.errors = [
                *self.contrast_batch_unknown.errors,
                unknown_error,
            ]
        return not (batch_error or unknown_error or self.contrast_batch.errors)

    def check_side(self) -> bool:
        """A sided exam names its side; one not the referral's is confirmed in a box."""
        ok = True
        code = self.exam_code.data or ""
        if needs_side(self._config, code) and not self.side.data and not self.side.errors:
            self.side.errors = [*self.side.errors, SIDE_MISSING]
            ok = False
        if not asks_side(self._config, code):
            self.side.data = ""  # left from an exam picked before: no side was asked
        referred, done = self.referral_side.data or "", self.side.data or ""
        if not sides_differ(referred, done):
            self.side_confirmed.data = False
            return ok
        ticked_for = self.confirmed_pair()
        if ticked_for == self.side_pair():
            return ok
        changed = bool(ticked_for)
        self.side_confirmed.data = False
        self.side_confirmed.errors = [
            *self.side_confirmed.errors,
            _(SIDE_CHANGED if changed else SIDE_ASK, side=_(side_label(referred)).lower()),
        ]
        return False

    def side_pair(self) -> str:
        """The referral's side and the side performed, as the box's value names them."""
        return f"{self.referral_side.data or ''}:{self.side.data or ''}"

    def confirmed_pair(self) -> str:
        """The pair of sides the ticked box was shown for ("" if not ticked)."""
        raw = self.side_confirmed.raw_data or []
        return str(raw[0]) if self.side_confirmed.data and raw else ""

    def asks_side_confirmation(self) -> bool:
        """Whether the box confirming a side other than the referral's is shown."""
        return sides_differ(self.referral_side.data or "", self.side.data or "")

    def side_values(self) -> dict[str, Any]:
        """The side and its confirmation, as the exam record stores them."""
        return {
            "side": self.side.data or "",
            "side_confirmed": bool(self.side_confirmed.data) and self.asks_side_confirmation(),
        }

    def needs_mr(self) -> bool:
        """Whether the exam as typed is an MR exam: the MR safety facts must be answered."""
        return needs_mr_safety(self._config, self.modality.data or "", [self.exam_code.data or ""])

    def mr_answers(self) -> dict[str, str] | None:
        """The MR safety answers for the referral, or None when the exam is no MR exam."""
        if not self.needs_mr():
            return None
        return {
            "pacemaker": self.pacemaker.data or "",
            "implants": self.implants.data or "",
            "implants_note": self.implants_note.data or "",
        }
