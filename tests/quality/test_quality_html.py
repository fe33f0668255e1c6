"""Every page of both built sites passes the Nu Html Checker with no error.

vnu runs once per site folder (a JVM start costs seconds). A known-bad page
is checked in the same run, so a checker that silently skipped files or
stopped reporting would fail the test instead of passing it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANARY = '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><p><div></p></body></html>\n'


def run_vnu(*folders: Path) -> tuple[set[str], list[str]]:
    """Files vnu checked, and its error lines (gnu format)."""
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run `npm ci` (scripts/test.sh does)")
    java = shutil.which("java")
    assert java, "java is missing: install a Java runtime (scripts/test.sh does)"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "gnu", "--verbose", *map(str, folders)],
        capture_output=True, text=True, timeout=300,
    )
    checked = {line.strip() for line in done.stdout.splitlines() if line.strip()}
    errors = [line for line in done.stderr.splitlines() if ": error:" in line or ": fatal:" in line]
    return checked, errors


def test_every_page_is_valid_html(site, tmp_path):
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "bad.html").write_text(CANARY, encoding="utf-8")

    checked, errors = run_vnu(site.folder, canary)

    pages = {str(p) for p in site.folder.rglob("*.html")}
    assert len(pages) > 10
    assert pages <= checked, f"vnu skipped: {sorted(pages - checked)}"
    assert any("bad.html" in e for e in errors), "vnu reported nothing for a known-bad page"
    site_errors = [e for e in errors if "bad.html" not in e]
    assert not site_errors, "\n".join(site_errors)
