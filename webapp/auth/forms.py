"""Login and setup forms."""

from __future__ import annotations

from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..formutil import BaseForm, choices
from ..i18n import gettext as _
from .passwords import SECRET_MAX_LENGTH

FORM_KEY = [Optional(), Length(min=16, max=64)]
# The fields that hold a PIN or password: kept out of a stored digest of the form.
OWN_SECRET_FIELDS = ("current", "new", "confirm")
SETUP_SECRET_FIELDS = ("secret", "confirm")

USERNAME_RE = r"^[A-Za-z0-9._-]+$"


def strip_spaces(value: str | None) -> str | None:
    """Drop the spaces around a typed name: a tablet's autocomplete adds one after a word."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(BaseForm):
    username = StringField(
        "Användarnamn", validators=[DataRequired("Ange användarnamn."), Length(max=64)]
    )
    secret = PasswordField(
        "PIN-kod eller lösenord",
        validators=[DataRequired("Ange PIN-kod eller lösenord."), Length(max=SECRET_MAX_LENGTH)],
    )


class SetupForm(BaseForm):
    # Its key: the first administrator's form sent twice lands on the login page.
    form_key = HiddenField(validators=FORM_KEY)
    display_name = StringField(
        "Namn",
        filters=[strip_spaces],
        validators=[DataRequired("Ange ditt namn."), Length(max=120)],
    )
    username = StringField(
        "Användarnamn",
        filters=[strip_spaces],
        validators=[
            DataRequired("Ange användarnamn."),
            Length(min=2, max=64, message="2–64 tecken."),
            Regexp(USERNAME_RE, message="Bara bokstäver a–z, siffror, punkt, bindestreck och _."),
        ],
    )
    kind = RadioField(
        "Inloggning med",
        choices=choices(
            [("pin", "PIN-kod (minst 6 siffror)"), ("password", "Lösenord (minst 10 tecken)")]
        ),
        default="password",
    )
    secret = PasswordField(
        "PIN-kod eller lösenord",
        # Its longest length is validate_secret's, in words a person reads.
        validators=[DataRequired("Ange PIN-kod eller lösenord.")],
    )
    confirm = PasswordField(
        "Upprepa",
        validators=[EqualTo("secret", message="De två inmatningarna är inte lika.")],
    )

    def validate_secret(self, field: PasswordField) -> None:
        from wtforms.validators import ValidationError

        from .passwords import validate_secret

        problem = validate_secret(field.data or "", self.kind.data or "pin")
        if problem:
            raise ValidationError(_(problem))


class OwnSecretForm(BaseForm):
    # The form instance's key (formutil.new_form_key): the change sent twice is one change.
    form_key = HiddenField(validators=FORM_KEY)
    current = PasswordField(
        "Nuvarande PIN-kod eller lösenord",
        validators=[
            DataRequired("Ange din nuvarande PIN-kod eller ditt lösenord."),
            Length(max=SECRET_MAX_LENGTH),
        ],
    )
    kind = RadioField(
        "Ny inloggning med",
        choices=choices(
            [("pin", "PIN-kod (minst 6 siffror)"), ("password", "Lösenord (minst 10 tecken)")]
        ),
        default="pin",
    )
    new = PasswordField(
        "Ny PIN-kod eller nytt lösenord",
        validators=[
            # Its longest length is validate_secret's, in words a person reads.
            DataRequired("Ange den nya PIN-koden eller det nya lösenordet."),
        ],
    )
    confirm = PasswordField(
        "Upprepa den nya",
        validators=[EqualTo("new", message="De två inmatningarna är inte lika.")],
    )

    def validate_new(self, field: PasswordField) -> None:
        from wtforms.validators import ValidationError

        from .passwords import validate_secret

        problem = validate_secret(field.data or "", self.kind.data or "pin")
        if problem:
            raise ValidationError(_(problem))
