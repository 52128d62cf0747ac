"""The reconciliation batch as JSON, the shape documented in docs/batch-schema.json."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .batch import CaseExport

SCHEMA_ID = "reservrutin-batch/1"


def batch_document(
    cases: list[CaseExport], *, incident: dict[str, Any], generated_at: str, since: str | None
) -> dict[str, Any]:
    """The batch as plain JSON-ready data (dataclass field order is the key order)."""
    return {
        "schema": SCHEMA_ID,
        "incident": dict(incident),
        "generated_at": generated_at,
        "since": since,
        "cases": [asdict(case) for case in cases],
    }


def to_json(
    cases: list[CaseExport], *, incident: dict[str, Any], generated_at: str, since: str | None
) -> str:
    """The batch document as text: UTF-8 friendly (å ä ö unescaped), keys in a stable order."""
    document = batch_document(cases, incident=incident, generated_at=generated_at, since=since)
    # No sort_keys: dataclass order reads naturally (patient before referral before exam) and is
    # already stable; sorting would scatter related fields for the person reading the file.
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
