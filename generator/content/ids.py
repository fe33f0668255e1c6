"""Ids of facts and timelines, and the slugs of briefings and pages: one rule, one pattern."""

from __future__ import annotations

import re

ID_PATTERN = "[a-z0-9-]{1,80}"
ID_RE = re.compile(f"^{ID_PATTERN}$")
ID_RULE = "lowercase ASCII letters, digits and hyphens, 1-80 characters"


def is_id(value: object) -> bool:
    """Whether ``value`` is a string that follows the id rule."""
    return isinstance(value, str) and ID_RE.match(value) is not None
