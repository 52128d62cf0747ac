"""The PIN slips of users just created, drawn and logged as a print (without the PINs)."""

from __future__ import annotations

from collections.abc import Sequence

from printforms import data_office as po

from ..audit import Actor, log_event
from ..auth.bulk_accounts import CreatedUser
from ..extensions import db
from ..models import Site, User
from ..sites import site_config
from ..storage import write_transaction
from .services import PrintFailed


def pin_slips_pdf(user: User, address: str, users: Sequence[CreatedUser]) -> bytes:
    """The slips as a PDF, logged once drawn; PrintFailed when they cannot be (nothing logged)."""
    from printforms import render_pin_slips

    site = db.session.get(Site, user.site_id)
    if site is None:
        raise LookupError(f"site {user.site_id} is gone")
    data = po.PinSlipsData(
        site=site_config(site).name,
        address=address,
        slips=tuple(po.PinSlip(u.name, u.username, u.pin) for u in users),
    )
    by = Actor.of(user)
    try:
        pdf = render_pin_slips(data)
    except Exception as exc:  # any failure of the data or the layout: no paper, no record
        raise PrintFailed(str(exc)) from exc
    names = ", ".join(u.username for u in users)
    with write_transaction():
        log_event("print", user=by, detail=f"PIN-lappar för {len(users)} nya användare: {names}")
    return pdf
