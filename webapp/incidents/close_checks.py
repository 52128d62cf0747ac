"""What the admin confirms before an incident ends: patients left on reserve numbers, signed
reports not logged as faxed, images left only on the modality, report blanks joined over a
signed report and not settled, notifications never ticked. A close refused for want of it
names the box to tick."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..refusal import Message
from ..siteconfig import Notification
from .close_asked import OnModalityCase, on_modality_cases, unfaxed_reports, unidentified_cases
from .close_over_signed import over_signed_unread
from .errors import IncidentError
from .queries import step_states

UNIDENTIFIED_ONE = (
    "1 patient har fortfarande bara reservnummer: %(cases)s. Rätta identiteten i ärendet, "
    "eller bekräfta att patienten står kvar under reservnummer i RIS."
)
UNIDENTIFIED_MANY = (
    "%(n)s patienter har fortfarande bara reservnummer: %(cases)s. Rätta identiteten i "
    "ärendet, eller bekräfta att de står kvar under reservnummer i RIS."
)
UNFAXED_ONE = (
    "1 signerat svar är inte loggat som faxat till remittenten: %(cases)s. Logga faxningen i "
    "ärendet, eller bekräfta att svaret når remittenten via RIS."
)
UNFAXED_MANY = (
    "%(n)s signerade svar är inte loggade som faxade till remittenten: %(cases)s. Logga "
    "faxningen i ärendet, eller bekräfta att svaren når remittenten via RIS."
)
# Asked, not refused: images the modality has already deleted will never reach PACS, and a
# waiver is the way out of the catch-up for such a case.
ON_MODALITY_ONE = (
    "1 ärende har bilder som bara finns på modaliteten: %(cases)s. Skicka dem till PACS och "
    "registrera det på ärendets sida, eller bekräfta att de inte ska dit; efter avslutet kan "
    "det inte registreras."
)
ON_MODALITY_MANY = (
    "%(n)s ärenden har bilder som bara finns på modaliteten: %(cases)s. Skicka dem till PACS "
    "och registrera det på ärendenas sidor, eller bekräfta att de inte ska dit; efter avslutet "
    "kan det inte registreras."
)
# A cancelled case's images cannot be recorded as sent on its page (cases/images_sent.py): what
# becomes of them is the department's call, and the box's "sent there unrecorded" is for them.
ON_MODALITY_CANCELLED = (
    "1 ärende har bilder som bara finns på modaliteten: %(cases)s. Ett makulerat ärendes bilder "
    "kan inte registreras som skickade: avdelningen bestämmer enligt sin rutin om de raderas på "
    "modaliteten eller skickas till PACS och RIS-administratören meddelas. Bekräfta sedan att "
    "de inte ska registreras här."
)
ON_MODALITY_ALL_CANCELLED = (
    "%(n)s ärenden har bilder som bara finns på modaliteten: %(cases)s. Ett makulerat ärendes "
    "bilder kan inte registreras som skickade: avdelningen bestämmer enligt sin rutin om de "
    "raderas på modaliteten eller skickas till PACS och RIS-administratören meddelas. Bekräfta "
    "sedan att de inte ska registreras här."
)
ON_MODALITY_MANY_CANCELLED = (
    "%(n)s ärenden har bilder som bara finns på modaliteten: %(cases)s. Skicka dem till PACS "
    "och registrera det på ärendenas sidor, eller bekräfta att de inte ska dit; efter avslutet "
    "kan det inte registreras. Ett makulerat ärendes bilder kan inte registreras som skickade: "
    "avdelningen bestämmer enligt sin rutin om de raderas på modaliteten eller skickas till PACS "
    "och RIS-administratören meddelas."
)
# Asked, not refused: the blank may well say what the signed report says, and the radiologist
# who knows may not be at hand; after the end the addendum is written in RIS.
OVER_SIGNED_ONE = (
    "1 ärende har en utlåtandeblankett som kopplades när utlåtandet redan var signerat, och "
    "inget tillägg är signerat sedan: %(cases)s. Låt radiologen läsa den på ärendets sida och "
    "skriva ett tillägg om den skiljer sig från utlåtandet, eller bekräfta att den är läst; "
    "efter avslutet skrivs tillägget i RIS."
)
OVER_SIGNED_MANY = (
    "%(n)s ärenden har en utlåtandeblankett som kopplades när utlåtandet redan var signerat, "
    "och inget tillägg är signerat sedan: %(cases)s. Låt radiologen läsa dem på ärendenas sidor "
    "och skriva ett tillägg där en skiljer sig från utlåtandet, eller bekräfta att de är lästa; "
    "efter avslutet skrivs tilläggen i RIS."
)

UNNOTIFIED = (
    "Underrättelserna från driftstoppets början är inte avbockade: %(cases)s. Bocka av dem på "
    "driftstoppets sida, eller bekräfta att de gjordes utan att bockas av eller inte behövdes."
)


@dataclass(frozen=True)
class CloseConfirmations:
    """The boxes the admin ticked at the close, each a knowing yes to what stays as it is."""

    unidentified: bool = False
    unfaxed: bool = False
    on_modality: bool = False
    over_signed: bool = False
    unnotified: bool = False
    open_transfers: bool = False
    cancelled_blanks: bool = False
    # The loose blanks' codes listed beside their box, when it was ticked: those, no others.
    blanks: tuple[str, ...] = ()
    # For each other ticked box that lists items (by its field), the keys of those the page
    # listed beside it: the tick covers those, no others. A box absent here sent no list (a
    # form not drawn by the close page): its tick saw nothing, so it covers nothing.
    shown: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def listed(self, box: str) -> frozenset[str]:
        """The keys the page listed beside `box`; none when the form sent no list."""
        return self.shown.get(box, frozenset())


NOTHING_CONFIRMED = CloseConfirmations()


class ConfirmationMissing(IncidentError):
    """A close refused until the admin ticks the box `field`."""

    def __init__(self, field: str, message: str, **values: Any) -> None:
        super().__init__(message, **values)
        self.field = field


@dataclass(frozen=True)
class UnmadeNotification:
    """A notification of the routine not ticked: its step's key, and the site's own words."""

    key: str
    label: str

    @property
    def shown_keys(self) -> tuple[str, ...]:
        return (self.key,)


def unmade_notifications(
    incident_id: int, notifications: tuple[Notification, ...]
) -> list[UnmadeNotification]:
    """The routine's notifications (IT called, TiB told) not, or no longer, ticked.

    Counted since the last change of scenario, as the incident's page asks for them again.
    """
    if not notifications:
        return []
    states = step_states(incident_id, since_scenario=True)
    return [
        UnmadeNotification(n.key, n.label)
        for n in notifications
        if not (n.key in states and states[n.key].is_done)
    ]


class Named(Protocol):
    # A Message where the label holds a phrase of the app (a case named as cancelled).
    @property
    def label(self) -> Message | str: ...

    # What the close page writes beside the box for the item (a case's id, a transfer's
    # number, a blank's code): a key not written there was never seen by whoever ticked.
    @property
    def shown_keys(self) -> tuple[str, ...]: ...


def listed_keys(found: Sequence[Named]) -> str:
    """The keys of the items a box lists, as its hidden field carries them."""
    return " ".join(key for item in found for key in item.shown_keys)


def ask_confirmed(
    box: str,
    found: Sequence[Named],
    confirmed: bool,
    one: str,
    many: str,
    separator: str = ", ",
    *,
    shown: Collection[str],
) -> None:
    """Refuse the end beside `box`, naming what was found, unless it was ticked.

    shown: the keys listed beside the tick (CloseConfirmations.listed). An item with a key
    not among them came after the page was drawn, or the form sent no list at all: the tick
    did not see it, so the end is refused naming it alone. One listed and since settled is
    simply no longer found.
    """
    if confirmed:
        found = [item for item in found if not set(item.shown_keys) <= set(shown)]
    if found:
        raise ConfirmationMissing(
            box,
            one if len(found) == 1 else many,
            n=len(found),
            cases=Message.joined((item.label for item in found), separator),
        )


def _on_modality_texts(found: Sequence[OnModalityCase]) -> tuple[str, str]:
    """The on-modality question's one and many texts: a cancelled case gets its own advice."""
    cancelled = sum(c.is_cancelled for c in found)
    if not cancelled:
        return ON_MODALITY_ONE, ON_MODALITY_MANY
    if cancelled == len(found):
        return ON_MODALITY_CANCELLED, ON_MODALITY_ALL_CANCELLED
    return ON_MODALITY_CANCELLED, ON_MODALITY_MANY_CANCELLED


def check_confirmations(
    incident_id: int,
    confirmed: CloseConfirmations,
    *,
    notifications: tuple[Notification, ...] = (),
) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Refuse the end unless what stays as it is has been confirmed; the codes of the cases
    left on reserve numbers, of the reports not logged as faxed, of the cases whose images
    are only on the modality and of those with a report blank unread over a signed report
    (each with its blanks), and the labels of the notifications never ticked, for the audit
    row."""
    # The messages name each case with its patient; the audit detail keeps the codes.
    unidentified = unidentified_cases(incident_id)
    ask_confirmed(
        "confirm_unidentified",
        unidentified,
        confirmed.unidentified,
        UNIDENTIFIED_ONE,
        UNIDENTIFIED_MANY,
        shown=confirmed.listed("confirm_unidentified"),
    )
    unfaxed = unfaxed_reports(incident_id)
    ask_confirmed(
        "confirm_unfaxed",
        unfaxed,
        confirmed.unfaxed,
        UNFAXED_ONE,
        UNFAXED_MANY,
        shown=confirmed.listed("confirm_unfaxed"),
    )
    on_modality = on_modality_cases(incident_id)
    ask_confirmed(
        "confirm_on_modality",
        on_modality,
        confirmed.on_modality,
        *_on_modality_texts(on_modality),
        shown=confirmed.listed("confirm_on_modality"),
    )
    over_signed = over_signed_unread(incident_id)
    # Each case is followed by its blanks' codes, themselves a list: "; " between the cases.
    ask_confirmed(
        "confirm_over_signed",
        over_signed,
        confirmed.over_signed,
        OVER_SIGNED_ONE,
        OVER_SIGNED_MANY,
        "; ",
        shown=confirmed.listed("confirm_over_signed"),
    )
    # The notifications are the site's own words, as its configuration writes them.
    unnotified = unmade_notifications(incident_id, notifications)
    ask_confirmed(
        "confirm_unnotified",
        unnotified,
        confirmed.unnotified,
        UNNOTIFIED,
        UNNOTIFIED,
        shown=confirmed.listed("confirm_unnotified"),
    )
    return (
        [c.code for c in unidentified],
        [r.code for r in unfaxed],
        [c.audit for c in on_modality],
        [c.audit for c in over_signed],
        [n.label for n in unnotified],
    )
