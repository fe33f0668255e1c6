"""The pipeline: load -> model -> render -> write, each step timed.

``build()`` is the single entry point used by the CLI, the preview server
and the publisher. It returns the pages in memory and only writes when an
output folder is given, and then only if the whole build succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import figures, revisions
from .errors import ContentError, Problem, Problems
from .load import load_content
from .model import Site
from .render import DEFAULT_LOCALES, DEFAULT_TEMPLATES, check_template_syntax, render_site
from .resolve import resolve
from .write import write_site


@dataclass
class BuildResult:
    files: dict[str, bytes]
    site: Site
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0


def project_dirs(content: Path) -> tuple[list[Path], Path]:
    """Templates (the site's own first, then the defaults) and the locales folder."""
    root = content.resolve().parent
    template_dirs = [DEFAULT_TEMPLATES]
    own = root / "templates"
    if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve():
        template_dirs.insert(0, own)
    locales = root / "locales"
    return template_dirs, (locales if locales.is_dir() else DEFAULT_LOCALES)


def build(content: Path, output: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the site in ``content``; raise :class:`ContentError` on any error."""
    content = Path(content)
    problems = Problems(content.resolve().parent)
    timings: dict[str, float] = {}

    start = time.perf_counter()
    if not content.is_dir():
        raise ContentError([Problem(problems.rel(content), None, "content folder not found")])
    raw = load_content(content, problems)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    site = resolve(raw, problems)
    if site is not None:  # the translation workflow: outdated translations, figures that differ
        site = revisions.mark_outdated(site, revisions.load_records(content, problems), problems)
        figures.check(site, problems)
    timings["model"] = time.perf_counter() - start
    template_dirs, locales = project_dirs(content)
    if problems.errors:
        check_template_syntax(template_dirs, problems)  # report broken templates in the same run
    _stop_on_errors(problems, strict)

    start = time.perf_counter()
    files = render_site(site, template_dirs, locales, problems)
    timings["render"] = time.perf_counter() - start
    _stop_on_errors(problems, strict)

    result = BuildResult(files, site, problems.warnings, timings)
    if output is not None:
        start = time.perf_counter()
        # The output replaces a whole folder: never one that holds or is inside the sources.
        result.written = write_site(files, Path(output), protect=(content, *template_dirs, locales))
        timings["write"] = time.perf_counter() - start
    return result


def _stop_on_errors(problems: Problems, strict: bool) -> None:
    errors = problems.errors
    if strict:
        errors = errors + [Problem(w.path, w.line, w.message + " (an error under --strict)") for w in problems.warnings]
    if errors:
        raise ContentError(errors)
