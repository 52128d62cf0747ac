"""A refused rule of a routine, and how its Swedish message templates are filled in.

Messages are Swedish templates whose %(name)s values (the site's names) are filled in only where
they are shown, so the English UI can translate the template first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

Translate = Callable[..., str]
# A message value: a name as it is, or labels that are translated one by one and listed.
Value = str | tuple[str, ...]


def swedish(text: str, **values: object) -> str:
    """Fill in a Swedish template as it is (the `translate` of the Swedish UI and the logs)."""
    return text % values if values else text


def render(template: str, values: Mapping[str, Value], translate: Translate = swedish) -> str:
    """A message template in the language of `translate`, with its values filled in."""
    filled = {
        key: ", ".join(translate(label).lower() for label in value) or "–"
        if isinstance(value, tuple)
        else value
        for key, value in values.items()
    }
    return translate(template, **filled)


@dataclass(frozen=True)
class Refusal:
    """One rule that stops the release: which rule, why, and what to do instead.

    message and instead are Swedish templates filled from values where they are shown.
    """

    rule: str
    field: str
    message: str
    instead: str
    values: Mapping[str, Value] = dataclass_field(default_factory=dict, hash=False)

    def text(self, translate: Translate = swedish) -> str:
        return render(self.message, self.values, translate)

    def advice(self, translate: Translate = swedish) -> str:
        return render(self.instead, self.values, translate) if self.instead else ""
