"""The follow-up of an outage for the RIS/PACS administrators: a page and a sheet."""

from flask import Blueprint

bp = Blueprint("followup", __name__, url_prefix="/incidents")

from . import views  # noqa: E402,F401
