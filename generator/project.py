"""The generator's own templates and catalogues: a site without its own uses these."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """``templates`` or ``locales``: inside the package when installed from a wheel, else beside it
    (a source checkout, or an editable install of one)."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


DEFAULT_TEMPLATES = _shipped("templates")
DEFAULT_LOCALES = _shipped("locales")
