"""Where a site's parts are: its content folder, its templates and catalogues, or the generator's own.

A site root holds ``content/`` and may hold ``templates/`` and ``locales/``
of its own; a site without them uses the defaults that ship with the
generator (inside the package when installed from a wheel, beside it in a
source checkout).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content.errors import ContentError, Problem, Problems

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """``templates`` or ``locales``: inside the package when installed from a wheel, else beside it
    (a source checkout, or an editable install of one)."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


DEFAULT_TEMPLATES = _shipped("templates")
DEFAULT_LOCALES = _shipped("locales")


def project_dirs(content: Path) -> tuple[list[Path], Path]:
    """Templates (the site's own first, then the defaults) and the locales folder."""
    root = Path(content).resolve().parent
    template_dirs = [DEFAULT_TEMPLATES]
    own = root / "templates"
    if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve():
        template_dirs.insert(0, own)
    locales = root / "locales"
    return template_dirs, (locales if locales.is_dir() else DEFAULT_LOCALES)


@dataclass(frozen=True)
class Project:
    """A site's folders, as absolute paths (cached paths stay valid whatever the working folder)."""

    content: Path
    root: Path  # the site root: the folder that holds content/; problems name paths relative to it
    template_dirs: tuple[Path, ...]
    locales: Path

    @classmethod
    def at(cls, content: Path) -> "Project":
        """The project whose content folder is ``content``; :class:`ContentError` if there is none."""
        content = Path(content)
        if not content.is_dir():
            raise ContentError([Problem(Problems(content.resolve().parent).rel(content), None, "content folder not found")])
        content = content.resolve()
        template_dirs, locales = project_dirs(content)
        return cls(content, content.parent, tuple(template_dirs), locales)

    @property
    def sources(self) -> tuple[Path, ...]:
        """Every folder a build reads: never to be written over."""
        return (self.content, *self.template_dirs, self.locales)
