"""Templates: the Jinja2 environment every page is rendered with, compiled templates kept, template mistakes reported.

The environment is strict (``StrictUndefined``) and escapes by default; it
records each template a page loads (``deps.py``). A template's mistake,
raised at compile or render time, becomes a ``path:line: message`` problem
naming the template, never a traceback; a bug of ours is told apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from ..cache import deps
from ..content.errors import Problem, Problems


def template_problem(error: Exception, template_dirs: list[Path]) -> Problem | None:
    """The problem to report for an error raised while rendering; None if it is a bug of ours.

    Python errors raised by a template (``{{ 1/0 }}``), or by a filter that a
    site's own template called wrongly, are the template's mistake. Anything
    else raised while rendering the default templates is a bug of ours, for
    the CLI's internal-error report.
    """
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(_template_path(error.filename, error.name, template_dirs), error.lineno, f"template error: {error.message}")
    path, line = _template_position(error, template_dirs)
    if isinstance(error, jinja2.TemplateError):
        return Problem(path, line, f"template error: {_template_message(error)}")
    if line is None or not (_raised_in_template(error) or _is_own_template(path, template_dirs)):
        return None
    return Problem(path, line, f"template error: {error}")


def check_template_syntax(template_dirs: list[Path], problems: Problems) -> None:
    """Compile every template and report each syntax error.

    Used when a build stops early (content errors, or a template error while
    rendering), so that one run names every broken template, not just the first.
    """
    compile_templates(template_dirs, problems=problems)


# The renderer's filters (LanguageRenderer sets them): their names are checked when a template compiles.
FILTERS = ("loc", "date", "pdate", "km", "money", "country", "units", "number", "inline_md", "isodate",
           "timeline_box", "cite", "briefing_item")


def template_environment(template_dirs: list[Path], bytecode_cache: jinja2.BytecodeCache | None = None) -> "_TrackedEnvironment":
    """A renderer's Jinja2 environment before its language is set: it compiles templates as the renderer's does."""
    env = _TrackedEnvironment(
        loader=_TemplateLoader([str(d) for d in template_dirs]),
        bytecode_cache=bytecode_cache if bytecode_cache is not None else KeptTemplates(),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One build renders from one state of the templates (the preview server makes a new
        # renderer per build): checking every template file's mtime at each include is waste.
        auto_reload=False,
    )
    env.newstyle_gettext = True  # as the renderer installs its translations: {% trans %} compiles to keyword calls
    env.filters.update(dict.fromkeys(FILTERS, _filter_not_set))
    return env


def _filter_not_set(*_args, **_kwargs):
    raise RuntimeError("a template environment's filter was used before its renderer set it")


# Compiled code by (template, checksum of its source), for this process. Every environment is
# made by template_environment (one configuration), so a template compiles to the same code in
# each: the preview's next build, or the next build a test makes, compiles none again.
_COMPILED: dict[tuple[str, str], object] = {}
_COMPILED_MAX = 4096  # templates of every site this process built (a long preview session, a test run)


class KeptTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, over the cache folder's (``folder``, if any).

    :func:`compile_templates` fills it while a first build reads its files;
    the render processes, forked later, inherit it, and no template is
    compiled twice, by two processes, for two languages or two builds.
    """

    def __init__(self, folder: jinja2.BytecodeCache | None = None):
        self.folder = folder
        if len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.clear()
        self.code = _COMPILED

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        if self.folder is not None:
            self.folder.load_bytecode(bucket)
            if bucket.code is not None:
                self.code[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[(bucket.key, bucket.checksum)] = bucket.code
        if self.folder is not None:
            self.folder.dump_bytecode(bucket)


def compile_templates(template_dirs: list[Path], kept: KeptTemplates | None = None, problems: Problems | None = None) -> None:
    """Compile every template (into ``kept``: ahead of rendering); report each syntax error in ``problems``, if given.

    Any other mistake is left to the render, which reports it with the page's line.
    """
    env = template_environment(template_dirs, kept)
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        if name.startswith("assets/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            if problems is not None and not re.match(r"No (filter|test) named", error.message or ""):
                problems.items.append(Problem(_template_path(error.filename, error.name, template_dirs), error.lineno,
                                              f"template error: {error.message}"))
        except (jinja2.TemplateError, OSError):
            continue


class _TrackedEnvironment(jinja2.Environment):
    """A Jinja2 environment that records each template a page loads as a use of ("template", name).

    Extends, includes and imports all load through ``get_template`` (or
    ``select_template``): a page depends on the templates it was made from,
    and an edit of one template re-renders only the pages that use it.
    """

    def get_template(self, name, parent=None, globals=None):
        self._use(name, parent)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        if not isinstance(names, (str, jinja2.Undefined)):
            for name in names:  # the first that exists is used: each one tried is a use
                self._use(name, parent)
        return super().select_template(names, parent, globals)

    def _use(self, name, parent) -> None:
        if isinstance(name, str):  # (a Template object given instead of a name is not recorded)
            deps.use(("template", self.join_path(name, parent) if parent is not None else name))


class _TemplateLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that names a template file that is not UTF-8."""

    def get_source(self, environment, template):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            pieces = jinja2.loaders.split_template_path(template)
            for searchpath in self.searchpath:
                path = Path(searchpath, *pieces)
                if path.is_file():
                    line = path.read_bytes()[: error.start].count(b"\n") + 1
                    raise jinja2.TemplateSyntaxError("the template is not UTF-8 text: save it with UTF-8 encoding", line, template, str(path)) from None
            raise


def _template_message(error: jinja2.TemplateError) -> str:
    """Jinja2's message without Python internals (module paths, search paths)."""
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template '{error.name}' does not exist"
    message = error.message or str(error)
    # 'generator.model.Weapon object' has no attribute 'x' -> Weapon has no field 'x'
    match = re.match(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'$", message)
    if match:
        return f"{match.group(1)} has no field '{match.group(2)}'"
    return message


def _raised_in_template(error: Exception) -> bool:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__jinja_template__") is not None


def _is_own_template(path: str, template_dirs: list[Path]) -> bool:
    """Whether ``path`` (as reported) is one of the site's own templates, not a default one."""
    if len(template_dirs) < 2:
        return False
    return (template_dirs[0] / path.removeprefix("templates/")).is_file()


def _template_path(filename: str | None, name: str | None, template_dirs: list[Path]) -> str:
    if filename:
        path = Path(filename)
        for directory in template_dirs:
            try:
                return "templates/" + path.resolve().relative_to(directory.resolve()).as_posix()
            except ValueError:
                continue
        return path.name
    return f"templates/{name}" if name else "templates"


def _template_position(error: Exception, template_dirs: list[Path]) -> tuple[str, int | None]:
    """Find the innermost template frame of a runtime template error."""
    tb = error.__traceback__
    found = ("templates", None)
    while tb is not None:
        frame = tb.tb_frame
        filename = frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".xml") or filename.endswith(".txt"):
            template = frame.f_globals.get("__jinja_template__")
            line = template.get_corresponding_lineno(tb.tb_lineno) if template is not None else tb.tb_lineno
            found = (_template_path(filename, None, template_dirs), line)
        tb = tb.tb_next
    return found


def assets(template_dirs: list[Path]) -> dict[str, bytes]:
    """Static files under ``templates/assets/``; a site's own file wins over the default."""
    files: dict[str, bytes] = {}
    for directory in reversed(template_dirs):
        assets = directory / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files
