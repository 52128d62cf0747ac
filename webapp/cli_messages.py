"""click's own messages in Swedish: a usage error from `flask create-user` and friends reads like
every other message of the app's commands.

click looks each message up, when it shows it, through the gettext and ngettext that its
modules imported from the standard library. The standard library picks a translation by the
terminal's locale, which is often C or English on the laptop, so the Swedish text is put in
their place. A message not listed here is passed on to the standard library as before.
"""

from __future__ import annotations

import gettext
from types import ModuleType

# click's message ids (click 8.x), as its source writes them.
SWEDISH: dict[str, str] = {
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Usage:": "Användning:",
    "Options": "Alternativ",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "Aborted!": "Avbrutet!",
    # Followed by the name: "Ange alternativet '--role'."
    "Missing argument": "Ange argumentet",
    "Missing option": "Ange alternativet",
    "Missing parameter": "Ange parametern",
    "Missing {param_type}": "Ange {param_type}",
    "Missing parameter: {param_name}": "Parametern saknas: {param_name}",
    "Missing command.": "Ange ett kommando.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Alternativet {name!r} finns inte.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    # The type's English name ("integer") is left out: every number the commands take is whole.
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt tal.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inte ett giltigt ja- eller nej-värde. Giltiga värden: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "Option {name!r} does not take a value.": "Alternativet {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": (
        "Filen {filename!r} kunde inte öppnas: {message}"
    ),
    "unknown error": "okänt fel",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: De två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltigt svar",
}
# (singular, plural) ids and their Swedish forms.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Menade du {possibility}?",
        "(Menade du något av: {possibilities}?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} är inte {choice}.",
        "{value!r} är inte något av {choices}.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Oväntat extra argument ({args})",
        "Oväntade extra argument ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Alternativet {name!r} behöver ett värde.",
        "Alternativet {name!r} behöver {nargs} värden.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Tar {nargs} värden men 1 angavs.",
        "Tar {nargs} värden men {len} angavs.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} värden krävs, men {len_value} angavs.",
        "{len_type} värden krävs, men {len_value} angavs.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} har inte formatet {format}.",
        "{value!r} har inget av formaten {formats}.",
    ),
}


def swedish_gettext(message: str) -> str:
    """click's message in Swedish, or as the standard library would give it."""
    return SWEDISH.get(message) or gettext.gettext(message)


def swedish_ngettext(singular: str, plural: str, n: int) -> str:
    """click's singular or plural message in Swedish, or as the standard library gives it."""
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return gettext.ngettext(singular, plural, n)
    return forms[0] if n == 1 else forms[1]


def click_modules() -> tuple[ModuleType, ...]:
    """The click modules that show the messages above."""
    from click import core, decorators, exceptions, formatting, parser, termui, types

    return (core, decorators, exceptions, formatting, parser, termui, types)


def use_swedish() -> None:
    """Give click's messages in Swedish from now on (in this process; done again, no change)."""
    lookups = {"_": swedish_gettext, "ngettext": swedish_ngettext}
    for module in click_modules():
        for name, lookup in lookups.items():
            if hasattr(module, name):
                setattr(module, name, lookup)
