"""The PIN slips of users just created, held in the server's memory until their PDF is fetched.

Why memory: a PIN is never written in plain text to the database or to disk, and never put in
an address. The confirm's answer is a page (a PDF answering the POST itself would leave the
admin no page to return to, and a reload would send the form again); its button fetches the
slips once, by a random handle bound to the admin who made them, and the copy is then gone. A
copy not fetched is forgotten after HOLD_SECONDS, and with a restart of the laptop's server:
the admin then sets a new PIN on the user's page, as for a forgotten one.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask

from ..auth.bulk_accounts import CreatedUser

HOLD_SECONDS = 15 * 60
_EXTENSION = "held_pin_slips"


def new_handle() -> str:
    """A handle for slips about to be made: their page's address is known before they are."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class _Held:
    user_id: int
    users: tuple[CreatedUser, ...]
    until: float


class HeldSlips:
    """Slips by handle; waitress serves one process with threads, so a lock guards them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, _Held] = {}

    def _forget_old(self) -> None:
        now = time.monotonic()
        for handle in [h for h, held in self._held.items() if held.until <= now]:
            del self._held[handle]

    def hold(self, handle: str, user_id: int, users: Sequence[CreatedUser]) -> None:
        """Keep the slips for the admin who made them, fetchable once under the handle."""
        with self._lock:
            self._forget_old()
            self._held[handle] = _Held(user_id, tuple(users), time.monotonic() + HOLD_SECONDS)

    def peek(self, user_id: int, handle: str) -> tuple[CreatedUser, ...] | None:
        """The slips still held under the handle for this admin, left in place."""
        with self._lock:
            self._forget_old()
            held = self._held.get(handle)
            return held.users if held is not None and held.user_id == user_id else None

    def take(self, user_id: int, handle: str) -> tuple[CreatedUser, ...] | None:
        """The slips, removed: None when fetched already, forgotten, or another user's."""
        with self._lock:
            self._forget_old()
            held = self._held.get(handle)
            if held is None or held.user_id != user_id:
                return None
            del self._held[handle]
            return held.users

    def put_back(self, user_id: int, handle: str, users: Sequence[CreatedUser]) -> None:
        """Slips taken for a PDF that could not be drawn: fetchable again under their handle."""
        self.hold(handle, user_id, users)


def held_slips(app: Flask) -> HeldSlips:
    """The app's held slips (made with the app, so each test app starts with none)."""
    return app.extensions.setdefault(_EXTENSION, HeldSlips())  # type: ignore[no-any-return]
