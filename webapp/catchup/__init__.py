"""Secretary catch-up: scan station, keying into RIS, reconciliation batch, closing."""

from flask import Blueprint

bp = Blueprint("catchup", __name__)
# Who works the catch-up: the scan station and the keying of each case into RIS.
STAFF = ("secretary", "admin")

from . import (  # noqa: E402,F401
    batch_views,
    blanks_views,
    case_views,
    clean_up_views,
    export_views,
    release_note_views,
    ris_views,
    scan_views,
    waiver_views,
)
