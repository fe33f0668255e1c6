"""Any sequence of edits: a cached rebuild is byte-identical to a clean build (hypothesis, stateful).

The machine edits a copy of the fixture site ``basic`` the way editors do:
edits, adds and removes briefings, renames a fact (and every use of its id),
edits a fact, moves a timeline date, changes site.yaml, breaks a file and
mends it. After each step it builds three ways: a clean build into a fresh
folder, a build with the cache in a folder (as ``briefing build``), and a
build with the cache object kept in memory between builds, told which paths
changed as the preview's file watcher tells it (as ``briefing serve``). The cached outputs must equal the clean one byte for byte, with
the same warnings; a step whose clean build fails must fail the cached
builds with the same problems and leave their output as it was.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from generator.build import build
from generator.cache.build_cache import BuildCache
from generator.content.errors import ContentError
from generator.output.target import Target
from generator.project import Project

from tests.helpers import snapshot

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"

WORDS = st.sampled_from(["drones", "missiles", "arrived", "Tehran", "said", "поставки", "ракет", "Иран", "21", "300 km",
                         "1,500", "*bold*", "`code`", "a | b"])
SLUGS = st.sampled_from(["alpha", "beta", "gamma-2", "delta"])
DATES = st.sampled_from(["2021", "2022-05", "2022-06-10", "2023-01-20", "2019-12-31"])


def _uses_of(name: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z0-9-]){re.escape(name)}(?![a-z0-9-])")


class EditSequences(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="briefing-stateful-"))
        self.root = self.tmp / "root"
        shutil.copytree(FIXTURE, self.root / "content")
        self.content = (self.root / "content").resolve()
        self.weapons = ["drone-x", "missile-y", "rocket-z"]
        self.added: set[str] = set()
        self.broken = False
        self.builds = 0
        self.touched: set[str] = set()  # what a file watcher would report since the last build
        project = Project.at(self.content)
        self.kept = BuildCache(self.root / ".cache-memory", project,
                               Target.of(self.root / "site-memory", project.sources, self.root / ".cache-memory"), memory=True)

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- edits ---------------------------------------------------------------------------
    def _edit(self, relative: str, change) -> None:
        path = self.content / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.touched.add(str(path))

    @rule(words=st.lists(WORDS, min_size=1, max_size=6), lang=st.sampled_from(["en", "ru"]))
    def edit_briefing_text(self, words, lang):
        sentence = " ".join(words)
        self._edit(f"briefings/bilingual/{lang}.md", lambda text: text.replace("\n## Fact box", f"\n{sentence}\n\n## Fact box", 1))

    @rule(slug=SLUGS, date=DATES, words=st.lists(WORDS, min_size=1, max_size=4), both=st.booleans(),
          weapon=st.integers(0, 2), title_words=st.lists(WORDS, min_size=1, max_size=3))
    def add_or_rewrite_briefing(self, slug, date, words, both, weapon, title_words):
        folder = self.content / "briefings" / slug
        if not folder.exists():
            self.touched.add(str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        day = date if len(date) == 10 else "2024-02-02"
        weapon_id = self.weapons[weapon]
        for lang in (("en", "ru") if both else ("en",)):
            body = f"{' '.join(words)} [[{weapon_id}]].\n\n[[factbox:{weapon_id}]]\n"
            (folder / f"{lang}.md").write_text(
                f"---\ntitle: \"{' '.join(title_words)} ({lang})\"\ndate: {day}\ntopics: [test-topic]\n---\n\n{body}", encoding="utf-8")
            self.touched.add(str(folder / f"{lang}.md"))
        if not both and (folder / "ru.md").exists():
            (folder / "ru.md").unlink()
            self.touched.add(str(folder / "ru.md"))
        self.added.add(slug)

    @precondition(lambda self: self.added)
    @rule(data=st.data())
    def remove_briefing(self, data):
        slug = data.draw(st.sampled_from(sorted(self.added)))
        shutil.rmtree(self.content / "briefings" / slug)
        self.touched.add(str(self.content / "briefings" / slug))  # a watcher may report the folder alone
        self.added.discard(slug)

    @rule(which=st.integers(0, 2), suffix=st.sampled_from(["-b", "-new", "-2"]))
    def rename_fact(self, which, suffix):
        old = self.weapons[which]
        new = old + suffix
        if new in self.weapons or len(new) > 40:
            return
        pattern = _uses_of(old)
        for path in sorted(self.content.rglob("*")):
            if path.is_file() and path.suffix in (".md", ".yaml"):
                text = path.read_text(encoding="utf-8")
                changed = pattern.sub(new, text)
                if changed != text:
                    path.write_text(changed, encoding="utf-8")
                    self.touched.add(str(path))
        self.weapons[which] = new

    @rule(km=st.sampled_from([1500, 1750, 300, 12.5]))
    def edit_fact(self, km):
        self._edit("facts/weapons.yaml", lambda text: re.sub(r"range_km: [\d.]+", f"range_km: {km}", text, count=1))

    @rule(date=DATES)
    def move_timeline_date(self, date):
        self._edit("timelines/test-events.yaml", lambda text: re.sub(r"(?m)^  - date: .*$", f"  - date: {date}", text, count=1))

    @rule(zone=st.sampled_from(["Europe/Moscow", "UTC", "Asia/Tehran"]), title=st.sampled_from(["Test Briefings", "Briefings"]))
    def change_site_yaml(self, zone, title):
        self._edit("site.yaml", lambda text: re.sub(r"timezone: .*", f"timezone: {zone}",
                                                    re.sub(r"title: \{en: [^,]*,", f"title: {{en: {title},", text)))

    @precondition(lambda self: not self.broken)
    @rule()
    def break_a_file(self):
        self._edit("briefings/bilingual/ru.md", lambda text: text.replace("title:", "title: [broken", 1))
        self.broken = True

    @precondition(lambda self: self.broken)
    @rule()
    def mend_it(self):
        self._edit("briefings/bilingual/ru.md", lambda text: text.replace("title: [broken", "title:", 1))
        self.broken = False

    def _in_memory(self):
        """A build as the preview makes it: its cache object kept, told what the watcher saw."""
        self.kept.reported(self.touched)
        self.touched = set()
        result = build(self.content, self.root / "site-memory", cache=self.root / ".cache-memory", keep=self.kept)
        self.kept = result.cache
        return result

    # -- after every step --------------------------------------------------------------------
    @invariant()
    def cached_builds_equal_a_clean_build(self):
        self.builds += 1
        clean_out = self.tmp / f"clean-{self.builds}"
        disk_out, memory_out = self.root / "site", self.root / "site-memory"
        before = (snapshot(disk_out) if disk_out.exists() else {}, snapshot(memory_out) if memory_out.exists() else {})
        try:
            clean = build(self.content, clean_out)
        except ContentError as error:
            for out, cached in ((disk_out, lambda: build(self.content, disk_out, cache=self.root / ".cache")),
                                (memory_out, self._in_memory)):
                with pytest.raises(ContentError) as caught:
                    cached()
                assert caught.value.problems == error.problems
            assert (snapshot(disk_out) if disk_out.exists() else {}, snapshot(memory_out) if memory_out.exists() else {}) == before
            return
        expected = snapshot(clean_out)
        shutil.rmtree(clean_out)
        on_disk = build(self.content, disk_out, cache=self.root / ".cache")
        assert snapshot(disk_out) == expected
        assert [str(w) for w in on_disk.warnings] == [str(w) for w in clean.warnings]
        in_memory = self._in_memory()
        assert snapshot(memory_out) == expected
        assert [str(w) for w in in_memory.warnings] == [str(w) for w in clean.warnings]


pytestmark = pytest.mark.slow  # three builds per step

EditSequences.TestCase.settings = settings(max_examples=12, stateful_step_count=8, deadline=None,
                                           suppress_health_check=[HealthCheck.too_slow])
TestEditSequences = EditSequences.TestCase
