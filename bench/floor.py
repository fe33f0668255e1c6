"""The floor loop: bare PyYAML (C loader) + python-markdown + Jinja2, in one process or several.

This is the least any Python generator must do for the briefings of a
corpus: read each file, parse its front matter, convert its Markdown (with
the same extensions as ours) and fill one template, then write the page. It
knows nothing of facts, links, lists or validation. ``run.py`` times it
beside the real builds, in one process and in as many as our build uses.

Usage: python3 bench/floor.py CONTENT_DIR OUTPUT_DIR [PROCESSES]
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown
import yaml
from markdown.extensions.toc import TocExtension, slugify_unicode

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ meta.title }}</title>
<meta name="description" content="{{ meta.summary }}"></head>
<body><main><article>
<h1>{{ meta.title }}</h1>
<p class="lede">{{ meta.summary }}</p>
<p class="meta">{{ meta.authors|join(", ") }} · <time>{{ meta.date }}</time></p>
<div class="briefing-body">{{ body }}</div>
</article></main></body></html>
"""


def render_files(paths: list[Path], output: Path) -> int:
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(TEMPLATE)
    md = markdown.Markdown(extensions=["footnotes", "tables", "attr_list", "sane_lists", "fenced_code",
                                       TocExtension(slugify=slugify_unicode, toc_depth="2-3")], output_format="html")
    count = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        md.reset()
        html = md.convert(body)
        page = template.render(lang=path.stem, meta=meta, body=jinja2.utils.markupsafe.Markup(html))
        target = output / path.stem / "briefings" / path.parent.name / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        count += 1
    return count


def main(content: Path, output: Path, jobs: int = 1) -> int:
    paths = sorted((content / "briefings").glob("*/*.md"))
    if jobs == 1:
        count = render_files(paths, output)
    else:  # the same loop in forked processes, the files dealt out in turn
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            count = sum(pool.starmap(render_files, [(paths[i::jobs], output) for i in range(jobs)]))
    print(f"floor loop: {count} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1))
