"""How the tests start Chromium: Debian's build, headless, no background traffic."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def launch_chromium(driver, profile: Path, **options):
    """A persistent context on a fresh ``profile`` folder; ``options`` go to Playwright."""
    return driver.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **options
    )
