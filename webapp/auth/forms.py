"""Login and setup forms."""

from __future__ import annotations

from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from ..formutil import USERNAME_KEYS, BaseForm, choices
from ..i18n import gettext as _
from .accounts import PIN_LIKE_USERNAME, USERNAME_PATTERN, staff_name
from .passwords import PIN_PATTERN, SECRET_MAX_LENGTH, SHORTEST_SECRET

FORM_KEY = [Optional(), Length(min=16, max=64)]
# The fields that hold a PIN or password: kept out of a stored digest of the form.
OWN_SECRET_FIELDS = ("current", "new", "confirm")
SETUP_SECRET_FIELDS = ("secret", "confirm")

USERNAME_RE = r"^[A-Za-z0-9._-]+$"


def strip_spaces(value: str | None) -> str | None:
    """Drop the spaces around a typed name: a tablet's autocomplete adds one after a word."""
    return value.strip() if isinstance(value, str) else value


USERNAME_LOOKED_LIKE_PIN = (
    "Det du skrev i användarnamnet visas inte igen: det liknade en PIN-kod. "
    "Skriv ditt användarnamn."
)
USERNAME_COULD_BE_PASSWORD = (
    "Det du skrev i användarnamnet visas inte igen: ett användarnamn har bara bokstäverna a–z, "
    "siffror, punkt, bindestreck och _ (2–64 tecken), så det kan ha varit ett lösenord. "
    "Skriv ditt användarnamn."
)


def withheld_username_reason(typed: str) -> str | None:
    """Why a refused login's typed username must not be drawn back, or None to show it again.

    Drawn back it stands on the tablet for anyone beside it, and a second tap on "Logga in"
    puts it into the browser's form history. Two kinds are withheld, read as the login reads
    a name (stripped, lowercased):
    - the shape of a PIN (digits 0-9, at least 6, as validate_secret sets one), even where a
      user has that very name: were it withheld only when nobody has it, the page would tell a
      guesser which numbers are usernames. Such a user types their name again after a wrong PIN.
    - what fits no username (the rule create_user holds every name to) and is as long as a
      secret can be: nobody can log in with it, so showing it helps no one, and a password
      with a capital gone lowercase, a space, a sign or a Swedish letter lands here.
    A password of a-z and digits alone ("vinter2026") reads as a misspelt name and is shown:
    nothing tells it from one.
    """
    name = typed.strip().lower()
    if not name:
        return None
    if PIN_PATTERN.fullmatch(name):
        return USERNAME_LOOKED_LIKE_PIN
    # Shorter than a PIN's six digits it is no secret, but a name mistyped (its own error says
    # what a name may hold).
    if len(name) >= SHORTEST_SECRET and not USERNAME_PATTERN.fullmatch(name):
        return USERNAME_COULD_BE_PASSWORD
    return None


def withhold_username(field: StringField) -> None:
    """Empty a refused form's username field of a possible PIN or password, saying why in place
    of its other errors (withheld_username_reason)."""
    reason = withheld_username_reason(field.data or "")
    if reason is not None:
        field.data = ""
        field.raw_data = []
        field.errors = [reason]


def not_pin_like(form: BaseForm, field: StringField) -> None:
    """A new username is not of a PIN's shape (accounts.PIN_LIKE_USERNAME)."""
    if PIN_PATTERN.fullmatch((field.data or "").strip()):
        raise ValidationError(PIN_LIKE_USERNAME)


class LoginForm(BaseForm):
    username = StringField(
        "Användarnamn",
        validators=[DataRequired("Ange användarnamn."), Length(max=64)],
        render_kw=USERNAME_KEYS,
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
        filters=[staff_name],
        validators=[DataRequired("Ange ditt namn."), Length(max=120)],
    )
    username = StringField(
        "Användarnamn",
        filters=[strip_spaces],
        validators=[
            DataRequired("Ange användarnamn."),
            Length(min=2, max=64, message="2–64 tecken."),
            Regexp(USERNAME_RE, message="Bara bokstäver a–z, siffror, punkt, bindestreck och _."),
            not_pin_like,
        ],
        render_kw=USERNAME_KEYS,
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
        from .passwords import validate_secret

        problem = validate_secret(field.data or "", self.kind.data or "pin")
        if problem:
            raise ValidationError(_(problem))
