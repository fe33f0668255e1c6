"""Command line: ``briefing build|check|serve|publish|...``.

This is the only place that prints problems and chooses exit codes:
0 success, 1 content errors, 2 usage or internal errors.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import time
from pathlib import Path

from ..build import build, default_cache_dir
from ..content.errors import ContentError
from ..output.write import OutputError
from ..parallel.pages import default_jobs
from .progress import Progress


def _print_problems(problems, stream) -> None:
    for problem in problems:
        print(problem, file=stream)


def cmd_build(args) -> int:
    start = time.perf_counter()
    # One short process that reads the record of the last build (millions of
    # long-lived objects): the cyclic collector would walk them again and
    # again and free next to nothing (a rebuild of 2,000 briefings: 0.08 s of
    # 0.8 s; a cold build's peak memory is the same). The process ends soon
    # after; the preview server, which builds many times, keeps it on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(args, start)
    finally:
        if collecting:  # main() called in a longer process (a test, a script): as it was
            gc.enable()


def _build(args, start: float) -> int:
    cache = None if args.no_cache else Path(args.cache) if args.cache else default_cache_dir(Path(args.content))
    display = Progress(sys.stderr)
    try:
        result = build(Path(args.content), Path(args.output), strict=args.strict, cache=cache,
                       jobs=args.jobs or default_jobs(), progress=display.update, search_index=not args.no_search_index)
    except ContentError as error:
        display.close()
        _print_problems(error.problems, sys.stderr)
        errors = len(error.problems)
        print(f"build failed: {errors} error{'s' if errors != 1 else ''}; {args.output}/ left unchanged", file=sys.stderr)
        return 1
    except OutputError as error:
        display.close()
        print(error, file=sys.stderr)
        return 1
    display.close()
    _print_problems(result.warnings, sys.stderr)
    seconds = time.perf_counter() - start
    steps = ", ".join(f"{name} {value:.2f}s" for name, value in result.timings.items())
    warnings = len(result.warnings)
    files = len(result.files)
    print(f"built {files} files into {args.output}/, {warnings} warning{'s' if warnings != 1 else ''}, {seconds:.2f} s ({steps}); "
          f"{result.rendered} rendered, {result.written} written")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return value


def cmd_check(args) -> int:
    # Every check of a build, with the build's record: only what changed since the last build
    # is read and rendered again (in memory), and nothing is written, the record included.
    cache = None if args.no_cache else Path(args.cache) if args.cache else default_cache_dir(Path(args.content))
    try:
        result = build(Path(args.content), Path(args.output), strict=args.strict, cache=cache,
                       jobs=args.jobs or default_jobs(), dry_run=True)
    except ContentError as error:
        _print_problems(error.problems, sys.stderr)
        print(f"check failed: {len(error.problems)} error(s)", file=sys.stderr)
        return 1
    except OutputError as error:
        print(error, file=sys.stderr)
        return 1
    _print_problems(result.warnings, sys.stderr)
    print(f"content is valid: {len(result.files)} files would be built, {len(result.warnings)} warning(s)")
    return 0


# Modules that add a subcommand (each defines ``register(subparsers)``).
COMMAND_MODULES: tuple[str, ...] = (
    "generator.publish.command",
    "generator.serve.server",
    "generator.starter.command",
    "generator.translation.commands",
)


def make_parser(extra: bool = True) -> argparse.ArgumentParser:
    """The command line; ``extra=False`` leaves out the commands of COMMAND_MODULES (quicker to start)."""
    # --debug is accepted before the command and after it: `briefing --debug build`, `briefing build --debug`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="on an internal error, show Python's traceback (for a bug report)")
    parser = argparse.ArgumentParser(prog="briefing", description="Build bilingual newsroom briefings into a static site.",
                                     parents=[common])
    sub = _Subcommands(parser.add_subparsers(dest="command", required=True), common)

    p = sub.add_parser("build", help="build the site into the output folder")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--output", default="site", help="output folder (default: site)")
    p.add_argument("--strict", action="store_true", help="treat warnings (such as missing translations) as errors")
    p.add_argument("--cache", help="folder of the incremental build record (default: .cache/briefing in the site root); delete it for a clean build")
    p.add_argument("--no-cache", action="store_true", help="build everything, and keep no record")
    p.add_argument("--jobs", type=_positive, default=0, help="processes that render pages (default: the number of cores)")
    p.add_argument("--no-search-index", action="store_true",
                   help="build the pages only, without the search index (quicker while you work; the output then holds "
                        "no index, and the next build without this option makes it)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="validate the content without writing anything")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--output", default="site",
                   help="the output folder whose build record is used: only what changed since that build is checked again (default: site)")
    p.add_argument("--strict", action="store_true", help="treat warnings (such as missing translations) as errors")
    p.add_argument("--cache", help="folder of the build record (default: .cache/briefing in the site root)")
    p.add_argument("--no-cache", action="store_true", help="check everything")
    p.add_argument("--jobs", type=_positive, default=0, help="processes that render pages (default: the number of cores)")
    p.set_defaults(func=cmd_check)

    # Further commands live in their own modules, each with register(sub).
    for name in COMMAND_MODULES if extra else ():
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    command = next((word for word in given if not word.startswith("-")), None)
    # `build` is run after every edit: it need not import the server and the publishers.
    args = make_parser(extra=command not in ("build", "check")).parse_args(given)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours, not the user's: say so plainly
        if getattr(args, "debug", False):
            raise
        print(f"briefing: internal error: {type(error).__name__}: {error}\n"
              "This is a bug in briefing, not in your content; please report it with the command you ran "
              "(add --debug to see where it happened).", file=sys.stderr)
        return 2


class _Subcommands:
    """The subparsers action, giving every command the common options (--debug) as well."""

    def __init__(self, action, common: argparse.ArgumentParser):
        self.action, self.common = action, common

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.action.add_parser(name, parents=[self.common, *kwargs.pop("parents", [])], **kwargs)


def run() -> None:
    """The program's entry point (``briefing`` and ``python -m generator``): main(), then exit.

    A build ends holding the record of the last one, millions of small
    objects; letting the interpreter free them one by one at exit took a
    tenth of a second of every rebuild. ``build`` and ``check`` have closed
    their files and processes when main() returns, so they leave at once
    once what they printed is out. Other commands exit the usual way.
    """
    code = main()
    # A profiler or coverage tool (a profile or trace hook) writes its report at exit: let it.
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if sys.argv[1:2] in (["build"], ["check"]) and not watched:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)

