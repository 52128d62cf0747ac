"""The site's ward referral form, printed from the binder page for the intranet: built from the
saved configuration, logged as a print once drawn."""

from __future__ import annotations

from printforms import data_ward as pw

from ..audit import log_event
from ..models import User, utcnow
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from ..ward_codes import make_ward_referral_payload, site_form_stamp
from .referral_faxes import ward_faxes
from .routines import current_config
from .services import PrintFailed
from .sheet_parts import fmt_time

TITLE = "Röntgenremiss vid driftstopp (för intranätet)"


class NoWardFax(Exception):
    """The site names no fax for wards to send referrals to: the form would name none."""


def ward_referral_data(config: SiteConfig, version: int, printed_at: str) -> pw.WardReferralData:
    """The form as plain sheet data."""
    return pw.WardReferralData(
        site_name=config.name,
        site_code=config.code,
        qr_payload=make_ward_referral_payload(config.code),
        form_mark=f"W{site_form_stamp(config.code)}",
        faxes=ward_faxes(config),
        priorities=tuple(p.label for p in config.priorities),
        printed=f"Utskriven {printed_at} från Reservrutin (konfiguration version {version})",
    )


def ward_referral_pdf(user: User) -> bytes:
    """The user's site's ward referral form as a PDF, logged as a print once drawn. Raises
    NoWardFax when the site has no fax to name, PrintFailed when it cannot be drawn (then
    nothing is logged)."""
    from printforms import render_ward_referral

    config, version = current_config(user.site_id)
    data = ward_referral_data(config, version.number, fmt_time(utcnow()))
    if not data.faxes:
        raise NoWardFax()
    try:
        pdf = render_ward_referral(data)
    except Exception as exc:  # any failure of the data or the layout: no paper, no record
        raise PrintFailed(str(exc)) from exc
    with write_transaction():
        log_event(
            "print",
            user=user,
            detail=f"{TITLE}, {data.qr_payload}, konfiguration version {version.number}",
        )
    return pdf
