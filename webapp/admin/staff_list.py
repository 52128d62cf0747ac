"""A staff list pasted from Excel or a roster, read into the users it would create.

One person a line: name, optionally a username, and a role, separated by semicolons or tabs
(what Excel's copy gives). Nothing is guessed silently: a role not in ROLE_WORDS, a name or
username that cannot be used, is a problem named on its line.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ..auth.accounts import PIN_LIKE_USERNAME, staff_name
from ..auth.passwords import PIN_PATTERN
from ..refusal import Message
from .same_name import name_key

NAME_MAX = 120
USERNAME_MAX = 64
# More than a department's staff. Each PIN's argon2 hash takes about 0.13 s on the laptop, so
# the confirm of this many takes half a minute; a longer paste is split.
MAX_LINES = 200
_USERNAME = re.compile(r"[a-z0-9._-]{2,64}")

# The titles staff write in a list, folded by _word. Shown in the preview as the role's label,
# so a mapping the admin did not expect (läkare as a radiologist) is seen before anything is made.
ROLE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "röntgensjuksköterska",
            "rtgssk",
            "ssk",
            "sjuksköterska",
            "röntgensköterska",
            "radiograf",
            "radiographer",
        ),
        "radiographer",
    ),
    **dict.fromkeys(
        (
            "radiolog",
            "läkare",
            "röntgenläkare",
            "överläkare",
            "specialistläkare",
            "stläkare",
            "radiologist",
        ),
        "radiologist",
    ),
    **dict.fromkeys(
        (
            "sekreterare",
            "medicinsksekreterare",
            "medsekr",
            "läkarsekreterare",
            "secretary",
        ),
        "secretary",
    ),
    **dict.fromkeys(
        (
            "administratör",
            "admin",
            "systemförvaltare",
            "rispacsadministratör",
            "risadministratör",
            "pacsadministratör",
        ),
        "admin",
    ),
}
# What the page lists as the ways to write each role (each folds to it in ROLE_WORDS).
ROLE_EXAMPLES = {
    "radiographer": ("röntgensjuksköterska", "rtg-ssk", "ssk"),
    "radiologist": ("radiolog", "läkare", "röntgenläkare"),
    "secretary": ("sekreterare", "medicinsk sekreterare", "läkarsekreterare"),
    "admin": ("administratör", "admin", "systemförvaltare"),
}
_HEADER_WORDS = {"namn", "name", "användarnamn", "username", "roll", "role", "befattning", "titel"}

# Letters NFKD leaves whole, as a Swedish list writes them in ASCII.
_ASCII = str.maketrans(
    {"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "œ": "oe"}
)

NO_ROLE = Message("Ange roll.")
NO_NAME = Message("Ange namn.")
NAME_TOO_LONG = Message("Namnet får vara högst %(max)s tecken.", {"max": NAME_MAX})
TOO_MANY_FIELDS = Message(
    "För många fält: skriv namn, användarnamn (kan utelämnas) och roll, åtskilda med semikolon "
    "eller tabb."
)
BAD_USERNAME = Message(
    "Användarnamnet ska vara 2–64 tecken: bokstäver a–z, siffror, punkt, bindestreck och _."
)
USERNAME_TAKEN = Message("Användarnamnet finns redan.")
PIN_LIKE = Message(PIN_LIKE_USERNAME)
NO_USERNAME_FROM_NAME = Message(
    "Användarnamnet kan inte bildas av namnet. Skriv ett användarnamn på raden."
)


def _unknown_role(typed: str) -> Message:
    return Message(
        'Okänd roll "%(role)s". Skriv t.ex. ssk, radiolog, sekreterare eller admin.',
        {"role": typed},
    )


@dataclass(frozen=True)
class StaffLine:
    """One pasted person as they would be created, and what stops it (empty: nothing)."""

    number: int
    name: str
    username: str
    role: str
    role_typed: str
    username_made: bool
    problems: tuple[Message, ...]


@dataclass
class _Raw:
    number: int
    name: str
    username: str
    role_typed: str
    too_many: bool


def _word(text: str) -> str:
    """A title as compared: lower case, without spaces, hyphens, dots and slashes."""
    return re.sub(r"[\s\-–./]+", "", unicodedata.normalize("NFC", text).casefold())


def _fields(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ";"
    fields = [f.strip() for f in line.split(separator)]
    # Excel's copy ends a row with the empty cells selected after it; within three fields an
    # empty last one is a role left out ("Anna Ek;anna.ek;").
    while len(fields) > 3 and not fields[-1]:
        fields.pop()
    return fields


def _is_header(fields: Sequence[str]) -> bool:
    return all(_word(f) in _HEADER_WORDS for f in fields if f)


def _raw_lines(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = _fields(line)
        if not out and _is_header(fields):
            continue
        name = " ".join((staff_name(fields[0]) or "").split())
        username = fields[1] if len(fields) == 3 else ""
        role = fields[-1] if len(fields) > 1 else ""
        out.append(_Raw(number, name, username, role, too_many=len(fields) > 3))
    return out


def username_from_name(name: str) -> str:
    """The name as a username: words in ASCII joined by dots ("Åsa Öberg" → "asa.oberg")."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_ASCII))
    words = []
    for word in folded.replace(",", " ").split():
        kept = re.sub(r"[^a-z0-9-]", "", word).strip("-")
        if kept:
            words.append(kept)
    return ".".join(words)[:USERNAME_MAX].strip(".-")


def _unique(base: str, used: Collection[str]) -> str:
    if base not in used:
        return base
    number = 2
    while True:
        suffix = str(number)
        candidate = base[: USERNAME_MAX - len(suffix)].rstrip(".-") + suffix
        if candidate not in used:
            return candidate
        number += 1


def parse_staff_list(
    text: str, *, taken: Collection[str], existing_names: Mapping[str, str]
) -> list[StaffLine]:
    """The pasted lines as users to create, each with its problems.

    taken: every username in use (any site: usernames are unique across the installation).
    existing_names: the site's users' names (same_name.name_key) to their usernames, so a person
    already there is not made again under a numbered username.
    """
    raws = _raw_lines(text)
    given = [r.username.lower() for r in raws]
    used = set(taken) | {u for u in given if u}
    first_of_username: dict[str, int] = {}
    first_of_name: dict[str, int] = {}
    lines = []
    for raw, username in zip(raws, given, strict=True):
        problems: list[Message] = []
        if raw.too_many:
            problems.append(TOO_MANY_FIELDS)
        if not raw.name:
            problems.append(NO_NAME)
        elif len(raw.name) > NAME_MAX:
            problems.append(NAME_TOO_LONG)
        made = not username
        if username:
            if not _USERNAME.fullmatch(username):
                problems.append(BAD_USERNAME)
            elif PIN_PATTERN.fullmatch(username):
                problems.append(PIN_LIKE)
            elif username in first_of_username:
                problems.append(
                    Message(
                        "Användarnamnet står redan på rad %(line)s.",
                        {"line": first_of_username[username]},
                    )
                )
            elif username in taken:
                problems.append(USERNAME_TAKEN)
            first_of_username.setdefault(username, raw.number)
        elif raw.name:
            base = username_from_name(raw.name)
            if len(base) < 2:
                problems.append(NO_USERNAME_FROM_NAME)
            else:
                username = _unique(base, used)
                used.add(username)
            problems.extend(_namesake(raw, first_of_name, existing_names))
        if raw.name:
            first_of_name.setdefault(name_key(raw.name), raw.number)
        role = ROLE_WORDS.get(_word(raw.role_typed), "")
        # Past three fields which one is the role is not known: the line's one problem says so.
        if not raw.too_many:
            problems.extend(_role_problems(raw.role_typed, role))
        lines.append(
            StaffLine(
                number=raw.number,
                name=raw.name,
                username=username,
                role=role,
                role_typed=raw.role_typed,
                username_made=made,
                problems=tuple(problems),
            )
        )
    return lines


def _role_problems(typed: str, role: str) -> list[Message]:
    if not typed:
        return [NO_ROLE]
    return [] if role else [_unknown_role(typed)]


def _namesake(
    raw: _Raw, first_of_name: Mapping[str, int], existing_names: Mapping[str, str]
) -> list[Message]:
    """A name met before, given no username of its own: a pasted twice line, or two people.

    Made into a numbered username it would be a second account for the same person.
    """
    key = name_key(raw.name)
    if key in first_of_name:
        return [
            Message(
                "Samma namn står redan på rad %(line)s. Är det två personer, skriv ett "
                "användarnamn på raden.",
                {"line": first_of_name[key]},
            )
        ]
    if key in existing_names:
        return [
            Message(
                "Det finns redan en användare med namnet (%(username)s). Är det en annan person, "
                "skriv ett användarnamn på raden.",
                {"username": existing_names[key]},
            )
        ]
    return []


def plan_digest(lines: Sequence[StaffLine]) -> str:
    """What the preview showed would be created: a confirm of another list is no confirm."""
    shown = "\n".join(f"{x.name}\x1f{x.username}\x1f{x.role}" for x in lines)
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:32]
