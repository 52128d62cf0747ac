"""The template library (svarsmodeller): defaults for a new site, and admin edits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import log_event, record_version, snapshot
from ..cases.errors import SubmitNotStored
from ..cases.submissions import SubmitResult, store_once
from ..extensions import db
from ..models import ReportTemplate, User, utcnow
from ..models.report import HEADING_MAX, HEADING_TOO_LONG
from ..site_usage import code_gone
from ..siteconfig import SiteConfig
from ..storage import write_transaction

DEFAULT_TEMPLATES: list[dict[str, Any]] = [
    {
        "name": "Lungröntgen",
        "modality": "CR",
        "exam_codes": ["CR-THX"],
        "sections": ["Frågeställning", "Fynd", "Bedömning"],
        "phrases": [
            {"section": "Fynd", "text": "Normal hjärtstorlek. Inga infiltrat. Inga pleuravätskor."},
            {"section": "Fynd", "text": "Ingen pneumothorax."},
            {"section": "Bedömning", "text": "Ingen akut hjärt-lungpatologi."},
        ],
    },
    {
        "name": "DT hjärna",
        "modality": "CT",
        "exam_codes": ["CT-HJ", "CT-HJA"],
        "sections": ["Frågeställning", "Teknik", "Fynd", "Bedömning"],
        "phrases": [
            {"section": "Teknik", "text": "DT hjärna utan intravenös kontrast."},
            {"section": "Fynd", "text": "Ingen intrakraniell blödning. Inga tecken på infarkt."},
            {"section": "Fynd", "text": "Normalvida ventriklar. Ingen överledning av medellinjen."},
            {"section": "Bedömning", "text": "Ingen akut intrakraniell patologi."},
        ],
    },
    {
        "name": "DT thorax-buk",
        "modality": "CT",
        "exam_codes": ["CT-TAB", "CT-LE"],
        "sections": ["Frågeställning", "Teknik", "Thorax", "Buk", "Bedömning"],
        "phrases": [
            {"section": "Teknik", "text": "DT thorax och buk med intravenös kontrast."},
            {"section": "Thorax", "text": "Inga lungembolier. Inga infiltrat."},
            {"section": "Buk", "text": "Ingen fri gas. Ingen fri vätska."},
            {"section": "Bedömning", "text": "Ingen akut patologi."},
        ],
    },
]
TEMPLATE_FIELDS = ("name", "modality", "exam_codes", "sections", "phrases", "is_active", "version")


class TemplateError(ValueError):
    """A template that cannot be saved."""


def _starters_for(config: SiteConfig) -> list[dict[str, Any]]:
    # The starters are written for the example site's catalogue: a department with other
    # codes would be offered templates for a modality and exams it does not have.
    modalities = {m.code for m in config.modalities}
    exams = {e.code for e in config.exams}
    return [
        t | {"exam_codes": [c for c in t["exam_codes"] if c in exams]}
        for t in DEFAULT_TEMPLATES
        if t["modality"] in modalities
    ]


def ensure_default_templates(site_id: int, config: SiteConfig) -> None:
    """Give a new site the starter library once; admins edit it from there."""
    count = db.session.scalar(
        select(func.count(ReportTemplate.id)).where(ReportTemplate.site_id == site_id)
    )
    if count:
        return
    with write_transaction() as session:
        for t in _starters_for(config):
            session.add(ReportTemplate(site_id=site_id, **t))


def _is_unedited_starter(template: ReportTemplate) -> bool:
    # As seeded for some catalogue (its exam codes those of the starter's the catalogue had),
    # and never saved with a change since: a version above 1 is an admin's edit.
    starter = next((t for t in DEFAULT_TEMPLATES if t["name"] == template.name), None)
    if starter is None or template.version != 1 or not template.is_active:
        return False
    codes = template.exam_codes or []
    return (
        template.modality == starter["modality"]
        and codes == [c for c in starter["exam_codes"] if c in codes]
        and template.sections == starter["sections"]
        and template.phrases == starter["phrases"]
    )


def refit_starter_templates(
    session: Session, site_id: int, config: SiteConfig, reason: str
) -> None:
    """Fit the example site's starter library to the catalogue of the site that took its place.

    The example's unedited starters are keyed to its exam codes: one the new catalogue would
    get otherwise is taken out of use (its version kept) and the new site gets the starters a
    fresh site with its catalogue gets. A template someone edited or made stays, and a starter
    of its name is not added beside it.
    """
    wanted = {t["name"]: t for t in _starters_for(config)}
    taken: set[str] = set()
    for template in session.scalars(
        select(ReportTemplate).where(ReportTemplate.site_id == site_id).order_by(ReportTemplate.id)
    ):
        fits = wanted.get(template.name)
        if not _is_unedited_starter(template) or (
            fits is not None and template.exam_codes == fits["exam_codes"]
        ):
            taken.add(template.name)
            continue
        before = snapshot(template, TEMPLATE_FIELDS)
        template.is_active = False
        template.updated_at = utcnow()
        record_version(template, before, entity="template", case_id=None, user=None, reason=reason)
    for name, t in wanted.items():
        if name not in taken:
            session.add(ReportTemplate(site_id=site_id, **t))


class StaleTemplateError(TemplateError):
    """The edit was made on a page opened before another admin saved the template."""

    def __init__(self, current_version: int) -> None:
        super().__init__("stale template edit")
        self.current_version = current_version


def save_template(
    *,
    user: User,
    template_id: int | None,
    values: dict[str, Any],
    shown_version: int | None = None,
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> ReportTemplate | SubmitResult:
    """Create or change a template (admin); changes keep the earlier version.

    shown_version: the version the edit page showed; a save made after another admin's is
    refused (StaleTemplateError) rather than silently undoing it. A form key already used
    (a double tap) saves nothing more and returns the first save's result (SubmissionConflict
    for other content under it).
    """
    # Checked here too, not only by the form: a heading cut short would say something else.
    if any(len(heading) > HEADING_MAX for heading in values.get("sections") or ()):
        raise TemplateError(HEADING_TOO_LONG)
    if not values.get("sections"):
        raise TemplateError("Mallen behöver minst ett avsnitt.")

    try:
        return store_once(
            form_key=form_key,
            digest=digest,
            kind="template_create" if template_id is None else "template_change",
            user_id=user.id,
            write=lambda session: _write(session, user, template_id, values, shown_version),
            url_of=lambda _template: url,
        )
    except SubmitNotStored as exc:
        raise TemplateError(exc.message) from exc


def _write(
    session: Session,
    user: User,
    template_id: int | None,
    values: dict[str, Any],
    shown_version: int | None,
) -> ReportTemplate:
    if template_id is None:
        template = ReportTemplate(site_id=user.site_id, **values)
        session.add(template)
        session.flush()
        log_event("template_create", user=user, detail=template.name)
        return template
    # Locked (PostgreSQL): a save at the same moment is kept as the version this one
    # replaces, rather than both numbered as replacing the same one.
    found = session.get(ReportTemplate, template_id, with_for_update=True)
    if found is None or found.site_id != user.site_id:
        raise TemplateError("Mallen finns inte.")
    template = found
    if shown_version is not None and shown_version != template.version:
        raise StaleTemplateError(template.version)
    before = snapshot(template, TEMPLATE_FIELDS)
    for key, value in values.items():
        setattr(template, key, value)
    template.updated_at = utcnow()
    changes = record_version(template, before, entity="template", case_id=None, user=user)
    log_event("template_change", user=user, detail=f"{template.name}: {', '.join(changes)}")
    return template


def templates_for(site_id: int, *, active_only: bool = True) -> list[ReportTemplate]:
    """The site's templates, by name."""
    stmt = select(ReportTemplate).where(ReportTemplate.site_id == site_id)
    if active_only:
        stmt = stmt.where(ReportTemplate.is_active.is_(True))
    return list(db.session.scalars(stmt.order_by(ReportTemplate.name)))


def template_for_exam(
    site_id: int, exam_code: str, modality: str, *, templates: list[ReportTemplate] | None = None
) -> ReportTemplate | None:
    """The template that fits an exam best: by exam code, else by modality.

    A free-text exam (no code) gets none: the modality's first template is as likely to be for
    another body part, and its quick phrases would then be wrong. `templates` are the site's
    active templates when the caller has them already.
    """
    if not exam_code:
        return None
    if templates is None:
        templates = templates_for(site_id)
    exact = [t for t in templates if exam_code and exam_code in (t.exam_codes or [])]
    if exact:
        return exact[0]
    same_modality = [t for t in templates if t.modality and t.modality == modality]
    return same_modality[0] if same_modality else None


def codes_gone(template: ReportTemplate | None, config: SiteConfig) -> tuple[str, list[str]]:
    """A template's modality and exam codes the configuration no longer has.

    The config's save does not count templates as in use, and the editor offers only the
    config's codes: without a word, the next save would quietly make the template one for all
    modalities and drop the exams it was picked by.
    """
    if template is None:
        return "", []
    modality = template.modality if code_gone(config, modality=template.modality) else ""
    exams = [c for c in template.exam_codes or [] if code_gone(config, exam_code=c)]
    return modality, exams
