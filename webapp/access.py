"""Declared access rules: every view says who may reach it, and a missing rule is denied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .models import ROLES

F = TypeVar("F", bound=Callable[..., Any])

CLINICAL = ("radiographer", "radiologist", "secretary", "admin")


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view: anyone, or logged-in users with one of the roles."""

    public: bool = False
    roles: frozenset[str] = frozenset()


def public(view: F) -> F:
    """Reachable without login (login page, health check, static files)."""
    view.access_rule = AccessRule(public=True)  # type: ignore[attr-defined]
    return view


def roles(*names: str) -> Callable[[F], F]:
    """Reachable by logged-in users holding one of these roles."""
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view: F) -> F:
        view.access_rule = AccessRule(roles=frozenset(names))  # type: ignore[attr-defined]
        return view

    return decorate


def any_role(view: F) -> F:
    """Reachable by every logged-in user."""
    return roles(*ROLES)(view)


def records(view: F) -> F:
    """Opening it records something besides the read: a print (the next sheet says KOPIA) or an
    export (the next "changed only" starts after it). Only a tap of the user's opens it, never
    a return address followed by itself (a login's next)."""
    view.records_on_open = True  # type: ignore[attr-defined]
    return view


def records_on_open(view: Callable[..., Any]) -> bool:
    """Whether opening the view records a print or an export (declared with `records`)."""
    return bool(getattr(view, "records_on_open", False))


def rule_for(view: Callable[..., Any]) -> AccessRule | None:
    """The declared rule of a view function, or None when it declares none."""
    return getattr(view, "access_rule", None)
