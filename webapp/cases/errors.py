"""What a case action can refuse, each with a message for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..refusal import Message, Refused

if TYPE_CHECKING:
    from .namesakes import Namesake


class CaseError(Refused):
    """An action the rules do not allow, with a message for the user."""


class SubmissionConflict(CaseError):
    """A form key reused with different content; `url` is where its first submit led."""

    def __init__(self, message: str, *, url: str = "", case_id: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.case_id = case_id


class SubmitNotStored(CaseError):
    """A submit failed on a unique row, yet no earlier submit of its form is stored."""

    def __init__(self) -> None:
        super().__init__("Formuläret kunde inte sparas. Försök igen.")


class VersionConflict(CaseError):
    """The record was saved by someone else after the form showed it; nothing was written."""


class IdentityUnchanged(CaseError):
    """An identity correction that changes nothing: said at the number, where the eye is."""

    def __init__(self, message: str = "Identiteten är oförändrad.") -> None:
        super().__init__(message)


class CaseNotFound(CaseError):
    """No such case at the acting user's site; a view answers 404."""

    def __init__(self) -> None:
        super().__init__("Ärendet finns inte.")


class NoOpenIncident(CaseError):
    """The user's site has no open incident to open a case in; a view sends them to declare one."""

    def __init__(self) -> None:
        super().__init__("Registrera eller välj ett pågående driftstopp först.")


CODE_GONE = (
    "Enhetens konfiguration ändrades medan formuläret fylldes i: %(what)s finns inte längre. "
    "Välj igen och spara."
)


class CodeGone(CaseError):
    """A code the form offered was removed from the site's configuration before the save."""

    def __init__(self, field: str, what: Message) -> None:
        super().__init__(CODE_GONE, what=what)
        self.field = field


SIDE_DIFFERS_NOW = (
    "Remissens sida ändrades medan dokumentationen fylldes i: den anger nu %(side)s. "
    "Kontrollera sidan och bekräfta igen."
)


class SideDiffers(CaseError):
    """The side performed is not the referral's as stored now, and that was not confirmed."""

    def __init__(self, referral_side: str, label: str) -> None:
        super().__init__(SIDE_DIFFERS_NOW, side=Message(label))
        self.referral_side = referral_side


# A cancelled case is not counted among the codes in use, so a save may have dropped its code;
# restored, it could not be edited back (its forms lack the code) and would show a raw code.
RESTORE_CODE_GONE = (
    "Makuleringen kan inte ångras: enhetens konfiguration saknar nu %(codes)s, som ärendet "
    "använder. Be en administratör lägga tillbaka koden i konfigurationen och ångra sedan "
    "makuleringen; ändra därefter ärendet om koden ska tas bort igen."
)


class RestoreCodeGone(CaseError):
    """A cancelled case holds a code the site's configuration has dropped since."""

    def __init__(self, codes: list[Message]) -> None:
        super().__init__(RESTORE_CODE_GONE, codes=Message.joined(codes, ", "))


# After an incident ends RIS is back: a change made here would not reach it any more.
INCIDENT_ENDED = "Driftstoppet är avslutat. Ändringar i ärendet görs nu i RIS."


class IncidentEnded(CaseError):
    """The case's incident has ended; its cases are changed in RIS now, not here."""

    def __init__(self) -> None:
        super().__init__(INCIDENT_ENDED)


# A new referral is typed into a form of one incident: once that one has ended, it would land
# in another incident's batch or none, so it goes into RIS directly.
REFERRAL_AFTER_END = (
    "Driftstoppet är avslutat: remissen kan inte skickas här. Texten finns kvar i formuläret. "
    "För in remissen direkt i RIS eller säg till en sekreterare."
)


class FormIncidentEnded(CaseError):
    """The incident a new referral's form was opened in has ended since."""

    def __init__(self, incident_id: int) -> None:
        super().__init__(REFERRAL_AFTER_END)
        self.incident_id = incident_id


# A new referral typed into a drill's form (every page marked ÖVNING): a real outage declared
# since is where the tablet works now, but the referral may be a training patient's.
REFERRAL_DRILL_NOW_REAL = (
    "Formuläret öppnades i en övning, men ett skarpt driftstopp pågår nu: %(title)s. Remissen är "
    "inte sparad. Gäller den en verklig patient: läs igenom den och tryck Spara remissen igen, "
    "så läggs den i det skarpa driftstoppet. Gäller den övningen: välj övningen under "
    "Driftstopp och spara den där."
)


class FormDrillNowReal(FormIncidentEnded):
    """A new referral's form was opened in a drill, and the tablet works in a real outage now.

    Answered as a form whose incident ended (the text kept, the form moved to the running
    outage for the next Spara): only the person who typed it knows whether the patient is real.
    """

    def __init__(self, incident_id: int) -> None:
        CaseError.__init__(self, REFERRAL_DRILL_NOW_REAL)
        self.incident_id = incident_id


class ArrivalImplausible(CaseError):
    """The referral's arrival typed cannot be right (see arrival_bounds); said beside it."""


class ExamTooLong(CaseError):
    """The exam's end typed lies implausibly long after its start (exam_length_rule)."""


class DosesImplausible(CaseError):
    """The exam's DLP typed cannot go with its CTDIvol (dose_rule); said beside the DLP."""


class DosesSwapped(DosesImplausible):
    """The exam's DLP typed is smaller than its CTDIvol: the two swapped (dose_rule)."""


class DlpZero(DosesImplausible):
    """The exam's DLP typed is 0 while its CTDIvol is above 0 (dose_rule)."""


class ExamStartTooEarly(CaseError):
    """The exam's start typed lies implausibly long before its case began (exam_length_rule)."""


class ArrivalBeforeIncident(ArrivalImplausible):
    """The arrival lies further before the incident's start than an outage goes unnoticed, and
    was not confirmed: asked about beside it, with a box to confirm it (arrival_confirmation)."""


CONTINUED_ELSEWHERE = (
    "Formuläret skickades inte: utkastet fortsattes på en annan platta %(at)s%(by)s, efter "
    "texten på den här sidan. Det som skrevs där finns inte i det du skickade. Öppna den nyare "
    "versionen, eller skicka det som står här som det är."
)
CONTINUED_BY = " av %(name)s"


class ContinuedElsewhere(CaseError):
    """The draft holds text another copy saved after what the sending page showed."""

    def __init__(self, *, form_key: str, kind: str, case_id: int | None, at: str, by: str):
        super().__init__(
            CONTINUED_ELSEWHERE, at=at, by=Message(CONTINUED_BY, {"name": by}) if by else ""
        )
        self.form_key = form_key
        self.kind = kind
        self.case_id = case_id
        self.saved_at = at

    # The layout draws the choice beside the message (drafts/older_copy.py).
    offers_choice = True


class NamesakeFound(CaseError):
    """Found inside the write: another case of the incident has the number under another name,
    or the name under another number, and the box was not ticked for this identity. `found`
    names them, for the form to ask about as before the write."""

    def __init__(self, found: list[Namesake], message: str) -> None:
        super().__init__(message)
        self.found = found
