"""[site] reply_contact: the contact whose fax the sheets print as where to answer the site."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from . import siteconfig_values as v
from .refusal import Message
from .siteconfig_contacts import Contact

REPLY_KEY = "reply_contact"
# The anonymised referral prints the name as whom to answer; longer took it onto a second page.
REPLY_NAME_LENGTH = 100


def answering_chain(contacts: dict[str, Contact], key: str) -> list[Contact]:
    """The contact and each one that answers when the one before has closed, as contact_now
    follows them: only hours make a fallback answer, and a ring ends at a contact passed."""
    chain = [contacts[key]]
    while chain[-1].hours and chain[-1].fallback in contacts:
        following = contacts[chain[-1].fallback]
        if following in chain:
            break
        chain.append(following)
    return chain


def parse_reply_contact(site: dict[str, Any], contacts: dict[str, Contact]) -> str:
    """The key, checked: every contact that may answer in its place needs a fax, or a sheet
    printed after hours would name no fax at all, and the last must answer at every hour."""
    key = v.text(site, REPLY_KEY, "[site]")
    if not key:
        return ""
    if key not in contacts:
        raise v.ConfigValueError(
            "[site] reply_contact: kontakten %(key)s finns inte bland [[contacts]]; kontrollera "
            "stavningen%(close)s (reply_contact anger den kontakt vars fax skrivs ut som "
            "enhetens svarsadress).",
            key=key,
            close=v.did_you_mean(key, tuple(contacts), "{}"),
        )
    chain = answering_chain(contacts, key)
    if not chain[0].fax:
        raise v.ConfigValueError(
            "[site] reply_contact: kontakten %(key)s har inget fax; utskrifterna anger dess fax "
            "som enhetens svarsadress.",
            key=key,
        )
    for contact in chain:
        v.longest(
            contact.name,
            REPLY_NAME_LENGTH,
            Message("[site] reply_contact: kontakten %(key)s: name", {"key": contact.key}),
        )
    if chain[-1].after_hours:
        # A text cannot take a fax: the night's answers would lie unread until the morning.
        raise v.ConfigValueError(
            "[site] reply_contact: kontakten %(key)s har ingen som svarar utanför sina "
            "öppettider (after_hours), och utskrifterna anger dess fax som enhetens svarsadress "
            "även då; ange en reservkontakt med fax (fallback) i stället, eller välj en "
            "reply_contact som svarar dygnet runt.",
            key=chain[-1].key,
        )
    for before, contact in pairwise(chain):
        if not contact.fax:
            raise v.ConfigValueError(
                "[site] reply_contact: kontakten %(key)s har inget fax; den svarar när "
                "%(before)s har stängt, och utskrifterna anger då dess fax som enhetens "
                "svarsadress.",
                key=contact.key,
                before=before.key,
            )
    return key
