"""Catch-up forms."""

from __future__ import annotations

from flask import g
from wtforms import BooleanField, Field, HiddenField, Label, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from ..cases.fields import clean_text, site_today
from ..formutil import CODE_KEYS, SWEDISH_TEXT_KEYS, BaseForm, new_form_key
from ..i18n import gettext, refusal_text
from ..identity import mentions_personal_number
from .ris_numbers import ACCESSION_WITHOUT_ALNUM, has_alnum, too_long

TEXT = [clean_text]
# The form instance's key (formutil.new_form_key): a double tap is one action (catchup.once).
FORM_KEY = [Optional(), Length(min=16, max=64)]
RIS_ID = r"^[A-Za-z0-9\-_/. ]*$"
# RIS numbers are ASCII: a Swedish letter is a typing slip, and the message must not invite one.
RIS_ID_MESSAGE = "Bara bokstäverna A–Z (inte å, ä, ö), siffror, mellanslag och - _ / ."
# No standard limits RIS's exam number: the column's 64 characters do.
EXAM_NUMBER_TOO_LONG = "Undersökningsnumret får vara högst 64 tecken."
# Well above any limit checked here: a browser's maxlength cuts a pasted double number short
# unseen, and the cut number would be saved; the server's message is seen instead.
PASTE_ROOM = {"maxlength": 200}


class RisIdsForm(BaseForm):
    ris_accession = StringField(
        "Accessionsnummer (RIS)",
        filters=TEXT,
        validators=[
            DataRequired("Ange accessionsnumret från RIS."),
            Regexp(RIS_ID, message=RIS_ID_MESSAGE),
        ],
        render_kw=CODE_KEYS | PASTE_ROOM,
    )
    ris_exam_number = StringField(
        "Undersökningsnummer (RIS)",
        filters=TEXT,
        validators=[
            Length(max=64, message=EXAM_NUMBER_TOO_LONG),
            Regexp(RIS_ID, message=RIS_ID_MESSAGE),
        ],
        render_kw=CODE_KEYS | PASTE_ROOM,
    )
    allow_duplicate = BooleanField("Jag har kontrollerat: numret ska användas trots dubbletten")
    # The numbers the page showed: a colleague's saved since are not overwritten unseen.
    accession_shown = HiddenField(validators=[Length(max=64)])
    exam_number_shown = HiddenField(validators=[Length(max=64)])
    # The versions the page showed (catchup.shown): a new accession marks the case booked, and
    # from an older page that tick is refused as a step's is. Its id left to the steps' forms.
    shown = HiddenField(validators=[Length(max=100)], render_kw={"id": False})

    def validate_ris_accession(self, field: Field) -> None:
        if field.data and not has_alnum(field.data):
            raise ValidationError(ACCESSION_WITHOUT_ALNUM)
        # The site's limit (siteconfig_ris); the service checks it again.
        refused = too_long(field.data or "", g.site_config.accession_max_length)
        if refused is not None:
            raise ValidationError(refusal_text(refused))


class StepForm(BaseForm):
    # The page's key for all its ticks: each step is stored under a key of its own.
    form_key = HiddenField(validators=FORM_KEY)
    step = HiddenField(validators=[DataRequired(), Length(max=30)])
    # Read as "not 1", any other value would undo a done step unasked.
    is_done = HiddenField(validators=[DataRequired(), AnyOf(("0", "1"), message="Okänt val.")])
    # The versions the page showed (catchup.shown): a tick from an older page is refused.
    shown = HiddenField(validators=[Length(max=100)])
    # The id of the step's latest tick the page showed (catchup.ticking): an untick of a tick
    # newer than the page is refused.
    shown_tick = HiddenField(validators=[Length(max=20)])
    confirm_preliminary = BooleanField("Lägg in som preliminärt")
    # Sent by the second tap that undoes a step of a checked case (the check is removed).
    confirm_uncheck = HiddenField(validators=[Length(max=1)])
    # The later steps the confirmation listed, space-separated (catchup.ticking): a confirmed
    # undo that would undo one more is refused.
    shown_later = HiddenField(validators=[Length(max=200)])

    def listed_later(self) -> list[str] | None:
        """The later steps the confirmation listed; None when it sent no list."""
        if not self.shown_later.raw_data:
            return None
        return (self.shown_later.data or "").split()


class VerifyForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    # The versions the page showed (catchup.shown): a check from an older page is refused.
    shown = HiddenField(validators=[Length(max=100)])
    # The RIS numbers the page showed: the check vouches for the RIS exam they name.
    accession_shown = HiddenField(validators=[Length(max=64)])
    exam_number_shown = HiddenField(validators=[Length(max=64)])


def shown_numbers(form: RisIdsForm | VerifyForm) -> tuple[str, str] | None:
    """The RIS numbers the page showed; None from a client that sent none."""
    if not form.accession_shown.raw_data:
        return None
    return form.accession_shown.data or "", form.exam_number_shown.data or ""


class WaiveForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    # The versions the page showed (catchup.shown): a waiver from an older page is refused.
    shown = HiddenField(validators=[Length(max=100)])
    reason = TextAreaField(
        "Orsak",
        filters=TEXT,
        validators=[DataRequired("Ange varför ärendet undantas."), Length(max=1000)],
    )


class ConfirmWaiverForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    # The versions the page showed (catchup.shown): a confirmation from an older page is refused.
    shown = HiddenField(validators=[Length(max=100)])
    # The waiver the page showed (waiving.waiver_stamp): one lifted and made again is read anew.
    waived_shown = HiddenField(validators=[Length(max=80)])


class LiftWaiverForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    # The versions and the waiver the page showed: a lift from an older page is refused, as it
    # would undo a waiver confirmed or made again since.
    shown = HiddenField(validators=[Length(max=100)])
    waived_shown = HiddenField(validators=[Length(max=80)])


# The clean-up's note shows on the follow-up, which the RIS/PACS administrators read and which
# names no patient.
NOTE_NAMES_PATIENT = (
    "Det ser ut som ett personnummer. Skriv vad som gjordes i RIS/PACS, inget om patienten."
)
CLEAN_UP_PAGES = ("batch", "followup")


class CleanUpForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    # The page the form was sent from, and is drawn again on: the batch or the follow-up.
    back = HiddenField(validators=[Optional(), AnyOf(CLEAN_UP_PAGES, message="Okänd sida.")])
    note = StringField(
        "Vad gjordes (frivilligt)",
        filters=TEXT,
        validators=[Length(max=300, message="Högst 300 tecken.")],
        render_kw=SWEDISH_TEXT_KEYS,
    )

    def validate_note(self, field: Field) -> None:
        if field.data and not field.errors and mentions_personal_number(field.data, site_today()):
            raise ValidationError(NOTE_NAMES_PATIENT)


def for_case(form: CleanUpForm, case_id: int) -> CleanUpForm:
    """The form with ids of the case's own: a page holds one a case, and each label, error
    and link must find its own field. The names stay: the route knows its case."""
    for f in form:
        f.id = f"{f.name}-{case_id}"
        f.label = Label(f.id, f.label.text)
    return form


def clean_up_forms(
    case_ids: list[int], back: str, sent: tuple[int, CleanUpForm] | None = None
) -> dict[int, CleanUpForm]:
    """A clean-up form for each case, each with a key of its own; `sent` as it came back."""
    forms = {
        case_id: for_case(CleanUpForm(formdata=None, back=back, form_key=new_form_key()), case_id)
        for case_id in case_ids
    }
    if sent is not None:
        forms[sent[0]] = for_case(sent[1], sent[0])
    return forms


class ReleaseNoteForm(BaseForm):
    """A release's referral note ticked as written in RIS, or that undone."""

    form_key = HiddenField(validators=FORM_KEY)
    is_done = HiddenField(validators=[DataRequired(), AnyOf(("0", "1"), message="Okänt val.")])
    # The digest of the note the page showed (release_in_ris.note_digest).
    shown = HiddenField(validators=[Length(max=64)])


# A form whose hidden fields came back wrong was made by hand, or cut short on the way: nothing
# typed can be put right by the user, but the answer says what came wrong, never nothing.
SENT_WRONG = (
    "Formuläret kom inte fram som sidan skickade det (%(fields)s), så inget sparades. Ladda om "
    "sidan och försök igen."
)
# The catch-up's hidden fields as the message names them.
HIDDEN_NAMES = {
    "form_key": "formulärets nyckel",
    "step": "steget",
    "is_done": "klar eller ångra",
    "shown": "sidans version",
    "confirm_uncheck": "bekräftelsen",
    "accession_shown": "RIS-numren som sidan visade",
    "exam_number_shown": "RIS-numren som sidan visade",
    "waived_shown": "undantaget som sidan visade",
}


def sent_wrong(form: BaseForm) -> str:
    """Why `form` was refused, in the request's language, naming each field that came wrong."""
    names = dict.fromkeys(gettext(HIDDEN_NAMES.get(name, "formuläret")) for name in form.errors)
    return gettext(SENT_WRONG, fields=", ".join(names))
