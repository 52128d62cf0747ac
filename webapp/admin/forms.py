"""Admin forms."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..auth.forms import USERNAME_RE
from ..auth.services import validate_secret
from ..formutil import BaseForm, choices
from ..models import ROLES
from ..siteconfig import SiteConfigError, parse_site_config

ROLE_CHOICES = [
    ("radiographer", "Röntgensjuksköterska"),
    ("radiologist", "Radiolog"),
    ("secretary", "Sekreterare"),
    ("admin", "Administratör"),
]
assert {r for r, _ in ROLE_CHOICES} == set(ROLES)


class UserCreateForm(BaseForm):
    display_name = StringField("Namn", validators=[DataRequired("Ange namn."), Length(max=120)])
    username = StringField(
        "Användarnamn",
        validators=[
            DataRequired("Ange användarnamn."),
            Length(min=2, max=64, message="2–64 tecken."),
            Regexp(USERNAME_RE, message="Bara bokstäver a–z, siffror, punkt, bindestreck och _."),
        ],
    )
    role = SelectField("Roll", choices=choices(ROLE_CHOICES))
    kind = RadioField(
        "Inloggning med",
        choices=choices(
            [("pin", "PIN-kod (minst 6 siffror)"), ("password", "Lösenord (minst 10 tecken)")]
        ),
        default="pin",
    )
    secret = PasswordField("PIN-kod eller lösenord", validators=[DataRequired("Ange PIN-kod.")])

    def validate_secret(self, field: PasswordField) -> None:
        problem = validate_secret(field.data or "", self.kind.data or "pin")
        if problem:
            raise ValidationError(problem)


class UserEditForm(BaseForm):
    display_name = StringField("Namn", validators=[DataRequired("Ange namn."), Length(max=120)])
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

    def validate_secret(self, field: PasswordField) -> None:
        if field.data:
            problem = validate_secret(field.data, self.kind.data or "pin")
            if problem:
                raise ValidationError(problem)


class SiteConfigForm(BaseForm):
    config_toml = TextAreaField(
        "Konfiguration (TOML)", validators=[DataRequired("Konfigurationen får inte vara tom.")]
    )

    def validate_config_toml(self, field: TextAreaField) -> None:
        try:
            parse_site_config(field.data or "")
        except SiteConfigError as exc:
            raise ValidationError(str(exc)) from exc


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    username = StringField("Användare", validators=[Optional(), Length(max=64)])
    patient = StringField(
        "Patient (personnummer/reservnummer)", validators=[Optional(), Length(max=40)]
    )
    action = StringField("Händelse", validators=[Optional(), Length(max=40)])
    case_code = StringField("Ärendekod", validators=[Optional(), Length(max=12)])
