"""The generator's own templates and catalogues: a site without its own uses these."""

from __future__ import annotations

from pathlib import Path

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_LOCALES = Path(__file__).resolve().parent.parent / "locales"
