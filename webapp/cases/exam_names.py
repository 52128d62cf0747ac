"""Which catalogue exam a form's exam text and code name, across a rename of the exam.

A code is kept only while its text is the catalogue's name for it: a text edited after the
pick is free text. A rename (same code, new name) must not make the cases saved before it free
text on their next save, dropping the exam's safety questions, so the names the code had in
the site's earlier versions count as its name too, and a form shows the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..siteconfig import SiteConfig
from ..siteconfig_catalogue import Exam


def named_exam(config: SiteConfig, code: str, text: str) -> Exam | None:
    """The exam of the code if the text is its name, now or before a rename; else None."""
    exam = config.exam(code) if code else None
    if exam is None:
        return None
    if text == exam.name or text in config.earlier_exam_names.get(code, frozenset()):
        return exam
    return None


def picked_exam(config: SiteConfig, code: str, text: str) -> Exam | None:
    """The catalogue exam a form names: by its code and name, or by its current name alone.

    None: the exam is free text (a code the catalogue no longer has is not kept either).
    """
    exam = named_exam(config, code, text)
    if exam is not None:
        return exam
    return next((e for e in config.exams if e.name == text), None)


def show_current_name(form: Any, config: SiteConfig) -> None:
    """Put the catalogue's current name in a form prefilled with a renamed exam's old one.

    The radiographer sees the exam as the catalogue names it now; the code stays.
    """
    exam = named_exam(config, form.exam_code.data or "", form.exam_text.data or "")
    if exam is not None:
        form.exam_text.data = exam.name


def renamed_only(before: Mapping[str, Any], after: Mapping[str, Any], config: SiteConfig) -> bool:
    """Whether a save changes nothing but its exam's name to the catalogue's, the code the same.

    The forms show a stored exam under its current name (show_current_name), so a form saved
    untouched after a rename carries the new name: that is no change of the record. Both are
    snapshots of the record (audit.snapshot), before and as the save would leave it.
    """
    code, text = after.get("exam_code"), after.get("exam_text")
    if not code or code != before.get("exam_code") or text == before.get("exam_text"):
        return False
    exam = config.exam(str(code))
    # Only the catalogue's name for the code, as the form shows it: another text is an edit.
    if exam is None or text != exam.name:
        return False
    quiet = ("exam_text", "version", "updated_at")
    return all(before[k] == after.get(k) for k in before if k not in quiet)
