"""Model records as plain data, generically: one JSON object, or one CSV row, per record.

A fact table is exported from its model records field by field (``dataclasses.fields``), so a new
kind of fact (images, places) is exported without code of its own: a localised :class:`Text` becomes
a mapping of every site language (``null`` where a translation is missing), a partial date its
ISO form at the precision the YAML gave, nested records objects. Where a record was written
(``path``, ``line``) and which table it is in (``kind``) are left out; the model's names for YAML's
``class`` and ``kind`` get their YAML names back.

CSV has one column per language for each localised field (``name_en``, ``name_ru``), and its
columns come from the record type's annotations, not from the values, so every file of a table
has the same columns whatever its records hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import typing
from typing import Callable

from ..content.model import Money, PartialDate, Text

# Fields that say where a record was written, or which table holds it (the file's name says that).
INTERNAL = frozenset({"path", "line", "kind"})
# The model's names of fields whose YAML names are Python keywords or taken: exported by their YAML names.
RENAMED = {"weapon_class": "class", "org_kind": "kind"}
# Fields that name a term of a vocabulary: exported with the term's label in each language beside them.
LABELLED = {"weapon_class": "class", "org_kind": "org"}

# (vocabulary, term, language) -> the term's label in that language.
Labeller = Callable[[str, str, str], str]


def exported_fields(record_type: type, skip: frozenset[str] = frozenset()) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(record_type) if f.name not in INTERNAL and f.name not in skip]


def json_record(record, languages: tuple[str, ...], labels: Labeller | None = None, skip: frozenset[str] = frozenset()) -> dict:
    """``record`` as a JSON object: its fields in the model's order, by their YAML names."""
    data = {}
    for f in exported_fields(type(record), skip):
        value = getattr(record, f.name)
        name = RENAMED.get(f.name, f.name)
        data[name] = json_value(value, languages)
        if f.name in LABELLED and labels is not None:
            data[f"{name}_label"] = {code: labels(LABELLED[f.name], value, code) for code in languages} if value else None
    return data


def json_value(value, languages: tuple[str, ...]):
    if isinstance(value, Text):
        return {code: (value.get(code) if value.has(code) else None) for code in languages}
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return json_record(value, languages)
    if isinstance(value, (tuple, list)):
        return [json_value(item, languages) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # the fields never hold one (fields.py); JSON has no spelling for it
    return value


# -- CSV ---------------------------------------------------------------------------------
@functools.cache
def _hints(record_type: type) -> dict:
    return typing.get_type_hints(record_type)


def _holds(annotation, kind: type) -> bool:
    """Whether a field annotated ``annotation`` (``Text | None``, say) holds values of ``kind``."""
    return annotation is kind or kind in typing.get_args(annotation)


def csv_columns(record_type: type, languages: tuple[str, ...], labels: bool = False) -> list[str]:
    """The columns of a table of ``record_type`` records, from its annotations."""
    columns = []
    hints = _hints(record_type)
    for f in exported_fields(record_type):
        name = RENAMED.get(f.name, f.name)
        annotation = hints[f.name]
        if _holds(annotation, Text):
            columns += [f"{name}_{code}" for code in languages]
        elif _holds(annotation, Money):
            columns += [f"{name}_amount", f"{name}_currency"]
        else:
            columns.append(name)
        if f.name in LABELLED and labels:
            columns += [f"{name}_label_{code}" for code in languages]
    return columns


def csv_row(record, languages: tuple[str, ...], labels: Labeller | None = None) -> dict[str, str]:
    """``record`` as one CSV row: column -> text (empty for a missing value)."""
    row = {}
    hints = _hints(type(record))
    for f in exported_fields(type(record)):
        name = RENAMED.get(f.name, f.name)
        value = getattr(record, f.name)
        annotation = hints[f.name]
        if _holds(annotation, Text):
            for code in languages:
                row[f"{name}_{code}"] = value.get(code) if value is not None and value.has(code) else ""
        elif _holds(annotation, Money):
            row[f"{name}_amount"] = cell(value.amount) if value else ""
            row[f"{name}_currency"] = value.currency if value else ""
        else:
            row[name] = cell(json_value(value, languages))
        if f.name in LABELLED and labels is not None:
            for code in languages:
                row[f"{name}_label_{code}"] = labels(LABELLED[f.name], value, code) if value else ""
    return row


def cell(value) -> str:
    """One value as the text of a CSV cell: lists joined with ';' (ids hold none), numbers as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
        return ";".join(cell(item) for item in value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
