"""The template library (admin)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import SubmissionConflict
from ..cases.submissions import SubmitResult, payload_hash
from ..extensions import db
from ..formutil import choices, new_form_key, page_in_english, site_choices, version_shown
from ..i18n import gettext as _
from ..models import ReportTemplate
from . import bp
from .forms import TemplateForm
from .library import (
    StaleTemplateError,
    TemplateError,
    codes_gone,
    save_template,
    templates_for,
)


def _setup(form: TemplateForm) -> TemplateForm:
    form.modality.choices = site_choices(
        # The choice of no modality is the app's own word; the others are the site's names.
        ((m.code, m.name) for m in g.site_config.modalities),
        page_in_english(),
        _("Alla"),
    )
    form.exam_codes.choices = choices((e.code, e.name) for e in g.site_config.exams)
    return form


@bp.route("/templates")
@roles("admin", "radiologist")
def templates() -> ResponseReturnValue:
    """The site's report templates."""
    return render_template(
        "reporting/templates.html", templates=templates_for(g.user.site_id, active_only=False)
    )


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@roles("admin")
def edit_template(template_id: int | None = None) -> ResponseReturnValue:
    """Create or edit a template: sections and quick phrases."""
    template = None
    if template_id is not None:
        template = db.session.get(ReportTemplate, template_id)
        if template is None or template.site_id != g.user.site_id:
            abort(404)
    if request.method == "GET":
        form = _setup(TemplateForm(formdata=None))
        form.form_key.data = new_form_key()
        if template is not None:
            form.version.data = str(template.version)
            form.name.data = template.name
            form.modality.data = template.modality
            form.exam_codes.data = list(template.exam_codes or [])
            form.sections.data = "\n".join(template.sections)
            form.phrases.data = "\n".join(f"{p['section']}: {p['text']}" for p in template.phrases)
            form.is_active.data = template.is_active
        else:
            form.is_active.data = True
    else:
        form = _setup(TemplateForm())
    refused = False
    if form.validate_on_submit():
        values = {
            "name": form.name.data or "",
            "modality": form.modality.data or "",
            "exam_codes": list(form.exam_codes.data or []),
            "sections": form.section_list(),
            "phrases": form.phrase_list(),
            "is_active": bool(form.is_active.data),
        }
        try:
            saved = save_template(
                user=g.user,
                template_id=template_id,
                values=values,
                shown_version=version_shown(form.version.data),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("reporting.templates"),
            )
        except StaleTemplateError as exc:
            form.name.errors = [_stale_message(template)]
            # A second save is then a choice made knowing of the other save.
            form.version.data = str(exc.current_version)
            refused = True
        except SubmissionConflict:
            # What was typed stays; sent again, it is a save of its own under a new key.
            form.name.errors = [
                _(
                    "Formuläret har redan skickats med annat innehåll, och mallen är sparad. "
                    "Spara igen bara om ändringarna ska sparas en gång till."
                )
            ]
            form.form_key.data = new_form_key()
            refused = True
        except TemplateError as exc:
            form.sections.errors = [str(exc)]
        else:
            if isinstance(saved, SubmitResult):
                flash(_("Mallen var redan sparad – inget dubblerades."), "success")
                return redirect(saved.url)
            flash(_("Mallen är sparad."), "success")
            return redirect(url_for("reporting.templates"))
    status = 409 if refused else 400 if form.errors else 200
    gone_modality, gone_exams = codes_gone(template, g.site_config)
    return render_template(
        "reporting/template_edit.html",
        form=form,
        template=template,
        gone_modality=gone_modality,
        gone_exams=", ".join(gone_exams),
    ), status


def _stale_message(template: ReportTemplate | None) -> str:
    # The failed save expired the template: what is read now is what the other admin saved.
    return _(
        "Mallen har sparats av en annan administratör sedan du öppnade sidan: nu %(name)s, "
        "med avsnitten %(sections)s. Dina ändringar finns kvar nedan; spara igen bara om de ska "
        "ersätta den andras.",
        name=template.name if template else "",
        sections=", ".join(template.sections) if template else "",
    )
