"""The faxed- and paper-report forms: a report written elsewhere and keyed in here."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from ..cases.fields import LocalDateTimeField, fax_number, not_in_future, put_in_order
from ..formutil import NAME_KEYS, PHONE_KEYS, BaseForm, choices
from ..models.report import (
    PAPER_AUTHOR_MAX,
    PAPER_AUTHOR_TOO_LONG,
    READ_ON,
    READ_ON_UNKNOWN,
    TYPED_AUTHOR_MAX,
    TYPED_AUTHOR_TOO_LONG,
)
from .forms import TEXT


class KeyedReportText(BaseForm):
    """A report written elsewhere and keyed in here (by fax or from paper)."""

    # The form instance's key: a retried submit enters the report once.
    form_key = HiddenField(validators=[Optional(), Length(min=16, max=64)])
    # The case's report version the form was drawn against ("" none): kept through refusals.
    report_version = HiddenField()
    # The case's identity_revision the form showed: the paper names the patient as they were
    # when it was written, and a correction made while it was keyed is seen before the report
    # lands on the case (empty: not checked). Kept through other refusals.
    identity_revision = HiddenField()
    # Set by the view when the service refused the report for that correction (answered 409).
    identity_corrected = False


def report_text_fields() -> tuple[Any, Any, Any]:
    """Findings, conclusion and urgency of a keyed report.

    Made where each form lists them: fields are ordered as they are made, and the error
    summary lists them in that order, which must be the page's.
    """
    return (
        TextAreaField("Fynd", filters=TEXT, validators=[Length(max=20000)]),
        TextAreaField(
            "Bedömning",
            filters=TEXT,
            validators=[DataRequired("Skriv av bedömningen."), Length(max=20000)],
        ),
        BooleanField("Akut fynd – remittenten ska ringas"),
    )


def over_draft_fields() -> tuple[Any, Any]:
    """The tick replacing the case's typed draft, and the draft's version the page showed
    (so a save of the draft after the tick is asked about again); made last, as the page
    shows the tick beside the button."""
    return (
        BooleanField("Ersätt utkastet"),
        # Not validated: a value that is no version confirms nothing, and is asked about.
        HiddenField(),
    )


def over_keyed_fields() -> tuple[Any, Any]:
    """The tick replacing a preliminary report keyed in since the form opened, and its version
    the page showed (see over_keyed.py); beside the button, as the draft's."""
    return BooleanField("Ersätt det preliminära utlåtandet"), HiddenField()


class FaxReportForm(KeyedReportText):
    author_name = StringField(
        "Utlåtandet skrivet av",
        filters=TEXT,
        validators=[
            DataRequired("Ange vem som skrev utlåtandet."),
            Length(max=TYPED_AUTHOR_MAX, message=TYPED_AUTHOR_TOO_LONG),
        ],
        render_kw=NAME_KEYS,
    )
    received_at = LocalDateTimeField(
        "Faxet mottaget", validators=[InputRequired("Ange när faxet kom."), not_in_future()]
    )
    state = RadioField(
        "Signerat som",
        choices=choices([("preliminary", "Preliminärt"), ("definitive", "Definitivt")]),
        validators=[InputRequired("Ange hur utlåtandet är signerat.")],
    )
    findings, conclusion, is_urgent = report_text_fields()
    replace_draft, draft_version = over_draft_fields()
    replace_report, report_confirmed = over_keyed_fields()


def if_already_faxed(message: str) -> Any:
    """Validator: the field is asked only when the paper was already faxed, and then required."""

    def check(form: Any, field: Any) -> None:
        given = bool(field.raw_data and str(field.raw_data[0]).strip())
        if form.already_faxed.data and given:
            return
        # Not faxed yet: whatever the hidden fields hold is not looked at (nor stored).
        field.errors[:] = []
        raise StopValidation(message if form.already_faxed.data else "")

    return check


class PaperReportForm(KeyedReportText):
    # Choices are the site's radiologists, set by the view; checked here for a Swedish message.
    author_id = SelectField("Radiolog som skrev utlåtandet", validate_choice=False)
    author_name = StringField(
        "Annan radiolog (namn)",
        filters=TEXT,
        validators=[Length(max=PAPER_AUTHOR_MAX, message=PAPER_AUTHOR_TOO_LONG)],
        render_kw=NAME_KEYS,
    )
    written_at = LocalDateTimeField(
        "Skrivet (tid på papperet)",
        validators=[InputRequired("Ange när utlåtandet skrevs."), not_in_future()],
    )
    state = RadioField(
        "Signerat som",
        choices=choices([("preliminary", "Preliminärt"), ("definitive", "Definitivt")]),
        validators=[InputRequired("Ange hur utlåtandet är signerat på papperet.")],
    )
    findings, conclusion, is_urgent = report_text_fields()
    # Optional here: the paper may not say, and what it does not say is not known (never PACS).
    read_on = RadioField(
        "Bilderna granskade på",
        choices=choices([("", "Framgår inte av papperet"), *READ_ON.items()]),
        default="",
        validate_choice=False,
    )

    def validate_read_on(self, field: Any) -> None:
        if field.data and field.data not in READ_ON:
            raise ValidationError(READ_ON_UNKNOWN)

    already_faxed = BooleanField("Papperet är redan faxat till remittenten")
    faxed_at = LocalDateTimeField(
        "Faxat",
        validators=[
            if_already_faxed("Ange när papperet faxades till remittenten."),
            not_in_future(),
        ],
    )
    fax_number = StringField(
        "Faxat till nummer",
        filters=TEXT,
        validators=[
            if_already_faxed("Ange faxnumret papperet faxades till."),
            Length(max=40),
            fax_number(),
        ],
        render_kw=PHONE_KEYS,
    )
    replace_draft, draft_version = over_draft_fields()
    replace_report, report_confirmed = over_keyed_fields()

    def validate_faxed_at(self, field: Any) -> None:
        # Written at 02:50 and faxed at 02:05 is fifteen minutes later on the night the
        # clocks go back.
        if not put_in_order(self.written_at, field):
            raise ValidationError("Faxtiden ligger före tiden utlåtandet skrevs.")

    def validate_author_id(self, field: Any) -> None:
        chosen = field.data or ""
        if chosen and chosen not in {value for value, _label in field.choices or []}:
            raise ValidationError("Välj en radiolog ur listan.")
        if not chosen and not self.author_name.data:
            raise ValidationError(
                "Välj radiologen som skrev utlåtandet, eller skriv namnet om hen inte finns i "
                "listan."
            )
