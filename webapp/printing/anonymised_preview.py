"""What the anonymised referral will print of the case's free text, for the pages that offer it.

The app removes the names and numbers it knows; an address, a phone number or a relative's
name it cannot find reliably. So before the fax to the external reviewer, the page shows the
text exactly as the sheet prints it and points at what still looks identifying.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..anonymise import REMOVED, identifying_hints
from ..models import Case
from ..siteconfig import SiteConfig
from .sheets import anonymised_referral_text


@dataclass(frozen=True)
class AnonymisedPreview:
    # (key, text as printed): "exam", "question", "history", or a safety item's or a referrer
    # field's Swedish label.
    texts: tuple[tuple[str, str], ...]
    text_removed: bool
    hints: tuple[str, ...]

    @property
    def needs_check(self) -> bool:
        return self.text_removed or bool(self.hints)


def anonymised_preview(case: Case, config: SiteConfig) -> AnonymisedPreview | None:
    """The anonymised referral's free text as it will print; None for a case without referral."""
    if case.referral is None:
        return None
    free = anonymised_referral_text(case, config)
    texts = [
        ("exam", free.requested_exam),
        ("question", free.clinical_question),
        ("history", free.history),
        *free.safety,
    ]
    hints: list[str] = []
    for _, text in texts:
        hints += [h for h in identifying_hints(text) if h not in hints]
    # The exam and the safety answers only when they are what the user must look at.
    shown = tuple(
        (key, text)
        for key, text in texts
        if key in ("question", "history") or REMOVED in text or any(h in text for h in hints)
    )
    # The referrer's fields only where they lost the patient's identity: their phone and unit
    # are meant to be there, so looking identifying is no hint.
    referrer = (
        ("Remitterande enhet", free.referring_unit),
        ("Remitterande läkare", free.referrer_clinician),
        ("Telefon till remittenten", free.referrer_phone),
    )
    shown += tuple((key, text) for key, text in referrer if REMOVED in text)
    return AnonymisedPreview(shown, free.removed > 0, tuple(hints))
