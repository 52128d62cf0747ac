"""Forms of the image-release routine: the release, the hand-over, and the report printed for a
release's recipient (ny svarsmottagare)."""

from __future__ import annotations

from typing import Any, Self

from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..cases.fields import clean_text
from ..formutil import NAME_KEYS, BaseForm, choices
from ..i18n import gettext as _
from ..release_terms import DELIVERY_LABELS, MEDIA_LABELS, RECIPIENT_LABELS
from .forms import FORM_KEY, TEXT
from .rules import ReleaseContext, channel_labels

NOT_ON_IEP = "Mottagaren är inte ansluten till %(iep)s"


class ReleaseReportForm(BaseForm):
    recipient_name = StringField(
        "Svarsmottagare (namn)",
        filters=[clean_text],
        validators=[DataRequired("Ange svarsmottagarens namn."), Length(max=200)],
        render_kw=NAME_KEYS,
    )
    recipient_address = TextAreaField(
        "Svarsmottagarens adress", filters=[clean_text], validators=[Length(max=400)]
    )

    def __init__(self, *args: Any, needs_address: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A report sent by post needs an address; one that goes with the patient may not.
        self.needs_address = needs_address

    def validate_recipient_address(self, field: Any) -> None:
        if self.needs_address and not field.data:
            raise ValidationError("Ange adressen: svaret skickas med post.")


class ReleaseForm(BaseForm):
    recipient_kind = RadioField(
        "Mottagare",
        choices=choices(RECIPIENT_LABELS.items()),
        validators=[InputRequired("Välj mottagare.")],
    )
    recipient_name = StringField(
        "Mottagarens namn (sjukhus, mottagning)",
        filters=TEXT,
        validators=[Length(max=200)],
        render_kw=NAME_KEYS,
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
        "Läkare som godkände utlämnandet",
        filters=TEXT,
        validators=[Length(max=200)],
        render_kw=NAME_KEYS,
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
    proxy_name = StringField(
        "Ombudets namn", filters=TEXT, validators=[Length(max=200)], render_kw=NAME_KEYS
    )
    power_of_attorney = BooleanField("Fullmakten är mottagen (sparas i remisspärmen)")
    proxy_id_checked = BooleanField("Ombudets giltiga ID-handling är kontrollerad")
    doctor_cleared_by = StringField(
        "Läkare som godkände utlämnandet",
        filters=TEXT,
        validators=[Length(max=200)],
        render_kw=NAME_KEYS,
    )
