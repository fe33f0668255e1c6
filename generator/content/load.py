"""Load stage: read a content folder into raw, positioned data.

Nothing here interprets meaning beyond the file layout: it reads bytes,
decodes UTF-8, splits front matter from Markdown and parses YAML with
positions. Every problem is collected, never raised one at a time, so a run
reports all of them. Names that become URLs (slugs, ids, languages) are
checked here so that a path-like name never reaches the file system.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import Problems
from .ids import ID_PATTERN, ID_RE, ID_RULE
from .yamlsafe import PosDict, YamlProblem, load_yaml

LANG_FILE_RE = re.compile(r"^([a-z]{2,3})\.md$")
FACT_KINDS = ("weapons", "people", "organizations", "topics", "sources", "places", "images")
DOCUMENT_KINDS = ("briefings", "pages")



@dataclass(frozen=True)
class RawDocument:
    kind: str  # "briefings" or "pages"
    slug: str
    lang: str
    path: Path
    front: PosDict
    body: str
    body_line: int  # line number of the first body line in the file
    # The front matter could not be read (its error is reported): the body
    # is still checked, so one run names every mistake in the file.
    front_broken: bool = False


@dataclass(frozen=True)
class RawFile:
    path: Path
    data: object  # parsed YAML: PosDict, PosList, scalar or None


@dataclass(frozen=True)
class RawContent:
    root: Path  # the content folder
    site: RawFile | None
    facts: dict[str, RawFile]
    timelines: dict[str, RawFile]
    documents: tuple[RawDocument, ...]
    # Files that exist but could not be read or parsed (their error is reported):
    # fact kind -> the ids its file seems to define, and timeline ids. Uses of
    # these ids are not errors of their own.
    broken_facts: dict[str, frozenset[str]] = field(default_factory=dict)
    broken_timelines: frozenset[str] = frozenset()
    # A site.yaml YAML cannot read: its 'languages:' entry read on its own, if
    # that works (language files are then checked against it all the same).
    salvaged_languages: object = None
    # The files of content/images/, each as its header describes it or why it is no usable picture
    # (name -> images.records.Picture or Unreadable): checked where a record or a text names one.
    pictures: dict = field(default_factory=dict)


def read_text(path: Path, problems: Problems, data: bytes | None = None) -> str | None:
    """Read a UTF-8 file (or decode ``data``, its bytes as already read); report and return None when it cannot be read."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.error(path, None, f"cannot read file: {error.strerror}")
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(path, line, "file is not UTF-8 text: save it with UTF-8 encoding")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml_file(path: Path, problems: Problems, text: str | None = None) -> RawFile | None:
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    try:
        data = load_yaml(text, problems.rel(path))
    except YamlProblem as error:
        problems.items.append(error.problem)
        return None
    return RawFile(path, data)


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[PosDict | None, str, int] | None:
    """Split ``---`` front matter from the Markdown body.

    Returns None when no body can be told apart, and ``None`` in place of
    the front matter when its YAML is broken (the error is reported).
    """
    if not text.strip():
        problems.error(path, None, "file is empty: it needs front matter (between '---' lines) with at least a title")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.error(path, 1, "no front matter: the file must start with a line '---', then YAML fields, then '---'")
        return None
    end = _front_matter_end(lines)
    if end is None:
        problems.error(path, 1, "front matter is not closed: add a line '---' after the YAML fields")
        return None
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    try:
        front = load_yaml(yaml_text, problems.rel(path), line_offset=1)
    except YamlProblem as error:
        problems.items.append(error.problem)
        return None, body, end + 2
    if front is None:
        front = PosDict()
        front.line = 2
    if not isinstance(front, PosDict):
        problems.error(path, 2, "front matter must be fields written as 'name: value' lines")
        return None, body, end + 2
    return front, body, end + 2


def _front_matter_end(lines: list[str]) -> int | None:
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def read_body(path: Path) -> str | None:
    """The Markdown body of a language file, split as :func:`split_front_matter` splits it.

    Without reading the front matter: the incremental build keeps no bodies
    of unchanged files in its record and reads one only when a page needs it.
    None when the file cannot be read or has no front matter any more.
    """
    text = read_text(path, Problems(path.parent))
    if text is None or not text.strip():
        return None
    lines = text.split("\n")
    end = _front_matter_end(lines) if lines[0].rstrip() == "---" else None
    return None if end is None else "\n".join(lines[end + 1:])


TOP_KEY_RE = re.compile(rf"^({ID_PATTERN})[ \t]*:", re.M)


def _salvage_ids(path: Path) -> frozenset[str]:
    """The ids a fact file that YAML cannot read seems to define (its unindented keys).

    Only used to keep quiet about uses of those ids: the file's own error is
    what the editor must fix.
    """
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(TOP_KEY_RE.findall(text))


def _salvage_languages(path: Path) -> object:
    """The value of the unindented ``languages:`` entry of a site.yaml YAML cannot read, or None.

    The entry is its key's line and the lines under it (indented, or list
    items); read alone, it is the editor's list whenever the mistake is
    elsewhere in the file. Only used to check language files in the same
    run: the file's own error is what the editor must fix.
    """
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    starts = [i for i, line in enumerate(lines) if re.match(r"languages[ \t]*:", line)]
    if len(starts) != 1:
        return None
    end = starts[0] + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t-#"):
        end += 1
    try:
        data = load_yaml("\n".join(lines[starts[0]:end]), str(path), starts[0])
    except YamlProblem:
        return None
    return data.get("languages") if isinstance(data, PosDict) else None


def _check_id(name: str, path: Path, problems: Problems, what: str) -> bool:
    if ID_RE.match(name):
        return True
    problems.error(path, None, f"{what} '{name}' is not allowed: use {ID_RULE}")
    return False


def _outside(path: Path, root: Path, problems: Problems) -> bool:
    """A link to something outside the content folder is refused, never followed.

    Content is what gets published: a link could pull any file of the machine
    that builds the site (a key, a password file) into the public output.
    """
    if not path.is_symlink():
        return False  # its folder was checked on the way down
    if path.resolve().is_relative_to(root.resolve()):
        return False
    problems.error(path, None, "this is a link to a file or folder outside the content folder, which is not allowed: "
                   "copy it into the content folder instead")
    return True


Listing = Callable[[Path], "list[tuple[str, bool, bool]] | None"]


def _entries(folder: Path, root: Path, problems: Problems, listing: Listing | None = None) -> list[tuple[Path, bool]]:
    """The visible entries of ``folder`` (dot files are editors' and systems' own), links checked.

    Each comes with whether it is a folder (links followed). ``listing`` may
    know a folder's entries already (the incremental build scans the content
    folder before it loads it): (name, is a link, is a folder), sorted.
    """
    names = listing(folder) if listing is not None else None
    if names is None:
        # One lstat instead of three calls that each stat (it runs once per briefing folder).
        try:
            mode = os.lstat(folder).st_mode
        except OSError:
            return []  # missing
        if stat.S_ISLNK(mode):
            if _outside(folder, root, problems):
                return []
            try:
                mode = os.stat(folder).st_mode
            except OSError:
                return []  # a broken link: as missing
        if not stat.S_ISDIR(mode):
            problems.error(folder, None, f"'{folder.name}' must be a folder, not a file")
            return []
        try:
            # scandir knows which entries are links and folders without a stat call each (a site has thousands).
            with os.scandir(folder) as found:
                names = sorted((entry.name, entry.is_symlink(), _is_dir(entry)) for entry in found if not entry.name.startswith("."))
        except OSError as error:
            problems.error(folder, None, f"cannot read this folder: {error.strerror}")
            return []
    return [(folder / name, is_dir) for name, link, is_dir in names if not (link and _outside(folder / name, root, problems))]


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def load_document(kind: str, slug: str, lang: str, path: Path, problems: Problems,
                  data: bytes | None = None) -> RawDocument | None:
    """Read one language file of a briefing or page (``data``: its bytes, if already read)."""
    text = read_text(path, problems, data)
    if text is None:
        return None
    split = split_front_matter(text, path, problems)
    if split is None:
        return None
    front, body, body_line = split
    if front is None:
        return RawDocument(kind, slug, lang, path, PosDict(), body, body_line, front_broken=True)
    return RawDocument(kind, slug, lang, path, front, body, body_line)


DocumentLoader = Callable[[str, str, str, Path, Problems], "RawDocument | None"]


def load_content(root: Path, problems: Problems, documents: DocumentLoader = load_document,
                 yaml_files: Callable[[Path, Problems], "RawFile | None"] = parse_yaml_file,
                 listing: Listing | None = None, file_hash: Callable[[Path], "str | None"] | None = None) -> RawContent:
    """Read everything under the content folder ``root``.

    ``documents`` reads one language file and ``yaml_files`` one YAML file
    (site.yaml, facts, timelines); an incremental build passes ones that
    reuse the files it already knows (``cache/memo.py``), ``listing``
    the folders it has listed already, and ``file_hash`` the hash of a file
    it has hashed already (pictures are named by theirs).
    """
    site_path = root / "site.yaml"
    site = None
    outside = _outside(site_path, root, problems)
    if site_path.is_file() and not outside:
        site = yaml_files(site_path, problems)
    elif not outside:
        problems.error(site_path, None, "site.yaml is missing: every content folder needs one (title, base_url, languages)")

    facts: dict[str, RawFile] = {}
    broken_facts: dict[str, frozenset[str]] = {}
    broken_timelines: set[str] = set()
    for path, is_dir in _entries(root / "facts", root, problems, listing):
        if is_dir:
            continue
        kind = path.stem
        if path.suffix not in (".yaml", ".yml") or kind not in FACT_KINDS:
            problems.error(path, None, f"unknown fact file: fact files are {', '.join(k + '.yaml' for k in FACT_KINDS)}")
            continue
        if kind in facts:
            problems.error(path, None, f"{kind} facts are defined twice ({facts[kind].path.name} and {path.name})")
            continue
        raw = yaml_files(path, problems)
        if raw is not None:
            facts[kind] = raw
        else:
            broken_facts[kind] = _salvage_ids(path)

    timelines: dict[str, RawFile] = {}
    for path, is_dir in _entries(root / "timelines", root, problems, listing):
        if is_dir:
            continue
        if path.suffix not in (".yaml", ".yml"):
            problems.error(path, None, "a timeline must be a .yaml file")
            continue
        if not _check_id(path.stem, path, problems, "timeline id"):
            continue
        if path.stem in timelines:
            problems.error(path, None, f"timeline '{path.stem}' is defined twice")
            continue
        raw = yaml_files(path, problems)
        if raw is not None:
            timelines[path.stem] = raw
        else:
            broken_timelines.add(path.stem)

    load_one = documents
    found: list[RawDocument] = []
    for kind in DOCUMENT_KINDS:
        for folder, is_dir in _entries(root / kind, root, problems, listing):
            if not is_dir:
                problems.error(folder, None, f"expected a folder per {kind[:-1]} ({kind}/<slug>/<lang>.md)")
                continue
            if not _check_id(folder.name, folder, problems, "folder name"):
                continue
            for path, _ in _entries(folder, root, problems, listing):
                if path.suffix != ".md":
                    continue  # images and other files travel with the folder
                match = LANG_FILE_RE.match(path.name)
                if not match:
                    problems.error(path, None, "a language file is named by its language code, such as en.md or ru.md")
                    continue
                document = load_one(kind, folder.name, match.group(1), path, problems)
                if document is not None:
                    found.append(document)
    salvaged = _salvage_languages(site_path) if site is None and site_path.is_file() and not outside else None
    pictures = _pictures(root, problems, listing, file_hash)
    return RawContent(root, site, facts, timelines, tuple(found), broken_facts, frozenset(broken_timelines), salvaged, pictures)


def _pictures(root: Path, problems: Problems, listing: Listing | None, file_hash) -> dict:
    """The picture files of content/images/ (folders in it are not looked into), as their headers describe them."""
    files = [path for path, is_dir in _entries(root / "images", root, problems, listing) if not is_dir]
    if not files:
        return {}
    from ..images.files import read_pictures  # Pillow: imported only for a site with pictures
    return read_pictures(files, problems, file_hash)


def is_document_file(path: str, content: Path | str) -> bool:
    """Whether ``path`` is named like a language file of a briefing or page: content/<kind>/<slug>/<lang>.md."""
    base = f"{content}{os.sep}"
    if not path.startswith(base):
        return False
    parts = path[len(base):].split(os.sep)
    return len(parts) == 3 and parts[0] in DOCUMENT_KINDS and LANG_FILE_RE.match(parts[2]) is not None


def document_files(content: Path, listing: Listing) -> list[tuple[str, str, str, Path]]:
    """(kind, slug, lang, path) of the language files under ``content``, as load_content finds them.

    ``listing(folder)``: a folder's entries as a scan of the content folder saw
    them (None: not listed), so that the folders are not listed twice.
    """
    def names(folder: Path) -> list[str]:
        found = listing(folder)
        return [entry[0] for entry in found] if found is not None else []

    found = []
    for kind in DOCUMENT_KINDS:
        folder = content / kind
        for slug in names(folder):
            for name in names(folder / slug):
                match = LANG_FILE_RE.match(name)
                if match:
                    found.append((kind, slug, match.group(1), folder / slug / name))
    return found
