"""[site] wards_contact: the contact who tells the wards how to refer during an outage (a TiB)."""

from __future__ import annotations

from typing import Any

from . import siteconfig_values as v
from .siteconfig_contacts import Contact

WARDS_KEY = "wards_contact"


def parse_wards_contact(site: dict[str, Any], contacts: dict[str, Contact]) -> str:
    """The key, checked against the contacts; "": the site names no one, and the pages say
    only that the wards are told."""
    key = v.text(site, WARDS_KEY, "[site]")
    if key and key not in contacts:
        raise v.ConfigValueError(
            "[site] wards_contact: kontakten %(key)s finns inte bland [[contacts]]; kontrollera "
            "stavningen%(close)s (wards_contact anger den kontakt som informerar avdelningarna "
            "om hur de remitterar under driftstoppet).",
            key=key,
            close=v.did_you_mean(key, tuple(contacts), "{}"),
        )
    return key
