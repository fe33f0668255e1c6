"""JSON and CSV text with the same bytes for the same data.

JSON: UTF-8 text as it is (no ``\\u`` escapes), keys in the order the exporter made them, two
spaces of indent, numbers as Python's shortest round-trip form, and no NaN. CSV: RFC 4180
(``\\r\\n`` line ends, quotes only where needed), UTF-8 without a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import json


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=2) + "\n"


def to_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
