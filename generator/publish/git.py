"""Publish a built site to a branch of any git remote (GitHub Pages and the like).

Everything happens in a throw-away repository in a temporary folder, with
the git command line: the user's own repositories, working copies and
content are never read or changed. The branch keeps its history: each
publish that changes something adds one commit whose parent is the branch's
previous tip (so any publish can be reverted), a publish that changes
nothing adds no commit, and the push is never forced. The commit's tree is
exactly the site plus ``.nojekyll``, so a commit touches only the files
whose bytes changed.

The commits carry their own author (``briefing publish``, overridable with
``--author`` or ``BRIEFING_GIT_AUTHOR``), so a machine without a configured
git identity can publish. The user's git configuration still applies where
it is needed to reach the remote (credential helpers, SSH, proxies); the
settings that would change the bytes committed (line-ending conversion,
attribute filters, ignore files) or stop an unattended run (hooks, commit
signing) are switched off for these commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..content.errors import PublishError

DEFAULT_AUTHOR = "briefing publish <briefing-publish@localhost>"
AUTHOR_ENV = "BRIEFING_GIT_AUTHOR"
DEFAULT_BRANCH = "gh-pages"

# Environment variables that point git at a repository: a publish run from a
# git hook (where GIT_DIR is set) must not work on the user's repository.
# This is what ``git rev-parse --local-env-vars`` lists.
LOCAL_ENV_VARS = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE", "GIT_COMMON_DIR",
)

_AUTHOR = re.compile(r"^\s*([^<>\n]+?)\s*<([^<>\s]+)>\s*$")


@dataclass(frozen=True)
class GitReport:
    url: str
    branch: str
    commit: str | None  # the new commit; None when nothing changed
    parent: str | None  # the branch's tip before; None for a new branch
    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()


def parse_author(text: str) -> tuple[str, str]:
    """``"Name <email>"`` -> (name, email); anything else is an error."""
    match = _AUTHOR.match(text)
    if not match:
        raise PublishError(f"author {text!r} is not of the form 'Name <email>'")
    return match.group(1), match.group(2)


def choose_author(option: str | None) -> tuple[str, str]:
    """The --author option, else $BRIEFING_GIT_AUTHOR, else briefing's own."""
    return parse_author(option or os.environ.get(AUTHOR_ENV) or DEFAULT_AUTHOR)


def publish_git(files: dict[str, bytes], url: str, branch: str = DEFAULT_BRANCH,
                author: tuple[str, str] | None = None, message: str | None = None) -> GitReport:
    """Commit ``files`` (plus ``.nojekyll``) to ``branch`` of ``url`` and push it."""
    if shutil.which("git") is None:
        raise PublishError("git is not installed (publishing with --git runs the git command)")
    name, email = author or parse_author(DEFAULT_AUTHOR)
    url = _remote(url)
    files = {**files, ".nojekyll": b""}  # GitHub Pages: serve the files as they are

    with tempfile.TemporaryDirectory(prefix="briefing-publish-", ignore_cleanup_errors=True) as temp:
        git = _Git(Path(temp))
        git.run("check-ref-format", f"refs/heads/{branch}", fail=f"{branch!r} is not a valid branch name")
        git.run("init", "-q", "--bare", str(git.repo))
        parent = git.remote_tip(url, branch)
        if parent is not None:
            git.run("fetch", "-q", "--no-tags", "--depth=1", url, f"refs/heads/{branch}:refs/published",
                    fail=f"cannot fetch branch {branch!r} from {url}")
            parent = git.out("rev-parse", "refs/published")
            _check_is_site(git, parent, url, branch)

        tree = git.write_tree(files)
        if parent is not None and tree == git.out("rev-parse", f"{parent}^{{tree}}"):
            return GitReport(url, branch, None, parent)

        added, modified, deleted = git.changes(parent, tree)
        text = message or _message(added, modified, deleted)
        commit = git.out("commit-tree", "--no-gpg-sign", tree, *(["-p", parent] if parent else []), "-m", text,
                         env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                              "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email})
        git.push(url, commit, branch)
        return GitReport(url, branch, commit, parent, added, modified, deleted)


def _remote(url: str) -> str:
    """A local path becomes absolute (git runs in a temporary folder); URLs stay as given."""
    if "://" not in url and Path(url).exists():
        return str(Path(url).resolve())
    return url


def _message(added, modified, deleted) -> str:
    return f"Publish site: {len(added)} added, {len(modified)} changed, {len(deleted)} removed"


def _check_is_site(git: "_Git", commit: str, url: str, branch: str) -> None:
    """Refuse a branch that holds something else, such as the content's own sources."""
    names = set(git.out("ls-tree", "--name-only", commit).splitlines())
    if names and ("index.html" not in names or "content" in names):
        raise PublishError(
            f"branch {branch!r} of {url} does not hold a published site (no index.html at its root); "
            "publishing would replace its files. Choose another branch with --branch (default: gh-pages).")


class _Git:
    """Runs git on the temporary repository only."""

    def __init__(self, temp: Path):
        self.repo = temp / "repo.git"
        self.work = temp / "site"
        self.env = {k: v for k, v in os.environ.items() if k not in LOCAL_ENV_VARS}
        self.env["GIT_DIR"] = str(self.repo)
        empty = temp / "empty"
        empty.write_bytes(b"")
        # Settings that would alter the committed bytes or need a person at the keyboard.
        self.config = [
            "-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", f"core.attributesFile={empty}",
            "-c", f"core.excludesFile={empty}", "-c", "commit.gpgSign=false", "-c", "push.gpgSign=false",
            "-c", "init.defaultBranch=published", "-c", "advice.detachedHead=false",
        ]

    def _call(self, args, env=None) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *self.config, *args], cwd=self.repo.parent, env={**self.env, **(env or {})},
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)

    def run(self, *args, fail: str | None = None, env=None) -> str:
        done = self._call(args, env)
        if done.returncode != 0:
            detail = done.stderr.strip() or done.stdout.strip()
            raise PublishError(f"{fail or 'git ' + args[0] + ' failed'}: {detail}" if detail else (fail or f"git {args[0]} failed"))
        return done.stdout

    def out(self, *args, env=None) -> str:
        return self.run(*args, env=env).strip()

    def remote_tip(self, url: str, branch: str) -> str | None:
        listing = self.run("ls-remote", "--heads", url, f"refs/heads/{branch}", fail=f"cannot reach {url}")
        for line in listing.splitlines():
            sha, _, ref = line.partition("\t")
            if ref == f"refs/heads/{branch}":
                return sha
        return None

    def write_tree(self, files: dict[str, bytes]) -> str:
        """Store ``files`` as a tree object; returns its id."""
        for rel, data in files.items():
            path = self.work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # --force: a global ignore pattern (say *.gz) must not drop site files.
        self.run("--work-tree", str(self.work), "add", "--all", "--force", ".", env={"GIT_INDEX_FILE": str(self.repo / "publish-index")})
        return self.out("write-tree", env={"GIT_INDEX_FILE": str(self.repo / "publish-index")})

    def changes(self, parent: str | None, tree: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        if parent is None:
            names = self.run("ls-tree", "-r", "-z", "--name-only", tree).split("\0")
            return tuple(n for n in names if n), (), ()
        out = self.run("diff-tree", "-r", "-z", "--no-renames", "--name-status", parent, tree).split("\0")
        found: dict[str, list[str]] = {"A": [], "M": [], "D": []}
        for status, name in zip(out[0::2], out[1::2]):
            found.setdefault(status[:1], []).append(name)
        return tuple(found["A"]), tuple(found["M"]) + tuple(found.get("T", [])), tuple(found["D"])

    def push(self, url: str, commit: str, branch: str) -> None:
        # Never forced: if someone else published meanwhile, the push is refused
        # and nothing on the remote changes.
        done = self._call(["push", "--porcelain", "--no-verify", url, f"{commit}:refs/heads/{branch}"])
        if done.returncode == 0:
            return
        rejected = any(line.startswith("!") for line in done.stdout.splitlines())
        if rejected:
            raise PublishError(f"branch {branch!r} of {url} changed while publishing (someone else published?); "
                               "nothing was pushed. Run publish again.")
        raise PublishError(f"cannot push to {url}: {(done.stderr or done.stdout).strip()}")
