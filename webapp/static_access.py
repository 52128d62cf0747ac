"""Static files carry no patient data and are public."""

from __future__ import annotations

from flask import Flask

from .access import public


def declare_static(app: Flask) -> None:
    """Mark the static endpoint public so the deny-by-default rule lets it through."""
    view = app.view_functions.get("static")
    if view is not None:
        app.view_functions["static"] = public(view)
