"""One case's page of the external-reviewer routine, as every form on it draws it."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..extensions import db
from ..formutil import choices, new_form_key
from ..i18n import gettext as _
from ..i18n import in_swedish
from ..incidents.forms import ConfirmForm
from ..models import Case, utcnow
from ..offered_routines import offers_case_reviewer
from ..printing.anonymised_preview import anonymised_preview
from ..web import local_now
from .forms import (
    FaxSentForm,
    ForwardedForm,
    ImageRouteForm,
    UndoReceiptForm,
    VerbalAnswerForm,
)
from .not_offered import require_offered
from .queries import exchange_for_case, reviewer_fax_now, route_statuses
from .reviewer_answer_services import latest_signature
from .reviewer_stale import changed_since_fax

SCOPE = "reviewer"


def route_choices(statuses: dict[str, Any]) -> list[Any]:
    out = []
    for route in g.site_config.routines.external_reviewer.routes:
        status = statuses.get(route.key)
        # The route's name and the note typed on it are Swedish, the words between them the
        # page's own: on a page in English each Swedish part is marked alone (WCAG 3.1.2).
        label = in_swedish(route.name)
        if status is not None and not status.is_working:
            said = escape(_("fungerar inte: %(note)s")) % {"note": in_swedish(status.note)}
            label += Markup(" – ") + said
        out.append((route.key, label))
    return choices(out)


def offered_case_or_404(case_id: int) -> Case:
    """The case, if the site has the reviewer routine or sent this case to the reviewer before.

    Refused before the case is read: a case never sent would get its exchange under a routine
    the department no longer has.
    """
    require_offered(offers_case_reviewer(case_id, g.site_config.routines), "reviewer")
    return get_case_or_404(case_id)


def render_case(case: Case, status: int = 200, **forms: Any) -> ResponseReturnValue:
    # Every answer that shows the case is a read, a refused submit's included.
    record_view(case, g.user, "reviewer_case_view")
    config = g.site_config
    rc = config.routines.external_reviewer
    statuses = route_statuses(g.user.site_id, SCOPE)
    fax_form = forms.get("fax_form") or FaxSentForm(prefix="fax")
    fax_to = reviewer_fax_now(config, local_now().replace(tzinfo=None))
    if "fax_form" not in forms:
        fax_form.number.data = fax_to.number
        fax_form.sent_at.data = utcnow()
        fax_form.form_key.data = new_form_key()
    route_form = forms.get("route_form") or ImageRouteForm(prefix="route")
    route_form.route_key.choices = route_choices(statuses)
    if "route_form" not in forms:
        route_form.form_key.data = new_form_key()
    verbal_form = forms.get("verbal_form") or VerbalAnswerForm(prefix="verbal")
    if "verbal_form" not in forms:
        verbal_form.called_at.data = utcnow()
        resume_form(
            verbal_form, "reviewer_verbal", case.id, g.user.site_id, request.args.get("draft", "")
        )
    forward_form = forms.get("forward_form") or ForwardedForm(prefix="forward")
    if "forward_form" not in forms:
        forward_form.number.data = case.referral.reply_fax if case.referral else ""
        forward_form.at.data = utcnow()
        forward_form.form_key.data = new_form_key()
        forward_form.signature.data = str(latest_signature(db.session(), case.id))
        forward_form.identity.data = str(case.identity_revision)
    undo_form = forms.get("undo_form") or UndoReceiptForm(prefix="undo")
    if "undo_form" not in forms:
        undo_form.form_key.data = new_form_key()
    exchange = exchange_for_case(case.id)
    return render_template(
        "routines/reviewer_case.html",
        case=case,
        anonymised=anonymised_preview(case, config),
        exchange=exchange,
        changed_since_fax=changed_since_fax(exchange, config),
        answer=_answer_in_app(case),
        fax_form=fax_form,
        fax_to=fax_to,
        route_form=route_form,
        verbal_form=verbal_form,
        forward_form=forward_form,
        undo_form=undo_form,
        statuses=statuses,
        routes={r.key: r for r in rc.routes},
        # Also after another form of the page was refused: "Fortsätt" opens the case's page.
        verbal_offers=offered_drafts(
            "reviewer_verbal", case.id, g.user.site_id, verbal_form.form_key.data or ""
        ),
        offer_form=ConfirmForm(),
    ), status


def _answer_in_app(case: Case) -> str:
    """What the case's report is beside the reviewer's faxed answer: "entered" (a faxed-in
    report, the answer typed in), "own_report" (signed in the app by the department, which
    the answer is not entered over: printing it would fax the referrer the wrong report), or
    "" (none signed yet)."""
    report = case.report  # type: ignore[attr-defined]
    if report is None or report.state == "draft":
        return ""
    return "entered" if report.received_by_fax else "own_report"
