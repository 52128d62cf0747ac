"""Every draft kind names its form by module and class (read when a draft is shown under its
fields' labels): a form moved to another module must be renamed there too, or reading such a
draft fails."""

from __future__ import annotations

from importlib import import_module

import pytest
from wtforms import Form

from webapp.draft_kinds import DRAFT_KINDS
from webapp.drafts.reading import _form_fields


@pytest.mark.parametrize("kind", sorted(k for k, v in DRAFT_KINDS.items() if v.form))
def test_each_draft_kind_names_a_form_with_fields(kind: str) -> None:
    fields = _form_fields(kind)
    assert fields, kind
    module, _, name = DRAFT_KINDS[kind].form.partition(":")
    assert name and module, kind
    assert issubclass(getattr(import_module(f"webapp.{module}"), name), Form)
