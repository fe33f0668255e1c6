"""Shared fixtures: built copies of the sample site and the fixture sites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser_launch import launch_chromium

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_site(source: Path, target: Path) -> Path:
    """Copy a site root (its content/, and templates/ or locales/ if any)."""
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory) -> Path:
    """The built fixture site ``basic`` (base_url with the sub-path /news/)."""
    out = tmp_path_factory.mktemp("basic") / "site"
    build(FIXTURES / "basic" / "content", out)
    return out


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    """The built fixture site ``search`` (base_url with the sub-path /desk/; see its README)."""
    out = tmp_path_factory.mktemp("search") / "site"
    build(FIXTURES / "search" / "content", out)
    return out


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The built sample content of the repository."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build(ROOT / "content", out)
    return out


@pytest.fixture
def no_git_identity(tmp_path_factory, monkeypatch):
    """A machine where git has no user configuration at all (no name, no email)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL",
                 "BRIEFING_GIT_AUTHOR", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


# One Chromium for the whole session: Playwright's sync API allows a single
# running instance per thread, so every browser test shares these fixtures
# instead of starting its own.
@pytest.fixture(scope="session")
def playwright():
    """The session's Playwright driver (Debian's chromium, never a download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser_context(playwright, tmp_path_factory):
    """The shared Chromium context (JavaScript on); open pages with ``new_page()``."""
    context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
    yield context
    context.close()


def pytest_collection_modifyitems(items) -> None:
    """The output quality gates (tests/quality/: browsers, validators, served sites) are slow tests."""
    for item in items:
        if "/tests/quality/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)
