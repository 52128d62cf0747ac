"""Where wards fax their paper referrals: named by the ward referral form and by the binder's
referral blank alike."""

from __future__ import annotations

from printforms import data_ward as pw

from ..siteconfig import SiteConfig


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
