"""A case's name key follows its name in statements that bypass the model's validator.

The namesake check trusts the stored key (it asks the database for it), so a name written by a
plain INSERT or UPDATE (insert_row, update_by_key, a bulk update()) must write its key too: a
stale key hides a namesake without a sound. Every such statement on the case table gets the
key of the name it sets; a name the statement computes in SQL has no key Python can work out,
so it is refused (a developer's error, never a user's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import BindParameter, Insert, Update, event
from sqlalchemy.engine import Engine

from .case import Case, patient_name_key

_TABLE = Case.__table__.name
_NAME = "patient_name"
_KEY = "patient_name_key"


def _with_key(values: Mapping[str, Any]) -> Mapping[str, Any]:
    if _NAME not in values or _KEY in values:
        return values
    return {**values, _KEY: patient_name_key(values[_NAME] or "")}


def _given(statement: Insert | Update) -> dict[str, Any]:
    # What .values() set, by column name (the ORM gives columns, Core may give names). The
    # statement's own record of it: SQLAlchemy has no public reader of a DML's values.
    return {k if isinstance(k, str) else k.key: v for k, v in (statement._values or {}).items()}


@event.listens_for(Engine, "before_execute", retval=True)
def _key_follows_name(
    conn: Any, statement: Any, multiparams: Any, params: Any, options: Any
) -> tuple[Any, Any, Any]:
    if not isinstance(statement, Insert | Update):
        return statement, multiparams, params
    if getattr(statement.table, "name", None) != _TABLE:
        return statement, multiparams, params
    if statement._multi_values:
        # Not written so anywhere: refused rather than read row by row for the name.
        raise RuntimeError("Cases are inserted a row per parameter set, not by multi-row VALUES.")
    given = _given(statement)
    if _NAME in given and _KEY not in given:
        value = given[_NAME]
        if not isinstance(value, BindParameter) or value.callable is not None:
            raise RuntimeError("The case's name set by an SQL expression: its key cannot follow.")
        statement = statement.values({_KEY: patient_name_key(value.value or "")})
    multiparams = [_with_key(p) for p in multiparams] if multiparams else multiparams
    params = _with_key(params) if params else params
    return statement, multiparams, params
