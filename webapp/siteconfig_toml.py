"""tomllib's English syntax messages in Swedish, for the admin who edits the site TOML."""

from __future__ import annotations

import re
import tomllib

# tomllib's messages, which read "<message> (at line L, column C)" or "(at end of document)".
_TOML_MESSAGES = {
    "Invalid value": "Ogiltigt värde",
    "Invalid statement": "Ogiltig rad",
    "Unterminated string": "Texten saknar sitt avslutande citattecken",
    "Expected '=' after a key in a key/value pair": "Likhetstecken (=) saknas efter namnet",
    "Expected newline or end of document after a statement": "Ny rad saknas efter värdet",
    "Unclosed array": "Listan saknar sin avslutande ]",
    "Unclosed inline table": "Tabellen saknar sin avslutande }",
    "Expected ']' at the end of a table declaration": "Avsnittsnamnet saknar sin avslutande ]",
    "Expected ']]' at the end of an array declaration": "Avsnittsnamnet saknar sin avslutande ]]",
    "Cannot overwrite a value": "Värdet är redan angivet",
    "Invalid initial character for a key part": "Ogiltigt första tecken i ett namn",
    "Invalid date or datetime": "Ogiltigt datum eller klockslag",
}
_TOML_WHERE = re.compile(
    r"^(?P<message>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message in Swedish, with where in the text the problem is."""
    found = _TOML_WHERE.match(str(exc))
    if found is None:
        return "Syntaxfel."
    message = _TOML_MESSAGES.get(found["message"])
    if found["line"] is None:
        return f"{message or 'Syntaxfel'} i slutet av filen."
    where = f"rad {found['line']}, kolumn {found['column']}"
    return f"{message} på {where}." if message else f"Syntaxfel på {where}."
