"""axe-core finds no serious or critical violation, in both languages.

axe runs inside Debian's Chromium on the page as served, so colour contrast,
landmarks, names and language attributes are judged on the real rendering.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .pages import counterpart_route

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
KINDS = ["home", "briefing", "weapon", "person", "timeline", "topic", "data", "search"]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_axe_violations(site, page, kind, lang):
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (scripts/test.sh does)")
    route = counterpart_route(site, kind, lang)
    page.goto(site.url(route))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["passes"] or result["violations"], "axe checked nothing"
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"][:5]) for v in bad]
    assert not bad, f"{site.name} {route}:\n" + "\n".join(report)
