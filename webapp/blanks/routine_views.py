"""Binder views: the site's outage routines printed for the binder, and its ward referral
form for the intranet."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import records, roles
from ..i18n import gettext as _
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.routines import routines_pdf
from ..printing.services import PrintFailed
from ..printing.ward_referral import NoWardFax, ward_referral_pdf
from ..web import tablet_url
from . import bp


@bp.route("/routines.pdf")
@roles("admin")
@records
def routines() -> ResponseReturnValue:
    """Every outage routine of the site (or ?scenario= one) as a PDF for the binder."""
    scenario = request.args.get("scenario")
    try:
        pdf = routines_pdf(g.user, tablet_url(), scenario)
    except KeyError:
        abort(404)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("blanks.index") + "#routines")
    return pdf_response(pdf, "rutiner.pdf" if scenario is None else "rutin.pdf")


# Said on the binder page when the configuration names no fax for the form.
MSG_NO_WARD_FAX = (
    "Avdelningsremissen kan inte skrivas ut: konfigurationen anger inget fax som avdelningarna "
    "kan faxa remissen till. Ange referral_fax (eller fax) under [site] i konfigurationen."
)


@bp.route("/ward-referral.pdf")
@roles("admin")
@records
def ward_referral() -> ResponseReturnValue:
    """The site's ward referral form, for the intranet: wards print it and fax it filled in."""
    try:
        pdf = ward_referral_pdf(g.user)
    except NoWardFax:
        flash(_(MSG_NO_WARD_FAX), "error")
        return redirect(url_for("blanks.index") + "#ward-referral")
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("blanks.index") + "#ward-referral")
    return pdf_response(pdf, "rontgenremiss-vid-driftstopp.pdf")
