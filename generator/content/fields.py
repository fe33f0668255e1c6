"""Typed readers for the fields of one YAML mapping.

A :class:`Fields` wraps one mapping (front matter, a fact record, an event)
and reads each field as the type it must be, reporting a positioned problem
and returning ``None`` when the value is wrong. Nothing is silently blanked:
a bad value is always a message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import Problems, plain
from .ids import ID_RE, ID_RULE
from .model import Money, PartialDate, Text
from .yamlsafe import PosDict, PosList

PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def type_name(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if value is None:
        return "empty"
    return "text"


_QUOTE_HINT = " (YAML reads yes, no, true, false and dates specially: put the text in quotes)"


def shown(value) -> str:
    """How a wrong value is named in a message: its kind and, for short values, the value."""
    if isinstance(value, (dict, list)):
        return type_name(value)
    if value is None:
        return "empty"
    return f"'{plain(value)}'"


def mapping_records(raw_file, what: str, fields: str, problems: Problems) -> Iterator[tuple[str, PosDict, int]]:
    """(id, record, line) for each record of a fact file (``raw_file.data``: id -> record) that is
    a mapping of fields; any other is reported, as ``what`` (a source, a place...) listing ``fields``."""
    data = raw_file.data
    for record_id, record in data.items():
        line = data.line_of(record_id)
        if not isinstance(record, PosDict):
            problems.error(raw_file.path, line, f"{what} '{record_id}' must be a mapping of fields ({fields})")
            continue
        yield record_id, record, line


class Fields:
    """Reads the fields of ``data``, reporting problems against ``path``."""

    def __init__(self, data: PosDict, path: Path, problems: Problems, languages: tuple[str, ...], what: str, line: int | None = None):
        self.data = data
        self.path = path
        self.problems = problems
        self.languages = languages
        self.what = what
        self.where = line or data.line  # named when a field is missing: the record's own line (its id)

    # -- helpers -------------------------------------------------------
    def line(self, key) -> int:
        return self.data.line_of(key)

    def error(self, key, message: str) -> None:
        self.problems.error(self.path, self.line(key), message)

    def check_known(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.problems.warning(self.path, self.line(key), f"unknown field '{plain(key)}' in {self.what} is ignored (known fields: {', '.join(allowed)})")

    def _missing(self, key, required: bool) -> None:
        if required and key in self.data:  # written, but with nothing after the colon
            self.error(key, f"'{key}' is empty: write a value after '{key}:'")
        elif required:
            self.problems.error(self.path, self.where, f"{self.what} needs {'an' if str(key)[:1] in 'aeiou' else 'a'} '{key}' field")

    def present(self, key) -> bool:
        return key in self.data and self.data[key] is not None

    # -- readers -------------------------------------------------------
    def text(self, key, required: bool = False) -> Text | None:
        if not self.present(key):
            self._missing(key, required)
            return None
        return read_text(self.data[key], self.path, self.line(key), self.problems, self.languages, f"'{key}' of {self.what}")

    def string(self, key, required: bool = False) -> str | None:
        if not self.present(key):
            self._missing(key, required)
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            hint = _QUOTE_HINT if isinstance(value, (bool, dt.date)) else ""
            self.error(key, f"'{key}' must be text, not {type_name(value)}{hint}")
            return None
        value = str(value).strip()
        if not value and required:
            self.error(key, f"'{key}' must not be empty")
            return None
        return value

    def url(self, key) -> str | None:
        value = self.string(key)
        if value is not None and not URL_RE.match(value):
            self.error(key, f"'{key}' must be an absolute http(s) address such as https://example.org/, not '{plain(value)}'")
            return None
        return value

    def number(self, key) -> float | int | None:
        if not self.present(key):
            return None
        value = self.data[key]
        # NaN and infinity are numbers to YAML (.nan, .inf) but not to a reader.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            self.error(key, f"'{key}' must be a number of zero or more, such as 300 or 2.5, not {shown(value)}")
            return None
        return value

    def boolean(self, key, default: bool = False) -> bool:
        if not self.present(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {shown(value)}")
            return default
        return value

    def choice(self, key, choices: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.string(key)
        if value is None:
            return default
        if value not in choices:
            self.error(key, f"'{key}' is '{value}', which is not one of: {', '.join(choices)}")
            return default
        return value

    def ident(self, key, required: bool = False) -> tuple[str, int] | None:
        value = self.string(key, required)
        if value is None:
            return None
        if not ID_RE.match(value):
            self.error(key, f"'{plain(value)}' in '{key}' is not a valid id: use {ID_RULE}")
            return None
        return value, self.line(key)

    def ids(self, key) -> list[tuple[str, int]]:
        """A list of ids, each with its line (a single id is accepted too)."""
        if not self.present(key):
            return []
        value = self.data[key]
        if isinstance(value, str):
            value = PosList([value])
            value.line = self.line(key)
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list of ids, such as [a-id, b-id], not {type_name(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, PosList) else self.line(key)
            if not isinstance(item, str) or not ID_RE.match(item):
                self.problems.error(self.path, line, f"'{plain(item)}' in '{key}' is not a valid id: use {ID_RULE}")
                continue
            result.append((item, line))
        return result

    def strings(self, key) -> tuple[str, ...]:
        if not self.present(key):
            return ()
        value = self.data[key]
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(key, f"'{key}' must be a list of names, such as [Jane Doe, John Roe]")
            return ()
        return tuple(value)

    def partial_date(self, key, required: bool = False) -> PartialDate | None:
        if not self.present(key):
            self._missing(key, required)
            return None
        value = self.data[key]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return PartialDate(value.year, value.month, value.day)
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        match = PARTIAL_DATE_RE.match(text)
        if match and int(match.group(1)) >= 1:
            year, month = int(match.group(1)), match.group(2)
            if month is None:
                return PartialDate(year)
            if 1 <= int(month) <= 12:
                return PartialDate(year, int(month))
        if isinstance(value, str) and ISO_DATE_RE.match(text):
            try:  # a quoted full date: '2022-11-09'
                day = dt.date.fromisoformat(text)
            except ValueError:
                self.error(key, f"impossible date '{text}': check the month and the day")
                return None
            return PartialDate(day.year, day.month, day.day)
        self.error(key, f"'{key}' must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {shown(value)}")
        return None

    def moment(self, key, tz, required: bool = False) -> tuple[dt.datetime, bool] | None:
        """A date or a datetime; returns an aware datetime and whether a time was given."""
        if not self.present(key):
            self._missing(key, required)
            return None
        value = self.data[key]
        if isinstance(value, str) and ISO_MOMENT_RE.match(value.strip()):
            # A quoted date is still a date: editors quote values out of caution.
            try:
                value = dt.datetime.fromisoformat(value.strip()) if len(value.strip()) > 10 else dt.date.fromisoformat(value.strip())
            except ValueError:
                self.error(key, f"impossible date '{value.strip()}': check the month, the day and the time")
                return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=tz)
            elif type(value.tzinfo) is dt.timezone:
                value = value.replace(tzinfo=_shared(value.tzinfo))
            return value, True
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=tz), False
        self.error(key, f"'{key}' must be a date such as 2022-11-09 or 2022-11-09T08:30:00+03:00, not {shown(value)}")
        return None

    def money(self, key) -> Money | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if not isinstance(value, PosDict):
            self.error(key, f"'{key}' must be a mapping such as {{amount: 140000000, currency: EUR}}")
            return None
        inner = Fields(value, self.path, self.problems, self.languages, f"'{key}'", self.line(key))
        amount = inner.number("amount")
        currency = inner.string("currency", required=True)
        if amount is None and "amount" not in value:
            inner._missing("amount", True)
        if currency is not None and not re.match(r"^[A-Z]{3}$", currency):
            inner.error("currency", f"currency must be a three-letter ISO 4217 code such as EUR or USD, not '{currency}'")
            return None
        if amount is None or currency is None:
            return None
        return Money(amount, currency)


def read_text(value, path: Path, line: int, problems: Problems, languages: tuple[str, ...], what: str) -> Text | None:
    """A localised value: a plain string, or a mapping language -> string.

    ``languages`` empty means the site's languages are unknown (site.yaml is
    broken): the value's shape is still checked, its language keys are not,
    so one mistake in site.yaml does not turn into an error on every text.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (dt.date, dt.datetime)):
        problems.error(path, line, f"{what} must be text, not {type_name(value)}{_QUOTE_HINT}")
        return None
    if isinstance(value, (str, int, float)):
        if not str(value).strip():
            problems.error(path, line, f"{what} must not be empty")
            return None
        if not languages:
            return Text((("", str(value)),), "")
        return Text.same(str(value), languages)
    if not isinstance(value, dict):
        problems.error(path, line, f"{what} must be text or a mapping of languages such as {{en: ..., ru: ...}}, not {type_name(value)}")
        return None
    if not value:
        problems.error(path, line, f"{what} is an empty mapping: write the text for each language, such as {{en: ..., ru: ...}}")
        return None
    values = []
    bad = False
    for key, text in value.items():
        key_line = value.line_of(key) if isinstance(value, PosDict) else line
        if languages and key not in languages:
            hint = (" In flow style {en: ..., ru: ...} an unquoted comma splits the text: quote text that holds commas or colons."
                    if isinstance(text, (str, type(None))) else "")
            problems.error(path, key_line, f"{what} has '{plain(key)}', which is not a site language ({', '.join(languages)}).{hint}")
            bad = True
            continue
        if isinstance(text, bool) or not isinstance(text, (str, int, float)) or not str(text).strip():
            problems.error(path, key_line, f"{what} in '{plain(key)}' must be non-empty text")
            bad = True
            continue
        values.append((str(key), str(text)))
    if bad:
        return None
    if not languages:
        return Text(tuple(values), values[0][0])
    default = languages[0]
    present = {code for code, _ in values}
    if default not in present:
        problems.error(path, line, f"{what} has no '{default}' text: the default language is required")
        return None
    for code in languages[1:]:
        if code not in present:
            problems.warning(path, line, f"missing '{code}' translation of {what}: '{default}' is shown instead")
    order = {code: i for i, code in enumerate(languages)}
    return Text(tuple(sorted(values, key=lambda item: order[item[0]])), default)


_offsets: dict[tuple, dt.timezone] = {}


def _shared(tz: dt.timezone) -> dt.timezone:
    """One object per UTC offset (and name): the YAML parser makes one per date, and
    each is pickled on its own in the build record (4,000 of them on a large site)."""
    key = (tz.utcoffset(None), tz.tzname(None))
    return _offsets.get(key) or _offsets.setdefault(key, tz)
