"""The benchmark's runner: outputs are moved aside, not deleted, before a timed cold build."""

from __future__ import annotations

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import run  # noqa: E402

pytestmark = pytest.mark.slow  # other processes


def test_a_discarded_output_is_moved_aside_then_deleted_with_leftovers(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en" / "index.html").write_text("old", encoding="utf-8")
    leftover = tmp_path / ".trash-site-1-99"  # what an interrupted run left
    leftover.mkdir()
    run._discard(site)
    assert not site.exists()
    moved = [p for p in tmp_path.glob(".trash-site-*") if p != leftover]
    assert len(moved) == 1 and (moved[0] / "en" / "index.html").read_text(encoding="utf-8") == "old"
    site.mkdir()  # the next build makes it again
    run._discard(site)
    run._discard(tmp_path / "missing")  # nothing to move: no error
    run._empty_trash()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_measure_reports_the_cpu_time_of_the_whole_process_tree(tmp_path):
    # A child that burns CPU in a grandchild: its time counts too.
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'sum(range(3_000_000))'])"
    seconds, _, _ = run.measure([sys.executable, "-c", code], tmp_path)
    user, system = run.CPU
    assert seconds > 0 and user > 0.02 and system >= 0


def test_measure_reads_a_long_output_without_blocking_and_samples_only_when_asked(tmp_path):
    code = "import sys; sys.stdout.write('x' * 300_000)"  # more than a pipe holds
    seconds, peak, output = run.measure([sys.executable, "-c", code], tmp_path, sample=False)
    assert output == "x" * 300_000 and peak == 0
    code = "import time; big = bytearray(50_000_000); time.sleep(0.3)"
    _, peak, _ = run.measure([sys.executable, "-c", code], tmp_path)
    assert peak > 40  # MB: the sampled process tree held the 50 MB
