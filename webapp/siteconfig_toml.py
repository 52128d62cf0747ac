"""tomllib's English syntax messages in the app's Swedish (translated back for an admin who
chose English: the same words as the rest of the editor's messages)."""

from __future__ import annotations

import re
import tomllib

from .refusal import Message

# tomllib's messages, which read "<message> (at line L, column C)" or "(at end of document)".
_TOML_MESSAGES = {
    "Invalid value": Message("Ogiltigt värde"),
    "Invalid statement": Message("Ogiltig rad"),
    "Unterminated string": Message("Texten saknar sitt avslutande citattecken"),
    "Expected '=' after a key in a key/value pair": Message(
        "Likhetstecken (=) saknas efter namnet"
    ),
    "Expected newline or end of document after a statement": Message("Ny rad saknas efter värdet"),
    "Unclosed array": Message("Listan saknar sin avslutande ]"),
    "Unclosed inline table": Message("Tabellen saknar sin avslutande }"),
    "Expected ']' at the end of a table declaration": Message(
        "Avsnittsnamnet saknar sin avslutande ]"
    ),
    "Expected ']]' at the end of an array declaration": Message(
        "Avsnittsnamnet saknar sin avslutande ]]"
    ),
    "Cannot overwrite a value": Message("Värdet är redan angivet"),
    "Invalid initial character for a key part": Message("Ogiltigt första tecken i ett namn"),
    "Invalid date or datetime": Message("Ogiltigt datum eller klockslag"),
}
_TOML_WHERE = re.compile(
    r"^(?P<message>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)


def toml_problem(exc: tomllib.TOMLDecodeError) -> Message:
    """tomllib's message in the app's words, with where in the text the problem is."""
    found = _TOML_WHERE.match(str(exc))
    if found is None:
        return Message("Syntaxfel.")
    message = _TOML_MESSAGES.get(found["message"])
    if found["line"] is None:
        return Message(
            "%(message)s i slutet av filen.", {"message": message or Message("Syntaxfel")}
        )
    where = {"line": found["line"], "column": found["column"]}
    if message is None:
        return Message("Syntaxfel på rad %(line)s, kolumn %(column)s.", where)
    return Message("%(message)s på rad %(line)s, kolumn %(column)s.", {"message": message, **where})
