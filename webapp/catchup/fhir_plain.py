"""A validated FHIR model as JSON-ready data: what model_dump(mode="json") gives, but faster.

fhir.resources serialises through a Python hook on every nested element that re-reads the whole
field table of its class each time; for the export that was two thirds of its run time. This
walks the same table once per class (cached) and writes the same data: elements in the order of
the specification, None and empty lists left out, primitives converted the way fhir_core and
pydantic convert them. Anything it does not know it leaves to model_dump, and
tests/test_exports.py checks that both give the same for every resource the export makes.
"""

from __future__ import annotations

import decimal
import uuid
from functools import cache
from typing import Any

from fhir_core.fhirabstractmodel import FHIRAbstractModel
from fhir_core.utils import get_base64_encoder, is_primitive_type
from pydantic_core import to_jsonable_python

FHIR_COMMENTS = "fhir_comments"
_PLAIN_TYPES = (str, bool, int, float)


class _Unsupported(Exception):
    """A value this walker does not handle; the whole model goes through model_dump instead."""


def fhir_plain(model: FHIRAbstractModel) -> dict[str, Any]:
    """model.model_dump(mode="json", exclude_none=True), from a validated model."""
    try:
        return _model(model)
    except _Unsupported:
        return model.model_dump(mode="json", exclude_none=True)


# (attribute, JSON name, is primitive, base64 encoder, extension attribute, its JSON name)
_Field = tuple[str, str, bool, Any, str | None, str | None]


@cache
def _fields(cls: type[FHIRAbstractModel]) -> tuple[bool, str, tuple[_Field, ...]]:
    """How fhir_core serialises a class: resourceType or not, then its elements in order."""
    model_fields = cls.model_fields
    aliases = cls.get_alias_mapping()
    fields = []
    for element in cls.elements_sequence():
        name = aliases[element]
        info = model_fields[name]
        primitive = is_primitive_type(info)
        ext = f"{name}__ext" if primitive and f"{name}__ext" in model_fields else None
        ext_alias = (model_fields[ext].alias or ext) if ext else None
        encoder = get_base64_encoder(info) if primitive else None
        fields.append((name, info.alias or name, primitive, encoder, ext, ext_alias))
    return cls.has_resource_base(), cls.__resource_type__, tuple(fields)


def _model(model: FHIRAbstractModel) -> dict[str, Any]:
    has_resource_type, resource_type, fields = _fields(type(model))
    values = model.__dict__
    out: dict[str, Any] = {}
    if has_resource_type:
        out["resourceType"] = resource_type
    for name, key, primitive, encoder, ext, ext_key in fields:
        value = values.get(name)
        if value is not None:
            value = _primitive(value, encoder) if primitive else _complex(value)
            # FHIR elements are never empty: an empty list is left out like None.
            if not (isinstance(value, list) and not value):
                out[key] = value
        if ext is not None and ext_key is not None:
            extension = values.get(ext)
            if extension is not None:
                extension = _complex(extension)
                if extension:
                    out[ext_key] = extension
    comments = values.get(FHIR_COMMENTS)
    if comments is not None:
        out[FHIR_COMMENTS] = to_jsonable_python(comments)
    return out


def _complex(value: Any) -> Any:
    if isinstance(value, list):
        return [_complex(v) for v in value]
    if isinstance(value, FHIRAbstractModel):
        return _model(value)
    raise _Unsupported(type(value).__name__)


def _primitive(value: Any, encoder: Any) -> Any:
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, list):
        return [_primitive(v, encoder) for v in value]
    if isinstance(value, bytes | bytearray) and encoder is not None:
        value = encoder.encode(value)
    elif isinstance(value, uuid.UUID):
        return f"urn:uuid:{value}"
    elif isinstance(value, decimal.Decimal):
        return _decimal(value)
    # Dates, times, base64 bytes: pydantic's own JSON conversion, as model_dump applies it.
    return to_jsonable_python(value)


def _decimal(value: decimal.Decimal) -> int | float:
    exponent = value.as_tuple().exponent
    if (
        value.is_finite()
        and value == value.to_integral_value()
        and isinstance(exponent, int)
        and exponent >= 0
    ):
        return int(value)
    return float(value)
