"""cli: exit codes, the summary line, problems on stderr."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "basic" / "content"
SUMMARY = re.compile(r"^built (\d+) files into (.+)/, (\d+) warnings?, (\d+\.\d\d) s \(load [\d.]+s, model [\d.]+s, render [\d.]+s, (?:search [\d.]+s, )?write [\d.]+s\); (\d+) rendered, (\d+) written$")  # search: the index


@pytest.fixture
def site_root(tmp_path, monkeypatch):
    """A project folder with content/ (the fixture), as the current folder."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_defaults_to_content_and_site(site_root, capsys):
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    match = SUMMARY.match(out.strip())
    assert match, out
    written = int(match.group(1))
    assert written == len([p for p in (site_root / "site").rglob("*") if p.is_file()])
    assert match.group(2) == "site" and match.group(3) == "1"
    # A first build writes every file: every page, rendered, and the search index (generator/search).
    index = len([p for p in (site_root / "site").rglob("*") if p.is_file() and "pagefind" in p.parts])
    assert match.group(6) == match.group(1) and int(match.group(5)) == written - index and index > 0
    assert err.strip() == "content/facts/weapons.yaml:8: warning: missing 'ru' translation of 'summary' of weapon 'drone-x': 'en' is shown instead"


def test_strict_makes_the_warning_an_error(site_root, capsys):
    assert main(["build", "--strict"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("content/facts/weapons.yaml:8: missing 'ru' translation") and lines[0].endswith("(an error under --strict)")
    assert lines[-1] == "build failed: 1 error; site/ left unchanged"
    assert not (site_root / "site").exists()


def test_content_errors_exit_1_without_traceback_and_keep_the_output(site_root, capsys):
    assert main(["build"]) == 0
    before = (site_root / "site" / "en" / "index.html").read_bytes()
    (site_root / "content" / "timelines" / "test-events.yaml").write_text("title: T\nevents:\n  - date: 2022-02-30\n    title: X\n")
    capsys.readouterr()
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err and out == ""
    assert "content/timelines/test-events.yaml:3: impossible date '2022-02-30'" in err
    assert (site_root / "site" / "en" / "index.html").read_bytes() == before


def test_options_content_and_output(tmp_path, capsys):
    out_dir = tmp_path / "public"
    assert main(["build", "--content", str(FIXTURE), "--output", str(out_dir), "--cache", str(tmp_path / "cache")]) == 0
    assert (out_dir / "index.html").is_file()
    assert SUMMARY.match(capsys.readouterr()[0].strip())


def test_check_writes_nothing(site_root, capsys):
    assert main(["check"]) == 0
    assert not (site_root / "site").exists()
    assert "1 warning" in capsys.readouterr()[0]
    assert main(["check", "--strict"]) == 1


def _files_and_times(folder: Path) -> dict:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_uses_the_build_record_and_writes_nothing(site_root, capsys):
    from generator.build import build
    assert main(["build"]) == 0
    kept = _files_and_times(site_root / "site") | _files_and_times(site_root / ".cache")
    body = site_root / "content" / "briefings" / "bilingual" / "en.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    checked = build(site_root / "content", site_root / "site", cache=site_root / ".cache" / "briefing", dry_run=True)
    assert checked.rendered == 1  # only the page of the edited text, in memory
    assert main(["check"]) == 0
    assert "content is valid" in capsys.readouterr()[0]
    body.write_text(body.read_text(encoding="utf-8") + "\nSee [[nobody]].\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert "unknown" in capsys.readouterr()[1]
    assert _files_and_times(site_root / "site") | _files_and_times(site_root / ".cache") == kept


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "--no-such-option"])
    assert caught.value.code == 2


@pytest.mark.slow  # another process
def test_python_dash_m_generator(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(FIXTURE), "--output", str(tmp_path / "site"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert SUMMARY.match(proc.stdout.strip()) and "warning: missing 'ru'" in proc.stderr


@pytest.mark.slow  # another process
def test_a_failed_build_from_python_dash_m_prints_every_problem_and_exits_1(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--content", str(content), "--output", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "site.yaml:1" in proc.stderr and proc.stderr.rstrip().splitlines()[-1].startswith("build failed:")


_RUN_WITH_ATEXIT = """
import atexit, sys
atexit.register(lambda: print("interpreter exit ran", flush=True))
if sys.argv.pop(1) == "traced":
    sys.settrace(lambda *args: None)  # what coverage.py does: it writes its data at exit
from generator.cli.main import run
run()
"""


@pytest.mark.slow  # another process
@pytest.mark.parametrize("mode", ["plain", "traced"])
def test_build_leaves_without_the_interpreter_teardown_unless_a_tool_watches(tmp_path, mode):
    # The teardown frees the whole record object by object; a profiler or coverage needs it to report.
    proc = subprocess.run([sys.executable, "-c", _RUN_WITH_ATEXIT, mode, "build", "--content", str(FIXTURE),
                           "--output", str(tmp_path / "site"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert SUMMARY.match(proc.stdout.splitlines()[0].strip())  # printed before leaving
    assert ("interpreter exit ran" in proc.stdout) == (mode == "traced")


def test_the_cache_makes_a_second_build_do_nothing(site_root, capsys):
    assert main(["build"]) == 0
    assert (site_root / ".cache" / "briefing" / "state.pickle").is_file()  # the default: .cache/briefing in the site root
    capsys.readouterr()
    assert main(["build", "--jobs", "2"]) == 0
    out = capsys.readouterr()[0].strip()
    assert out.endswith("; 0 rendered, 0 written"), out


def test_no_cache_and_an_explicit_cache_folder(site_root, capsys):
    assert main(["build", "--no-cache"]) == 0
    assert not (site_root / ".cache").exists()
    assert main(["build", "--cache", "elsewhere"]) == 0
    assert (site_root / "elsewhere" / "state.pickle").is_file() and not (site_root / ".cache").exists()


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "--jobs", jobs])
    assert caught.value.code == 2
    assert "--jobs: must be a whole number of 1 or more" in capsys.readouterr()[1]


def test_debug_shows_the_traceback_of_an_internal_error_before_or_after_the_command(monkeypatch, tmp_path, capsys):
    from generator.cli import main as cli_main

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug of ours")
    monkeypatch.setattr(cli_main, "build", broken)
    args = ["--content", str(FIXTURE), "--output", str(tmp_path / "site")]
    assert main(["build", *args]) == 2
    assert "internal error: RuntimeError: a bug of ours" in capsys.readouterr().err
    for argv in (["--debug", "build", *args], ["build", "--debug", *args]):
        with pytest.raises(RuntimeError, match="a bug of ours"):
            main(argv)


def test_an_in_process_build_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    import gc
    assert gc.isenabled()
    assert main(["build", "--content", str(FIXTURE), "--output", str(tmp_path / "site"), "--no-cache"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert main(["build", "--content", str(FIXTURE), "--output", str(tmp_path / "site"), "--no-cache"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
