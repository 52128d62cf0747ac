"""Plain data of the ward referral form: the site's paper referral for wards, of no case."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WardFax:
    """A radiology fax a ward sends its filled-in referral to."""

    name: str
    fax: str
    phone: str = ""  # for questions about the referral; "" when the contact has none
    # When it takes faxes ("mån–fre 07:30–15:30"); "": round the clock.
    hours: str = ""
    # Who takes them after the hours (the contact's fallback, which has a fax).
    then_name: str = ""
    then_fax: str = ""


@dataclass(frozen=True)
class WardReferralData:
    """The site's ward referral form, published on the intranet and copied by wards: no case
    code, its QR names the form and its site."""

    site_name: str
    site_code: str
    qr_payload: str
    # What people read for the QR: the form's mark, e.g. "W7K3QM".
    form_mark: str
    faxes: tuple[WardFax, ...]
    # The site's priority labels, printed as tick boxes; empty gives a line to write on.
    priorities: tuple[str, ...] = ()
    # When and from which configuration it was printed: an old copy on the intranet shows.
    printed: str = ""
