"""Admin forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..audit_labels import ACTION_LABELS
from ..auth.accounts import staff_name
from ..auth.forms import USERNAME_RE, not_pin_like, strip_spaces
from ..auth.passwords import validate_secret
from ..cases.fields import site_today
from ..codes import CodeError, parse_case_code
from ..formutil import (
    CODE_KEYS,
    NAME_KEYS,
    USERNAME_KEYS,
    Asked,
    BaseForm,
    choices,
    site_choices,
)
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..identity import personal_number_problem
from ..role_labels import ROLE_LABELS
from ..siteconfig import SiteConfigError, parse_site_config
from .same_name import SAME_NAME_ASK, name_key

# The form instance's key (formutil.new_form_key): a double tap or a resend is one act.
FORM_KEY = [Optional(), Length(min=16, max=64)]
# Fields whose value never goes into a stored digest of the form (payload_hash).
SECRET_FIELDS = ("secret",)

ROLE_CHOICES = list(ROLE_LABELS.items())


class KeyedConfirmForm(BaseForm):
    """A bare CSRF-protected form for a one-click action, with its key: a double tap is one act."""

    form_key = HiddenField(validators=FORM_KEY)


class AddressUnlockForm(KeyedConfirmForm):
    """Lift a client address's lock: the address as the users page names it."""

    address = HiddenField(validators=[DataRequired(), Length(max=64)])


SECRET_NOT_KEPT = {
    "pin": "PIN-koden visas inte igen och är inte sparad. Skriv den på nytt.",
    "password": "Lösenordet visas inte igen och är inte sparat. Skriv det på nytt.",
}


def ask_secret_again(secret: PasswordField, kind: str) -> None:
    """Say beside a secret the page does not show back that it is to be typed again.

    Left empty, a new PIN of a user's edit means "unchanged": saved again as it stands, the
    user would keep the old one while the admin hands out the new. A secret refused for
    itself has its own message already.
    """
    if secret.data and not secret.errors:
        secret.errors = [SECRET_NOT_KEPT.get(kind, SECRET_NOT_KEPT["pin"])]


class _AsksSameName:
    """A name a user of the site has already is asked beside the name field before it is saved:
    two people under one name read as one in signatures and the access log."""

    display_name: StringField
    same_name_confirmed: BooleanField
    same_name_confirmed_for: HiddenField

    def check_same_name(self, users: Mapping[str, str]) -> bool:
        """Whether the name may be saved beside the site's users' (same_name.users_by_name).

        A name a user has already is asked beside the name field, once for the name as typed;
        a tick given for another name is asked again.
        """
        key = name_key(self.display_name.data or "")
        if key not in users:
            return True
        if self.same_name_confirmed.data and self.same_name_confirmed_for.data == key:
            return True
        self.same_name_confirmed.data = False
        self.same_name_confirmed_for.data = key
        self.display_name.errors = [
            *self.display_name.errors,
            _(SAME_NAME_ASK, username=users[key]),
        ]
        return False


class UserCreateForm(_AsksSameName, BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    display_name = StringField(
        "Namn",
        filters=[staff_name],
        validators=[DataRequired("Ange namn."), Length(max=120)],
        render_kw=NAME_KEYS,
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
    role = SelectField("Roll", choices=choices(ROLE_CHOICES))
    kind = RadioField(
        "Inloggning med",
        choices=choices(
            [("pin", "PIN-kod (minst 6 siffror)"), ("password", "Lösenord (minst 10 tecken)")]
        ),
        default="pin",
    )
    # Never shown back (see ask_secret_again): a page kept in a shared tablet's history or
    # seen over a shoulder must not hold a PIN that lets someone log in as its user.
    # validate_secret asks for it as the kind chosen.
    secret = PasswordField("PIN-kod eller lösenord", validators=[Asked()])
    # Asked when a user of the site has the name already (see check_same_name).
    same_name_confirmed = BooleanField("Det är en annan person – skapa användaren ändå")
    # The name the box was shown for: a tick counts only for that name.
    same_name_confirmed_for = HiddenField()

    def validate_secret(self, field: PasswordField) -> None:
        if not field.data:
            # Asked for as the kind chosen: a password user is not told to type a PIN.
            raise ValidationError(
                "Ange lösenord." if self.kind.data == "password" else "Ange PIN-kod."
            )
        problem = validate_secret(field.data or "", self.kind.data or "pin")
        if problem:
            raise ValidationError(problem)


class StaffListForm(BaseForm):
    """Many users at once: the pasted list, previewed before it is confirmed."""

    form_key = HiddenField(validators=FORM_KEY)
    staff = TextAreaField(
        "Personal, en per rad",
        validators=[
            DataRequired("Klistra in minst en rad."),
            Length(max=60_000, message="Listan är för lång. Dela upp den."),
        ],
    )
    # What the preview showed (staff_list.plan_digest): a confirm is of that list only.
    plan = HiddenField()


class UserEditForm(_AsksSameName, BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    display_name = StringField(
        "Namn",
        filters=[staff_name],
        validators=[DataRequired("Ange namn."), Length(max=120)],
        render_kw=NAME_KEYS,
    )
    # Asked when the new name is another user's of the site (check_same_name).
    same_name_confirmed = BooleanField("Det är en annan person – spara namnet ändå")
    same_name_confirmed_for = HiddenField()
    role = SelectField("Roll", choices=choices(ROLE_CHOICES))
    is_active = BooleanField("Aktiv")
    kind = RadioField(
        "Ny inloggning med",
        choices=choices([("pin", "PIN-kod"), ("password", "Lösenord")]),
        default="pin",
    )
    secret = PasswordField(
        "Ny PIN-kod eller lösenord (lämna tomt för oförändrat)", validators=[Optional()]
    )
    # What the page showed of the user, so a save cannot undo another admin's change since.
    base_state = HiddenField()

    def validate_secret(self, field: PasswordField) -> None:
        if field.data:
            problem = validate_secret(field.data, self.kind.data or "pin")
            if problem:
                raise ValidationError(problem)


class SiteConfigForm(BaseForm):
    form_key = HiddenField(validators=FORM_KEY)
    config_toml = TextAreaField(
        "Konfiguration (TOML)", validators=[DataRequired("Konfigurationen får inte vara tom.")]
    )
    # The version the page was opened at, so a save cannot undo an edit made since.
    base_hash = HiddenField()

    def validate_config_toml(self, field: TextAreaField) -> None:
        try:
            parse_site_config(field.data or "")
        except SiteConfigError as exc:
            # Its values filled in, the message is no key the page could look up: it is put in
            # the admin's language here.
            raise ValidationError(refusal_text(exc)) from exc


def _swedish_order(label: str) -> str:
    # Å, Ä, Ö come after Z in that order (code points put Ä before Å).
    return label.translate({ord("Å"): "Z~1", ord("Ä"): "Z~2", ord("Ö"): "Z~3"})


# The log stores action codes; the admin picks by the name the log page shows.
ACTION_CHOICES = [
    ("", "Alla händelser"),
    *sorted(ACTION_LABELS.items(), key=lambda item: _swedish_order(item[1])),
]


PATIENT_SEARCH_EMPTY = "Ange personnummer, reservnummer eller en del av ett nummer."


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    username = StringField(
        "Användare", validators=[Optional(), Length(max=64)], render_kw=USERNAME_KEYS
    )
    patient = StringField(
        "Patient (personnummer/reservnummer)",
        validators=[Optional(), Length(max=40)],
        render_kw=CODE_KEYS,
    )
    action = SelectField("Händelse", choices=choices(ACTION_CHOICES), validators=[Optional()])
    case_code = StringField(
        "Ärendekod", validators=[Optional(), Length(max=12)], render_kw=CODE_KEYS
    )
    # Offered from the site's incidents (offer_incidents): another site's, or no number, is
    # refused as no valid choice.
    incident = SelectField("Driftstopp", choices=[], validators=[Optional()])

    def offer_incidents(self, named: Iterable[tuple[int, str]], english: bool) -> None:
        """Offer the site's incidents, by number and as they are named, to filter by."""
        self.incident.choices = site_choices(
            ((str(number), f"{number} – {name}") for number, name in named),
            english,
            prompt=_("Alla driftstopp"),
        )

    def wanted_incident(self) -> int | None:
        """The incident filtered by; 0 (no incident's) when the filter was refused."""
        if not self.incident.data:
            return None
        # A refused filter finds nothing: it must not show the whole log as if it were applied.
        return 0 if self.incident.errors else int(self.incident.data)

    def validate_patient(self, field: StringField) -> None:
        # A reserve number or part of a number is searched as typed; a mistyped personnummer
        # would find nothing, so it is named.
        if field.data and not any(ch.isalnum() for ch in field.data):
            raise ValidationError(PATIENT_SEARCH_EMPTY)
        problem = personal_number_problem(field.data or "", site_today())
        if problem:
            raise ValidationError(problem)

    def validate_case_code(self, field: StringField) -> None:
        try:
            parse_case_code(field.data or "")
        except CodeError as exc:
            # Translated here: a message naming the typed character has no fixed text.
            raise ValidationError(_(exc.template, **exc.values)) from exc

    def wanted_case_code(self) -> str:
        """The typed case code in its stored form (K7M-2Q2), or as typed when it is no code."""
        try:
            return parse_case_code(self.case_code.data or "")
        except CodeError:
            return self.case_code.data or ""
