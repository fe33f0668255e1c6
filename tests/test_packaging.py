"""The package as a newsroom installs it: a wheel in a fresh virtual environment builds a site.

The default templates, stylesheet and catalogues live at the top of the
repository and must ship inside the wheel; every subpackage of generator/
must be listed in pyproject.toml, or a wheel installs without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "basic" / "content"


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "generator").rglob("__init__.py")}
    assert found, "no package found"
    assert found <= listed, f"not in pyproject.toml's packages: {sorted(found - listed)}"
    assert {"generator.templates", "generator.locales"} <= listed


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_builds_a_site_from_any_folder(tmp_path):
    # Built from a copy: setuptools leaves build/ and *.egg-info in the folder it builds.
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    for name in ("generator", "templates", "locales"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = wheels.glob("briefing-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        check=True, capture_output=True, text=True).stdout.strip())
    # The wheel unpacked as pip would install it; its dependencies from this environment's site-packages
    # (a plain path: the editable install of the checkout, a .pth of its own, is not taken along).
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site_packages), str(wheel)],
                   check=True, capture_output=True)
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # A site root somewhere else, without templates or catalogues of its own; run from yet another folder.
    root = tmp_path / "newsroom"
    shutil.copytree(FIXTURE, root / "content")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"],
                           check=True, capture_output=True, text=True, cwd=elsewhere, env=env).stdout.strip()
    assert Path(where).is_relative_to(site_packages), where
    done = subprocess.run([str(python), "-m", "generator", "build", "--content", str(root / "content"), "--output", str(root / "site")],
                          capture_output=True, text=True, cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr
    site = root / "site"
    assert (site / "assets" / "style.css").read_bytes() == (ROOT / "templates" / "assets" / "style.css").read_bytes()
    russian = (site / "ru" / "briefings" / "bilingual" / "index.html").read_text()
    assert "Источники" in russian  # "Sources", from the Russian catalogue shipped in the wheel
    assert '<link rel="stylesheet"' in russian
    # The search page's script ships in the wheel, and Pagefind (a dependency) made each language's index.
    assert (site / "assets" / "search.js").is_file()
    assert all((site / lang / "pagefind" / "pagefind-entry.json").is_file() for lang in ("en", "ru"))
    # The starter site of `briefing init` ships in the wheel, and builds there with no warning.
    started = subprocess.run([str(python), "-m", "generator", "init", "started"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert started.returncode == 0, started.stderr
    done = subprocess.run([str(python), "-m", "generator", "build", "--strict"], capture_output=True, text=True, cwd=elsewhere / "started", env=env)
    assert done.returncode == 0 and "0 warnings" in done.stdout, done.stderr
    assert (elsewhere / "started" / "site" / "ru" / "data" / "index.html").is_file()
