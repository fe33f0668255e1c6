"""Commands of the translation workflow: ``i18n``, ``status`` and ``new``.

``briefing i18n extract|update|compile`` (UI strings, ``messages.py``),
``briefing i18n ack`` (record that translations are up to date,
``revisions.py``), ``briefing status`` (``status.py``) and ``briefing new``
(``scaffold.py``). Like ``cli.py``, this module only parses, prints and picks
exit codes: 0 success, 1 problems in content or catalogues.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..content.errors import Problems
from ..content.load import load_content
from ..content.resolve import resolve
from . import messages, revisions, scaffold, status


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# -- i18n extract / update / compile -------------------------------------------

def cmd_extract(args) -> int:
    try:
        path, count, changed = messages.write_template(Path(args.root))
    except messages.CatalogError as error:
        _print_problems(error.problems)
        return 1
    what = "written" if changed else "unchanged"
    print(f"{path}: {_plural(count, 'message')}, {what}; next: briefing i18n update")
    return 0


def _print_stats(stats: list[messages.Stats], verb: str, always: bool = False) -> None:
    for item in stats:
        state = verb if item.written or always else "unchanged"
        print(f"{item.path}: {item.messages} messages, {len(item.untranslated)} untranslated, {len(item.fuzzy)} fuzzy ({state})")
        for message in item.untranslated:
            print(f"  untranslated: {message}")
        for message in item.fuzzy:
            print(f"  fuzzy (check the translation, then remove the fuzzy flag): {message}")


def cmd_update(args) -> int:
    try:
        stats = messages.update(Path(args.root), tuple(args.lang or ()))
    except messages.CatalogError as error:
        _print_problems(error.problems)
        return 1
    _print_stats(stats, "updated")
    return 0


def cmd_compile(args) -> int:
    try:
        stats = messages.compile_catalogues(Path(args.root), Path(args.output) if args.output else None)
    except messages.CatalogError as error:
        _print_problems(error.problems)
        print("nothing was written", file=sys.stderr)
        return 1
    _print_stats(stats, f"compiled into {args.output}" if args.output else "checked", always=True)
    return 0


# -- i18n ack --------------------------------------------------------------------

def cmd_ack(args) -> int:
    content = Path(args.content)
    problems = Problems(content.resolve().parent)
    if not content.is_dir():
        print(f"{args.content}: content folder not found", file=sys.stderr)
        return 1
    site = resolve(load_content(content, problems), problems)
    records = revisions.load_records(content, problems)
    keys = None if args.all else revisions.keys_for_paths(content, site, args.paths, problems) if site else []
    if problems.errors or site is None:
        _print_problems(problems.errors)
        print(f"nothing was acknowledged: fix the errors above first ({revisions.RECORD_FILE} left unchanged)", file=sys.stderr)
        return 1
    new, chosen = revisions.acknowledge(site, records, keys)
    path = revisions.save_records(content, new)
    for item in chosen:
        was = {"ok": "was up to date", "unverified": "was unverified", "outdated": f"was outdated: {', '.join(item.changed)}"}[item.state]
        print(f"{item.doc.path}: up to date with {item.original.path} ({was})")
    print(f"{_plural(len(chosen), 'translation')} acknowledged in {problems.rel(path)}")
    return 0


# -- status ------------------------------------------------------------------------

def cmd_status(args) -> int:
    report = status.collect(Path(args.content))
    if report.rows or not report.errors:
        sys.stdout.write(status.as_json(report) if args.json else status.table(report))
    _print_problems(report.errors)
    if report.errors:
        print(f"the content has {_plural(len(report.errors), 'error')}: see above", file=sys.stderr)
        return 1
    return 0


# -- new -----------------------------------------------------------------------------

def cmd_new(args) -> int:
    try:
        if args.translate:
            path, original = scaffold.new_translation(Path(args.content), args.slug, args.translate)
            print(f"created {path} from {original} as a draft: translate the title and summary, write the body, "
                  f"then set draft: false; its revision is recorded in {Path(args.content) / revisions.RECORD_FILE}")
        else:
            path = scaffold.new_briefing(Path(args.content), args.slug, args.lang)
            print(f"created {path} as a draft: fill in title and summary, write the body, then set draft: false")
    except scaffold.ScaffoldError as error:
        _print_problems(error.problems)
        return 1
    return 0


def register(sub) -> None:
    p = sub.add_parser("i18n", help="translation workflow: UI catalogues (extract, update, compile) and ack")
    i18n = p.add_subparsers(dest="i18n_command", required=True)

    q = i18n.add_parser("extract", help="collect UI strings of templates and code into locales/messages.pot")
    q.add_argument("--root", default=".", help="project root holding babel.cfg, templates/ and locales/ (default: .)")
    q.set_defaults(func=cmd_extract)

    q = i18n.add_parser("update", help="merge locales/messages.pot into every locales/<lang>/LC_MESSAGES/messages.po")
    q.add_argument("--root", default=".", help="project root (default: .)")
    q.add_argument("--lang", action="append", metavar="LANG", help="also start a catalogue for LANG (repeatable)")
    q.set_defaults(func=cmd_update)

    q = i18n.add_parser("compile", help="check every catalogue; with --output, write .mo files there (the build never needs them)")
    q.add_argument("--root", default=".", help="project root (default: .)")
    q.add_argument("--output", metavar="DIR", help="write DIR/<lang>/LC_MESSAGES/messages.mo")
    q.set_defaults(func=cmd_compile)

    q = i18n.add_parser("ack", help=f"record that translations are up to date with their originals (in <content>/{revisions.RECORD_FILE})")
    q.add_argument("--content", default="content", help="content folder (default: content)")
    which = q.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every translation")
    which.add_argument("paths", nargs="*", default=[], metavar="PATH", help="translation files (content/briefings/<slug>/ru.md) or briefing folders")
    q.set_defaults(func=cmd_ack)

    p = sub.add_parser("status", help="translation state of every briefing, page and fact record in every language")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--json", action="store_true", help="print a JSON list of {kind, id, language, state, fields, ...}")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("new", help="start a briefing (as a draft dated today), or its translation with --translate")
    p.add_argument("slug", metavar="SLUG", help="the briefing's folder name: lowercase letters, digits and hyphens")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--lang", metavar="LANG", help="language of the new briefing (default: the site's default language)")
    which.add_argument("--translate", metavar="LANG", help="start the LANG translation of an existing briefing")
    p.set_defaults(func=cmd_new)
