"""[site] referral_fax: where wards fax their paper referrals when the order tool or RIS is down.

The ward referral form (printed from the binder page for the intranet) lists these contacts'
fax numbers with their hours, and whom to fax after them. Wards keep the form and use it at any
hour, so each listed contact, and each one that answers in its place, needs a fax, and the last
one must answer round the clock.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from . import siteconfig_values as v
from .refusal import Message
from .siteconfig_contacts import Contact
from .siteconfig_reply import answering_chain

REFERRAL_FAX_KEY = "referral_fax"
# The form's fax box holds three radiology units beside a whole referral on one page, with
# names (theirs and their fallbacks') up to REFERRAL_FAX_NAME_LENGTH and two lines of hours
# each: more took the form onto a second page (tests/printforms/test_printforms_ward_referral).
REFERRAL_FAX_MOST = 3
REFERRAL_FAX_HOURS_MOST = 2
REFERRAL_FAX_NAME_LENGTH = 60


def parse_referral_fax(site: dict[str, Any], contacts: dict[str, Contact]) -> tuple[str, ...]:
    """The keys, checked; () when the site names none (the form then names the reply fax)."""
    keys = v.texts(site, REFERRAL_FAX_KEY, "[site]")
    if len(keys) > REFERRAL_FAX_MOST:
        raise v.ConfigValueError(
            "[site] referral_fax: högst %(most)s kontakter får plats på avdelningsremissen; nu "
            "är det %(n)s.",
            most=REFERRAL_FAX_MOST,
            n=len(keys),
        )
    for index, key in enumerate(keys):
        if key in keys[:index]:
            raise v.ConfigValueError(
                "[site] referral_fax: kontakten %(key)s står två gånger.", key=key
            )
        if key not in contacts:
            raise v.ConfigValueError(
                "[site] referral_fax: kontakten %(key)s finns inte bland [[contacts]]; "
                "kontrollera stavningen%(close)s (referral_fax anger de fax som avdelningarna "
                "faxar sina pappersremisser till).",
                key=key,
                close=v.did_you_mean(key, tuple(contacts), "{}"),
            )
        _check_chain(answering_chain(contacts, key))
    return keys


def _check_chain(chain: list[Contact]) -> None:
    first = chain[0]
    if not first.fax:
        raise v.ConfigValueError(
            "[site] referral_fax: kontakten %(key)s har inget fax; avdelningsremissen anger "
            "dess fax som dit remissen faxas.",
            key=first.key,
        )
    if len(first.hours_text) > REFERRAL_FAX_HOURS_MOST:
        v.rule(
            "[site] referral_fax: kontakten %(key)s har %(n)s rader öppettider; högst %(most)s "
            "får plats på avdelningsremissen.",
            key=first.key,
            n=len(first.hours_text),
            most=REFERRAL_FAX_HOURS_MOST,
        )
    for contact in chain:
        v.longest(
            contact.name,
            REFERRAL_FAX_NAME_LENGTH,
            Message("[site] referral_fax: kontakten %(key)s: name", {"key": contact.key}),
        )
    for before, contact in pairwise(chain):
        if not contact.fax:
            raise v.ConfigValueError(
                "[site] referral_fax: kontakten %(key)s har inget fax; den svarar när "
                "%(before)s har stängt, och avdelningarna faxar då sina remisser dit.",
                key=contact.key,
                before=before.key,
            )
    if chain[-1].after_hours:
        # A ward's referral at night would be faxed to no one.
        raise v.ConfigValueError(
            "[site] referral_fax: kontakten %(key)s har ingen som tar emot fax utanför sina "
            "öppettider (after_hours); ange en reservkontakt med fax (fallback) som svarar "
            "dygnet runt.",
            key=chain[-1].key,
        )
