"""A refusal whose message names counts, codes or names, shown in the user's language.

The message is a Swedish template with %(name)s values. A view translates the template first
and fills in the values after (i18n.refusal_text); str() of the error is the Swedish text with
its values filled in, for the logs and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Translate = Callable[..., str]


def swedish(text: str, **values: object) -> str:
    """Fill in a Swedish template as it is (the `translate` of the logs and of str())."""
    return text % values if values else text


@dataclass(frozen=True)
class Message:
    """A template and its values. A value that is a Message is put in the same language: a
    fixed phrase of the app inside a message (a task, a form's kind) is translated with it."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self, translate: Translate = swedish) -> str:
        filled = {
            key: value.text(translate) if isinstance(value, Message) else value
            for key, value in self.values.items()
        }
        return translate(self.template, **filled)

    @classmethod
    def joined(cls, parts: Iterable[Message | str], separator: str = " ") -> Message:
        """Parts one after the other, each in the message's language."""
        values = {f"part{i}": part for i, part in enumerate(parts)}
        # A separator alone has nothing to translate: gettext gives it back as it is.
        return cls(separator.join(f"%({key})s" for key in values), values)


class Refused(ValueError):
    """An action the rules do not allow, with its message as a template and values."""

    def __init__(self, message: str, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(Message(message, values).text())

    def text(self, translate: Translate = swedish) -> str:
        """The message in the language of `translate`, its values filled in."""
        return Message(self.message, self.values).text(translate)
