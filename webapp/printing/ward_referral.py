"""The site's ward referral form, printed from the binder page for the intranet: built from the
saved configuration, logged as a print once drawn."""

from __future__ import annotations

from printforms import data_ward as pw

from ..audit import log_event
from ..models import User, utcnow
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from ..ward_codes import make_ward_referral_payload, site_form_stamp
from .routines import current_config
from .services import PrintFailed
from .sheet_parts import fmt_time

TITLE = "Röntgenremiss vid driftstopp (för intranätet)"


class NoWardFax(Exception):
    """The site names no fax for wards to send referrals to: the form would name none."""


def _fax(config: SiteConfig, key: str) -> pw.WardFax:
    contact = config.contacts[key]
    after = config.contacts.get(contact.fallback)
    # Only hours make the fallback answer (contact_now); siteconfig_referral_fax made sure
    # that it has a fax.
    hours = ", ".join(contact.hours_text) if contact.hours and after is not None else ""
    return pw.WardFax(
        name=contact.name,
        fax=contact.fax,
        phone=contact.phone,
        hours=hours,
        then_name=after.name if hours and after is not None else "",
        then_fax=after.fax if hours and after is not None else "",
    )


def ward_faxes(config: SiteConfig) -> tuple[pw.WardFax, ...]:
    """Where wards fax their referrals: [site] referral_fax, else the site's reply fax (its
    reply contact, else [site] fax); () when the site has no fax at all."""
    if config.referral_fax:
        return tuple(_fax(config, key) for key in config.referral_fax)
    if config.reply_contact:
        return (_fax(config, config.reply_contact),)
    if not config.fax:
        return ()
    return (pw.WardFax(config.department or config.name, config.fax, config.phone),)


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
