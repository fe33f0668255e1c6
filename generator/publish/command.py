"""``briefing publish``: build, then put the site where it is served.

The site is built in memory by the same :func:`generator.build.build` as
``briefing build``; a build with errors (or warnings, under ``--strict``)
publishes nothing. The built files then go to a git branch
(:mod:`generator.gitpublish`) or are mirrored into a folder
(:mod:`generator.mirror`), optionally with ``.gz`` copies
(:mod:`generator.precompress`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..build import build
from ..content.errors import ContentError, PublishError
from ..output.write import OutputError
from .git import AUTHOR_ENV, DEFAULT_BRANCH, GitReport, choose_author, publish_git
from .gzip import with_gzip
from .mirror import MirrorReport, mirror


def site_files(content: Path, strict: bool = False, gzip: bool = False) -> dict[str, bytes]:
    """The built site in memory; raises :class:`ContentError` if it cannot be built."""
    files = build(Path(content), None, strict=strict).files
    return with_gzip(files) if gzip else files


def publish_to_dir(content: Path, target: Path, strict: bool = False, gzip: bool = False) -> MirrorReport:
    files = site_files(content, strict, gzip)
    # The content folder must never be inside, or hold, the folder we delete in.
    return mirror(files, target, protect=(Path(content),))


def publish_to_git(content: Path, url: str, branch: str = DEFAULT_BRANCH, strict: bool = False, gzip: bool = False,
                   author: str | None = None, message: str | None = None) -> GitReport:
    who = choose_author(author)  # a bad --author fails before the build
    files = site_files(content, strict, gzip)
    return publish_git(files, url, branch, who, message)


def cmd_publish(args) -> int:
    if args.dir is not None and (args.branch or args.author or args.message):
        print("briefing publish: --branch, --author and --message go with --git, not --dir", file=sys.stderr)
        return 2
    try:
        if args.git is not None:
            report = publish_to_git(Path(args.content), args.git, args.branch or DEFAULT_BRANCH, args.strict, args.gzip, args.author, args.message)
            print(_describe_git(report))
        else:
            report = publish_to_dir(Path(args.content), Path(args.dir), args.strict, args.gzip)
            print(f"published into {args.dir}/: {len(report.written)} written, {len(report.removed)} removed, "
                  f"{report.unchanged} unchanged")
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"publish failed: {count} error{'s' if count != 1 else ''}; nothing was published", file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"publish failed: {error}", file=sys.stderr)
        return 1
    except OutputError as error:  # the search index could not be made (the build's only OutputError in memory)
        print(f"publish failed: {error}; nothing was published", file=sys.stderr)
        return 1
    except OSError as error:  # the target folder: no space, no permission, a file in the way
        print(f"publish failed: {error.filename or args.dir}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _describe_git(report: GitReport) -> str:
    where = f"branch {report.branch} of {report.url}"
    if report.commit is None:
        return f"nothing changed: {where} already holds this site; no commit made"
    return (f"published to {where}: commit {report.commit[:12]} ({len(report.added)} added, "
            f"{len(report.modified)} changed, {len(report.deleted)} removed)")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "publish", help="build the site and publish it to a git branch or a folder",
        description="Build the site (nothing is published if the build fails) and publish it.")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--strict", action="store_true", help="treat warnings (such as missing translations) as errors")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--git", metavar="URL", help="push the site to a branch of this git remote (URL or path)")
    target.add_argument("--dir", metavar="DIR", help="mirror the site into this folder (stale files are removed)")
    p.add_argument("--branch", help=f"branch for --git (default: {DEFAULT_BRANCH})")
    p.add_argument("--author", metavar="'NAME <EMAIL>'",
                   help=f"author of the publish commit (default: ${AUTHOR_ENV}, else briefing's own)")
    p.add_argument("--message", help="message of the publish commit (default: a summary of the changes)")
    p.add_argument("--gzip", action="store_true", help="also write a precompressed .gz copy of each text file")
    p.set_defaults(func=cmd_publish)
