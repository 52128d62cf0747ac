"""Login, logout, switching user on a shared tablet, and the one-time setup."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
