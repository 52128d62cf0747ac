"""Field types and validators shared by the clinical forms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from markupsafe import Markup
from wtforms import DateTimeLocalField, DecimalField, IntegerField
from wtforms.utils import unset_value
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import DateTimeLocalInput, TextInput, html_params

from ..models import utcnow
from ..phone_numbers import is_full_number, reach_kind

NO_SUCH_TIME = "Tiden finns inte: klockan ställdes fram en timme den natten."
# Tablet clocks drift: a time this far ahead of the laptop's is still taken as now.
CLOCK_DRIFT = timedelta(minutes=10)

_T = TypeVar("_T")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def site_today() -> date:
    """Today's date at the site: the laptop's own clock may run in another zone (UTC)."""
    return datetime.now(_zone()).date()


def site_date(moment: datetime) -> date:
    """The date at the site of an instant (stored in UTC): 00:30 there is still yesterday in
    UTC."""
    return moment.astimezone(_zone()).date()


# The companion of a picker: the exact instant (UTC, ISO 8601) its text was written for.
INSTANT_SUFFIX = "_utc"


class _PickerWithInstant(DateTimeLocalInput):
    """The picker, and beside it the hidden instant its text stands for (see LocalDateTimeField)."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        picker = super().__call__(field, **kwargs)
        instant = html_params(
            type="hidden", name=field.name + INSTANT_SUFFIX, value=field.instant_value()
        )
        return Markup(f"{picker}<input {instant}>")


class LocalDateTimeField(DateTimeLocalField):
    """A native date/time picker in the site's time zone; data is aware UTC.

    A wall time the autumn change repeats is read as its first pass; `second_pass` holds the
    other reading, for a form that can tell from a neighbouring time which one was meant. It is
    only a reading once it has come: every one of these fields is a time that has happened.

    The hidden companion `<name>_utc` settles it when it is known: the "Nu" button (forms.js)
    puts the tablet's instant there, a stored time comes with its own, and a hand edit clears
    it. It counts only while the text is still that instant's wall time on the site's clock.
    """

    widget = _PickerWithInstant()
    data: Any
    second_pass: datetime | None = None
    instant_text: str = ""

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(
            label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], **kwargs
        )

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.instant_text = ""
        if formdata is not None:
            self.instant_text = str(formdata.get(self.name + INSTANT_SUFFIX) or "")[:40]
        super().process(formdata, data, extra_filters)

    def instant_value(self) -> str:
        """The companion's value as the page is drawn: as sent, or the stored time's own."""
        if self.raw_data:
            return self.instant_text
        if isinstance(self.data, datetime) and self.data.tzinfo is not None:
            return self.data.astimezone(UTC).isoformat(timespec="seconds")
        return ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.second_pass = None
        if self.data is None or self.data.tzinfo is not None:
            return
        wall, zone = self.data, _zone()
        try:
            first = wall.replace(tzinfo=zone).astimezone(UTC)
            second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
            shown = first.astimezone(zone).replace(tzinfo=None)
        except OverflowError as exc:
            # The first hour of year 1 (a date picker's minimum) is before year 1 in UTC.
            self.data = None
            message = self.invalid_value_message or self.gettext("Not a valid datetime value.")
            raise ValueError(message) from exc
        if shown != wall:
            # In the hour the spring change skips; reading it as an hour later would be a guess.
            self.data = None
            raise ValueError(NO_SUCH_TIME)
        self.data = first
        if second == first:
            return
        # Before the clocks go back, a time that seems out of order is a mistake, not the
        # second pass still an hour ahead: a fax typed as before its signature, or an end as
        # before its start, would be saved as happening in the future.
        come = second <= utcnow() + CLOCK_DRIFT
        fold = _fold_of(self.instant_text, wall, zone)
        if fold == 0 or (fold == 1 and come):
            # The exact instant is known: no neighbouring time is to read it otherwise.
            self.data = second if fold == 1 else first
        elif come:
            self.second_pass = second

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(str(v) for v in self.raw_data)
        if self.data is None:
            return ""
        value = self.data if self.data.tzinfo else self.data.replace(tzinfo=UTC)
        return value.astimezone(_zone()).strftime("%Y-%m-%dT%H:%M")


def _fold_of(instant_text: str, wall: datetime, zone: ZoneInfo) -> int | None:
    """Which pass of a repeated hour the companion's instant is (0, 1); None if it is not the
    instant of the wall time typed (none sent, not an instant, or the text edited since)."""
    try:
        instant = datetime.fromisoformat(instant_text)
        if instant.tzinfo is None:
            return None
        local = instant.astimezone(zone)
    except (ValueError, OverflowError):
        return None
    if local.replace(second=0, microsecond=0, tzinfo=None) != wall:
        return None
    return local.fold


def put_in_order(earlier: LocalDateTimeField, later: LocalDateTimeField) -> bool:
    """Whether two times can be in this order, reading a repeated autumn hour as needed.

    Across the autumn change the clock shows 02:50 and then 02:05 fifteen minutes later, so a
    later time before the earlier one is read as the repeated hour's second pass if that puts
    the two in order. The readings chosen become the fields' data.
    """
    if earlier.data is None or later.data is None:
        return True
    for start in (earlier.data, earlier.second_pass):
        for end in (later.data, later.second_pass):
            if start is not None and end is not None and end >= start:
                earlier.data, later.data = start, end
                return True
    return False


NOT_A_NUMBER = "Ange ett tal, t.ex. 12,5."
# Digits with one decimal comma or point. A Swedish tablet's decimal keypad offers only the
# comma; Python's Decimal would also take "1_000", other scripts' digits, NaN and infinity.
_NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
# Spaces a number may be grouped with ("12 500"), the no-break ones included.
_GROUPING = str.maketrans("", "", " \u00a0\u202f")


class FiniteDecimalField(DecimalField):
    """A decimal number typed the Swedish way (comma) or with a point; nothing else."""

    # A text input with the decimal keypad: a number input drops "812,5" on a browser whose
    # locale reads only a point, and the value would be sent empty.
    widget = TextInput()
    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        typed = str(valuelist[0]).strip().translate(_GROUPING)
        if not _NUMBER_RE.match(typed):
            self.data = None
            raise ValueError(NOT_A_NUMBER)
        super().process_formdata([typed.replace(",", ".")])

    def pre_validate(self, form: Any) -> None:
        # A value that is no number gets that one message, not the range message beside it.
        if self.process_errors:
            raise StopValidation()


NOT_A_LAB_VALUE = "Ange ett tal, t.ex. 72, eller med gräns som labbet anger, t.ex. >90."
# What a lab writes beyond the range it measures: ">90" (at least that much), "<15".
BOUNDS = ("<", ">")


class LabValueField(FiniteDecimalField):
    """A lab value as the lab gives it: a number, or one with a bound (">90", "<15").

    data is the number, which the range is checked on; bound is "", "<" or ">". Either way
    nothing typed is lost: the two are stored side by side and shown together again.
    """

    bound: str = ""

    def process_data(self, value: Any) -> None:
        # Shown again from what is stored: the bound and the number as one text (">90").
        if isinstance(value, str):
            self.process_formdata([value])
            self.raw_data = None
            return
        self.bound = ""
        super().process_data(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.bound = ""
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        typed = str(valuelist[0]).strip()
        if typed[0] in BOUNDS:
            self.bound, typed = typed[0], typed[1:].strip()
            if not typed:
                # A bound alone is no value; taken as empty, what was typed would be lost.
                self.bound, self.data = "", None
                raise ValueError(NOT_A_LAB_VALUE)
        try:
            super().process_formdata([typed])
        except ValueError:
            self.bound = ""
            raise ValueError(NOT_A_LAB_VALUE) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.bound + super()._value() if self.data is not None else ""


NOT_A_WHOLE_NUMBER = "Ange ett heltal (bara siffror)."
_WHOLE_RE = re.compile(r"^[+-]?[0-9]+$")
# More digits than any count or age asked: a scanner's burst or a pasted identifier.
_MOST_DIGITS = 15


class WholeNumberField(IntegerField):
    """A whole number in ASCII digits; anything else gets one message, not two.

    WTForms' own would put its "Inte ett giltigt heltal" (no full stop) before the range
    message, and would take "7_0" or other scripts' digits as a number.
    """

    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        typed = str(valuelist[0]).strip().translate(_GROUPING)
        if not _WHOLE_RE.match(typed):
            self.data = None
            raise ValueError(NOT_A_WHOLE_NUMBER)
        if len(typed.lstrip("+-0")) > _MOST_DIGITS:
            # Past what the range check can take (it calls math.isnan, and Python reads at most
            # 4300 digits): said as out of the field's range, never a server error.
            self.data = None
            raise ValueError(self._range_message())
        self.data = int(typed)

    def _range_message(self) -> str:
        for validator in self.validators:
            if isinstance(validator, NumberRange) and validator.message:
                return str(validator.message)
        return NOT_A_WHOLE_NUMBER

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def phone_number(
    message: str = (
        "Ange ett telefonnummer, en anknytning eller en sökare, t.ex. 035-123 45 67 eller sök 4711."
    ),
) -> Any:
    """Validator: a number to reach someone on: a full number, an extension or a pager."""

    def check(form: Any, field: Any) -> None:
        value = (field.data or "").strip()
        if value and not reach_kind(value):
            raise ValidationError(message)

    return check


def fax_number(message: str = "Ange faxnumret som ett telefonnummer, t.ex. 035-123 45 67.") -> Any:
    """Validator: a full number, as a fax machine dials it (no extension, no pager)."""

    def check(form: Any, field: Any) -> None:
        value = (field.data or "").strip()
        if value and not is_full_number(value):
            raise ValidationError(message)

    return check


IN_FUTURE = "Tiden kan inte ligga i framtiden."


def not_in_future(message: str = IN_FUTURE) -> Any:
    """Validator: a timestamp at most a few minutes ahead (tablet clocks drift)."""

    def check(form: Any, field: Any) -> None:
        if field.data is not None and field.data - utcnow() > CLOCK_DRIFT:
            raise ValidationError(message)

    return check


def clean_text(value: Any) -> Any:
    """Filter: strip whitespace and control characters that paste in from other systems.

    What stands for a space or a line break becomes one: a no-break or thin space from a
    word processor ("10 mg", "Dr Ström") or a line separator dropped outright ran the words
    together on the screen and the sheets. Letters and their accents are stored composed (NFC),
    so a name pasted with a separate accent is the same name, with the same initial, as one typed.
    """
    if not isinstance(value, str):
        return value
    # Most values are one printable line; only others need the character-by-character pass.
    if not value.isprintable():
        value = "".join(map(_pasted, value.replace("\r\n", "\n")))
        if "\u200d" in value:
            value = _LONE_JOINER.sub("", value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    # What shows as nothing is nothing typed: a required field says so, not that it is too long.
    if not value.isascii() and all(ch.isspace() or ch in _BLANK for ch in value):
        return ""
    return value


# A zero-width joiner holds an emoji sequence or an Indic conjunct together, never a letter or
# digit of the Latin alphabet: beside one (or a space, or an end) it joins nothing, and inside a
# personnummer it would hide the number from the anonymiser.
_LONE_JOINER = re.compile(r"(?<![^\x00-\x7f\s])\u200d|\u200d(?![^\x00-\x7f\s])")
# Printable, yet drawn as nothing: joiners, variation selectors, Hangul fillers, braille blank.
_BLANK = frozenset(
    "\u200d\u034f\u115f\u1160\u3164\uffa0\u2800" + "".join(map(chr, range(0xFE00, 0xFE10)))
)


def _pasted(ch: str) -> str:
    if ch in "\n\t" or ch.isprintable():
        return ch
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp") or ch in "\r\x85":
        return "\n"
    # A zero-width joiner holds an emoji sequence (a family, a flag) together.
    return ch if ch == "\u200d" else ""


def in_second_pass_if_refused(
    write: Callable[[datetime], _T],
    field: LocalDateTimeField,
    refused: type[Exception] | tuple[type[Exception], ...],
) -> _T:
    """write(field's time), again with the second pass of a repeated autumn hour when the first
    reading is refused as before something it must follow (a signature, a cancel)."""
    try:
        return write(field.data)
    except refused:
        if field.second_pass is None:
            raise
        return write(field.second_pass)
