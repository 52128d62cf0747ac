"""The template library (admin)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..extensions import db
from ..formutil import choices
from ..i18n import gettext as _
from ..models import ReportTemplate
from . import bp
from .forms import TemplateForm
from .library import TemplateError, codes_gone, save_template, templates_for


def _setup(form: TemplateForm) -> TemplateForm:
    form.modality.choices = choices(
        [("", "Alla")] + [(m.code, m.name) for m in g.site_config.modalities]
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
        if template is not None:
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
            save_template(user=g.user, template_id=template_id, values=values)
        except TemplateError as exc:
            form.sections.errors = [str(exc)]
        else:
            flash(_("Mallen är sparad."), "success")
            return redirect(url_for("reporting.templates"))
    status = 400 if form.errors else 200
    gone_modality, gone_exams = codes_gone(template, g.site_config)
    return render_template(
        "reporting/template_edit.html",
        form=form,
        template=template,
        gone_modality=gone_modality,
        gone_exams=", ".join(gone_exams),
    ), status
