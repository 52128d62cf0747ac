"""PINs and passwords: the argon2id hash, checking one, and the rule a new one must meet."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

_hashers: dict[tuple[int, int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    """argon2id; the cost comes from the config so the test suite can use a cheap profile."""
    config = current_app.config if has_app_context() else {}
    key = (
        int(config.get("ARGON2_TIME_COST", 3)),
        int(config.get("ARGON2_MEMORY_KIB", 65536)),
        int(config.get("ARGON2_PARALLELISM", 4)),
    )
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


_dummy_hashes: dict[int, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("reservrutin-dummy-secret")
    return _dummy_hashes[id(hasher)]


def hash_secret(secret: str) -> str:
    """Hash a PIN or password with argon2id."""
    return _hasher().hash(secret)


# The longest PIN or password the login page takes: every form that sets one refuses a longer
# one, or its user could never log in. The messages below name the number.
SECRET_MAX_LENGTH = 200
ASCII_DIGITS = "0123456789"
PIN_PATTERN = re.compile(r"[0-9]{6,}")
# No PIN or password is shorter (a PIN's six digits; a password takes ten).
SHORTEST_SECRET = 6


def validate_secret(secret: str, kind: str) -> str | None:
    """Return a Swedish message when a new PIN or password is too weak or too long, else None."""
    if len(secret) > SECRET_MAX_LENGTH:
        return (
            "PIN-koden får vara högst 200 siffror."
            if kind == "pin"
            else "Lösenordet får vara högst 200 tecken."
        )
    if kind == "pin":
        # str.isdigit takes Arabic-Indic, fullwidth and other scripts' digits: a PIN set with
        # them cannot be typed on the login page's number pad, so only 0-9 is a PIN digit.
        if any(ch.isdigit() and ch not in ASCII_DIGITS for ch in secret):
            return "PIN-koden får bara ha siffrorna 0–9."
        if not PIN_PATTERN.fullmatch(secret):
            return "PIN-koden ska vara minst 6 siffror."
        if len(set(secret)) == 1 or secret in "01234567890" or secret in "09876543210":
            return "PIN-koden är för lätt att gissa (t.ex. 111111 eller 123456)."
        return None
    if len(secret) < 10:
        return "Lösenordet ska vara minst 10 tecken."
    if not secret.strip():
        # The login page takes spaces alone as nothing typed: its user could never log in.
        return "Lösenordet kan inte bara vara mellanslag."
    return None


def _verify(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
