"""The options of `python app.py`, with argparse's usage, help and errors in Swedish.

argparse looks each of its messages up, when it builds the parser and when it shows one,
through the gettext and ngettext its module imported from the standard library, which picks a
translation by the terminal's locale (often C or English on the laptop). As for the flask
commands (cli_messages), the Swedish text is put in their place, here only while the parser is
built and reads its arguments, so no other parser in the process changes. A message not listed
is passed on to the standard library as before. Exit codes stay argparse's: 2 on a usage
error, 0 after the help.
"""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# argparse's message ids (Python 3.11 to 3.13), as its source writes them.
SWEDISH: dict[str, str] = {
    "usage: ": "Användning: ",
    "options": "Alternativ",
    "positional arguments": "Argument",
    "show this help message and exit": "Visa den här hjälpen och avsluta.",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ogiltigt val: %(value)r (välj bland %(choices)s)"
    ),
    "unrecognized arguments: %s": "okända argument: %s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "expected one argument": "ett värde krävs",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde krävs",
    "ambiguous option: %(option)s could match %(matches)s": (
        "alternativet %(option)s är tvetydigt, det kan vara %(matches)s"
    ),
    "ignored explicit argument %r": "tar inget värde (%r)",
}
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): ("%s värde krävs", "%s värden krävs"),
}


def swedish_gettext(message: str) -> str:
    """argparse's message in Swedish, or as the standard library would give it."""
    return SWEDISH.get(message) or gettext.gettext(message)


def swedish_ngettext(singular: str, plural: str, n: int) -> str:
    """argparse's singular or plural message in Swedish, or as the standard library gives it."""
    forms = PLURALS.get((singular, plural))
    if forms is None:
        return gettext.ngettext(singular, plural, n)
    return forms[0] if n == 1 else forms[1]


@contextmanager
def _swedish_argparse() -> Iterator[None]:
    lookups = {"_": swedish_gettext, "ngettext": swedish_ngettext}
    saved = {name: getattr(argparse, name) for name in lookups}
    for name, lookup in lookups.items():
        setattr(argparse, name, lookup)
    try:
        yield
    finally:
        for name, lookup in saved.items():
            setattr(argparse, name, lookup)


def _whole_number(text: str) -> int:
    # As type=int read it (spaces and 8_080 included), with the error in Swedish.
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inte ett heltal") from None


# Port 0 would let the system pick one the tablets were never told, and waitress only
# refuses a number outside 0–65535 after the database has been prepared, in English.
PORTS = (1, 65535)
# Each thread holds a database connection; past a few dozen they only queue on the one writer.
THREADS = (1, 64)


def _in_range(low: int, high: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        number = _whole_number(text)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} ligger inte mellan {low} och {high}")
        return number

    return read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Reservrutin – reservrutin vid driftstopp")
    parser.add_argument(
        "--host",
        default="0.0.0.0",
        metavar="ADRESS",
        help="Adressen som surfplattorna når datorn på (standard: 0.0.0.0, alla nätverk).",
    )
    parser.add_argument(
        "--port",
        type=_in_range(*PORTS),
        default=8080,
        metavar="PORT",
        help="Porten (standard: 8080).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="MAPP",
        help="Mappen för databasen, konfigurationen och säkerhetskopiorna "
        "(standard: RESERVRUTIN_DATA_DIR, annars instance/ i programmets mapp).",
    )
    parser.add_argument(
        "--threads",
        type=_in_range(*THREADS),
        default=8,
        metavar="ANTAL",
        help="Hur många förfrågningar som besvaras samtidigt (standard: 8).",
    )
    return parser


def parse_serve_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options of `python app.py` (sys.argv when None); exits as argparse does."""
    with _swedish_argparse():
        return _parser().parse_args(argv)
