"""Board views."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..audit import log_read
from ..i18n import gettext as _
from ..incidents.queries import (
    current_incident,
    incident_of_site,
    other_open_incidents,
    real_incident_beside_drill,
)
from ..incidents.restored import systems_restored_at
from ..laptop_watch import laptop_health
from ..models import CASE_STATUSES, Incident
from ..pacs_rule import ONLY_ON_MODALITY
from ..second_look_rule import AWAITS_SECOND_LOOK
from ..web import STATUS_LABELS
from . import bp, reads
from .queries import board_rows

BOARD_ROWS = 60


def _of_incident() -> Incident | None:
    """The incident ?incident= names for a board opened from its page, if it is of this site.

    Its page may be of an outage the tablet does not work in (one ended, or one beside it): its
    board shows that outage's cases, not the current one's.
    """
    given = request.args.get("incident", "")
    if not given.isascii() or not given.isdigit() or len(given) > 18:
        return None
    return incident_of_site(g.user.site_id, int(given))


def _context(incident: Incident | None, *, pinned: bool = False) -> dict[str, object] | None:
    if incident is None:
        return None
    # A board of another incident than the tablet's takes no referral: a new one goes into the
    # outage the tablet works in, which its own board shows.
    current = current_incident() if pinned else incident
    modality = request.args.get("modality", "")[:30]
    status = request.args.get("status", "active")[:30]
    if status not in (*CASE_STATUSES, "active", ""):
        status = "active"
    if modality and g.site_config.modality(modality) is None:
        modality = ""
    show_all = request.args.get("all") == "1"
    board = board_rows(
        incident.id,
        g.site_config,
        modality=modality,
        status=status,
        # A tablet shows the most urgent first; hundreds of rows help no one and cost a lot.
        limit=None if show_all else BOARD_ROWS,
        ended=incident.ended_at is not None,
    )
    real = real_incident_beside_drill() if incident.is_drill else None
    return {
        "incident": incident,
        "pinned": pinned,
        "is_current": current is not None and current.id == incident.id,
        # The outage the tablet works in when the page was drawn ("" for none): an incident's
        # own board reloads as it changes (its outage closed on another tablet), or it would
        # go on offering a new referral into an ended outage, or a board that is not there.
        "works_in": str(current.id) if current else "",
        # The real outage open beside a drill when the page was drawn: its banner names it.
        "real_beside": str(real.id) if real else "",
        # Whether the systems worked again when the page was drawn: its notice says so.
        "restored": "1" if systems_restored_at(incident) else "0",
        # The laptop's warnings when the page was drawn ("" for none): its banner (base.html)
        # names them, and the page reloads as they change.
        "laptop": laptop_health().state,
        # Refreshed with the rows: a board left open learns of a second outage's waiting cases.
        "others": [] if incident.is_drill else other_open_incidents(incident),
        "rows": board.rows,
        "total": board.total,
        "case_url": url_for("cases.show", case_id=0).removesuffix("0"),
        # Looked up once here rather than once per row in the template.
        "status_labels": {s: _(label) for s, label in STATUS_LABELS.items()},
        "call_label": _("Ring remittenten"),
        "restore_call_label": _("Ring om ångrad makulering"),
        "overdue_label": _("Försenad"),
        "blank_label": _("Utlåtande på blankett"),
        # The exam was done: its documentation waits on paper to be typed in.
        "doc_blank_label": _("Dokumentation på blankett"),
        "fax_label": _("Svar ej faxat"),
        # The report went out naming the patient as they were before a correction.
        "refax_label": _("Identitet rättad – faxa igen"),
        "forward_label": _("Granskarens svar ej vidarebefordrat"),
        # A risky safety answer in the referral: the case page names it.
        "risk_label": _("OBS risk"),
        "mr_label": _("MR-säkerhet ej besvarad"),
        # A wrong side is a wrong exam: first among the row's flags.
        "side_label": _("Annan sida än remissen"),
        "pregnancy_label": _("Graviditet ej besvarad"),
        "contrast_label": _("Kontrastfrågor ej besvarade"),
        "waiver_label": _("Undantag väntar på bekräftelse"),
        "reviewer_label": _("Väntar på extern granskare"),
        # Until sent to PACS: the modality deletes old images after some days.
        "modality_label": _(ONLY_ON_MODALITY),
        # Read on the modality's screen: a radiologist looks again once the images are in PACS.
        "second_look_label": _(AWAITS_SECOND_LOOK),
        # The radiologist's instruction: read on the case page before the exam.
        "protocol_label": _("Instruktion"),
        # Infection or isolation: staff and the porters take precautions before the patient.
        "infection_label": _("Smitta"),
        # Reconciled, its report waits for a radiologist's signature before the close.
        "to_sign_labels": {
            "unsigned_report": _("Ändrat utlåtande ej signerat"),
            "waived_unsigned": _("Osignerat utlåtande"),
        },
        "show_all": show_all,
        "modality": modality,
        "status": status,
        "statuses": CASE_STATUSES,
    }


@bp.route("/")
@roles(*CLINICAL)
def index() -> ResponseReturnValue:
    """The board of the current incident, or of the incident ?incident= names (its page's)."""
    if "incident" in request.args:
        incident = _of_incident()
        if incident is None:
            abort(404)
        context = _context(incident, pinned=True)
    else:
        context = _context(current_incident())
    if context is None:
        return redirect(url_for("main.index"))
    incident_id: int = context["incident"].id  # type: ignore[attr-defined]
    log_read("board_view", incident_id=incident_id)
    reads.opened(g.user_session.token_hash, incident_id)
    return render_template("board/index.html", **context)


@bp.route("/rows")
@roles(*CLINICAL)
def rows() -> ResponseReturnValue:
    """Only the table, for the page's own refresh every few seconds."""
    # "pinned": the board of the incident it names, opened from that incident's page.
    pinned = request.args.get("pinned") == "1"
    context = _context(_of_incident() if pinned else current_incident(), pinned=pinned)
    shown = "" if pinned else request.args.get("incident", "")
    # A real outage declared beside the drill the page shows: the page reloads, so its banner
    # names it (real patients are not to go into the drill).
    real_changed = request.args.get("real", "") != context["real_beside"] if context else False
    # The outage's scenario changed since the page was drawn: its heading names the old one.
    scenario = request.args.get("scenario", "")
    if (
        context is None
        or (shown and shown != str(context["incident"].id))  # type: ignore[attr-defined]
        or (scenario and scenario != context["incident"].scenario)  # type: ignore[attr-defined]
        or real_changed
        or request.args.get("restored", context["restored"]) != context["restored"]
        or request.args.get("laptop", context["laptop"]) != context["laptop"]
        or request.args.get("works_in", context["works_in"]) != context["works_in"]
    ):
        # The page's incident has ended (or the tablet works in another now): the page reloads
        # (the script follows a redirect so), so its heading and its rows name one incident.
        # An incident's own board stays that incident's, with its filters: an ended one's,
        # opened on every case, would come back on the active ones, of which it has none.
        if pinned and context is not None:
            return redirect(
                url_for(
                    "board.index",
                    incident=context["incident"].id,  # type: ignore[attr-defined]
                    modality=context["modality"] or None,
                    status=context["status"],
                    all=1 if context["show_all"] else None,
                )
            )
        return redirect(url_for("board.index"))
    incident_id: int = context["incident"].id  # type: ignore[attr-defined]
    if reads.refresh_to_log(g.user_session.token_hash, incident_id):
        log_read("board_refresh", incident_id=incident_id)
    return render_template("board/_rows.html", **context)
