"""Where a sheet tells its reader to answer or call the site back.

By default the site's own fax and phone ([site] fax, phone). A site staffed only by day names a
reply contact instead ([site] reply_contact): a sheet then prints the contact that answers at
the moment it is printed, following the fallbacks as the routine screen does, with the hours
beside it, so a sheet read after they end still says where the answer goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..siteconfig import Contact, SiteConfig
from ..web import local_now


@dataclass(frozen=True)
class SiteReply:
    name: str  # who answers: the reply contact, or the site's department
    fax: str
    phone: str  # every number, as the written routines give two: "… eller …"
    hours: str = ""  # when they answer, e.g. "mån–fre 07:30–15:30"; "": round the clock
    then_fax: str = ""  # who answers after the hours (siteconfig_reply made sure of a fax)
    then_phone: str = ""

    @property
    def reply_to(self) -> str:
        """Where the anonymised referral's reviewer faxes the answer."""
        # [site] fax is optional (only a reply_contact must have one): without it the reviewer
        # is given the phone, never a bare "fax" with no number after it.
        if not self.fax:
            return f"{self.name}, telefon {self.phone}" if self.phone else self.name
        text = f"{self.name}, fax {self.fax}"
        return f"{text} ({self.hours}; därefter fax {self.then_fax})" if self.hours else text


def phones_text(contact: Contact) -> str:
    """Every phone number of the contact, as the written routines give two: "… eller …"."""
    return " eller ".join(contact.phones)


def _reply_of(config: SiteConfig, contact: Contact) -> SiteReply:
    after = config.contacts.get(contact.fallback)
    # Only hours make the fallback answer, as contact_now follows them.
    if not contact.hours or after is None:
        return SiteReply(contact.name, contact.fax, phones_text(contact))
    hours = ", ".join(contact.hours_text)
    return SiteReply(
        contact.name, contact.fax, phones_text(contact), hours, after.fax, phones_text(after)
    )


def site_reply(config: SiteConfig, moment: datetime) -> SiteReply:
    """Where to answer the site at the moment (site's local time, naive)."""
    if not config.reply_contact:
        return SiteReply(config.department or config.name, config.fax, config.phone)
    return _reply_of(config, config.contact_now(config.reply_contact, moment))


def site_reply_now(config: SiteConfig) -> SiteReply:
    """Where to answer the site as a sheet printed now says it."""
    return site_reply(config, local_now().replace(tzinfo=None))


def steady_reply(config: SiteConfig) -> SiteReply:
    """Where to answer the site as the configuration says it, whatever the hour: the reply
    contact with its hours and whom after. For paper read at a later hour than it is printed
    (a binder's blank, a disc's label), which the contact of the moment could mislead."""
    if not config.reply_contact:
        return site_reply(config, datetime.min)
    return _reply_of(config, config.contacts[config.reply_contact])


def steady_reply_to(config: SiteConfig) -> str:
    """The reply as the configuration says it, whatever the hour: a reprint compares by it, so
    a sheet printed again after the contact closed is a copy, not a changed sheet."""
    return steady_reply(config).reply_to


def phone_with_hours(reply: SiteReply) -> str:
    """The reply's phone with its hours and the phone after them, as one line of a label."""
    return _with_hours(reply.phone, reply)


def fax_with_hours(reply: SiteReply) -> str:
    """The reply's fax so, for a label whose contact has no phone ("" when it has one).

    A contact's phone is optional: without this a disc's label named no number to reach its
    sender by, where the report's call-back line gives the fax.
    """
    return "" if reply.phone else _with_hours(reply.fax, reply)


def _with_hours(number: str, reply: SiteReply) -> str:
    if not reply.hours or not number:
        return number
    # The contact after the hours is sure of a fax only (siteconfig_reply).
    then = f"tel {reply.then_phone}" if reply.then_phone else f"fax {reply.then_fax}"
    return f"{number} ({reply.hours}; därefter {then})"
