"""render: every page planned and rendered in memory, escaped, from overridable templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from generator.content.errors import Problems
from generator.content.load import load_content
from generator.project import DEFAULT_LOCALES, DEFAULT_TEMPLATES
from generator.build import build
from generator.content.errors import ContentError
from generator.content.resolve import resolve

from tests.helpers import make_content, write_tree

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic" / "content"


def render(content: Path, root: Path | None = None):
    """The pages of ``content``, built in memory; in the site root ``root`` (with its own templates/ and
    locales/, if any) when given."""
    if root is not None:
        shutil.copytree(content, root / "content")
        content = root / "content"
    result = build(content)
    return dict(result.files), result.warnings


@pytest.fixture(scope="module")
def basic():
    files, problems = render(FIXTURE)
    return files


def test_renders_every_page_in_memory(basic):
    assert all(isinstance(data, bytes) for data in basic.values())
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt", "en/feed.xml", "ru/feed.xml",
            "en/index.html", "ru/timelines/test-events/index.html", "assets/style.css"} <= set(basic)
    assert "ru/briefings/en-only/index.html" not in basic and "en/pages/ru-only/index.html" not in basic


def test_ui_strings_come_from_the_catalogues(basic):
    ru = basic["ru/index.html"].decode()
    assert "Последние брифинги" in ru and "Latest briefings" not in ru
    assert "Latest briefings" in basic["en/index.html"].decode()


def test_text_from_yaml_is_escaped_and_never_a_template(tmp_path):
    content = make_content(tmp_path, {
        "facts/weapons.yaml": """\
            w:
              name: "<b>Bad</b> & co"
              summary: "{{ 7 * 7 }} {% if true %}yes{% endif %}"
            """,
        "briefings/b/en.md": "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2022-11-09\n---\n\n[[factbox:w]]\n",
    })
    files, _ = render(content)
    page = files["en/briefings/b/index.html"].decode()
    assert "&lt;b&gt;Bad&lt;/b&gt; &amp; co" in page and "<b>Bad</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "{{ 7 * 7 }} {% if true %}yes{% endif %}" in page


def test_site_templates_and_assets_override_the_defaults(tmp_path):
    write_tree(tmp_path / "templates", {
        "home.html": '{% extends "base.html" %}{% block content %}<p class="own">{{ _("Latest briefings") }}</p>{% endblock %}\n',
        "assets/style.css": "body { color: red }\n",
        "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    })
    files, _ = render(FIXTURE, tmp_path)
    assert '<p class="own">Последние брифинги</p>' in files["ru/index.html"].decode()
    assert files["assets/style.css"] == b"body { color: red }\n"
    assert "assets/logo.svg" in files
    assert "factbox" in files["en/weapons/drone-x/index.html"].decode()  # other templates: the defaults


def test_site_catalogue_overrides_ui_strings(tmp_path):
    locales = tmp_path / "locales"
    for lang in ("en", "ru"):
        src = (DEFAULT_LOCALES / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        if lang == "ru":
            src = src.replace('msgstr "Последние брифинги"', 'msgstr "Свежие брифинги"')
        write_tree(locales / lang / "LC_MESSAGES", {"messages.po": src})
    files, _ = render(FIXTURE, tmp_path)
    assert "Свежие брифинги" in files["ru/index.html"].decode()


def test_ui_strings_read_the_same_on_every_page_and_in_every_form(tmp_path):
    # `_` remembers a string without variables (render.py): each use, on every page,
    # must read as Jinja2's own would: escaped by autoescape, formatted with variables.
    write_tree(tmp_path / "templates", {
        "home.html": '{% extends "base.html" %}{% block content %}<p class="own">{{ _("Sources") }}|{{ _("Sources") }}|'
                     '{{ _("Only in the “%(language)s” version", language="<b>") }}|{{ gettext("Sources") }}|{{ _("50%% off") }}</p>'
                     '{% endblock %}\n',
        "robots.txt": '{{ _("Only in the “%(language)s” version", language="<b>") }}|{{ _("Sources") }}\n',
    })
    files, _ = render(FIXTURE, tmp_path)
    assert ('<p class="own">Источники|Источники|Только в версии «&lt;b&gt;»|Источники|50% off</p>'
            in files["ru/index.html"].decode())
    assert '<p class="own">Sources|Sources|Only in the “&lt;b&gt;” version|Sources|50% off</p>' in files["en/index.html"].decode()
    assert files["robots.txt"].decode() == "Only in the “<b>” version|Sources\n"  # not HTML: not escaped


@pytest.mark.parametrize("template, line, words", [
    ("home.html", 2, "template error: Expected an expression"),
    ("topic.html", 3, "template error: 'no_such_thing' is undefined"),
])
def test_template_errors_name_the_file_and_line(tmp_path, template, line, words):
    body = {"home.html": '{% extends "base.html" %}\n{% block content %}{{ }}{% endblock %}\n',
            "topic.html": '{% extends "base.html" %}\n{% block content %}\n{{ no_such_thing }}\n{% endblock %}\n'}[template]
    write_tree(tmp_path / "templates", {template: body})
    with pytest.raises(ContentError) as caught:
        render(FIXTURE, tmp_path)
    [error] = caught.value.problems
    assert (error.path, error.line) == (f"templates/{template}", line)
    assert words in error.message


def test_a_briefing_may_link_a_timeline_by_its_id(tmp_path):
    # [[timeline-id]] is a link (not an embed): the page links the timeline's
    # page and lists no sources for it (it shows none of its events).
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / "briefings" / "bilingual" / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("concerns [[test-topic]].", "concerns [[test-topic]] and [[test-events]]."), encoding="utf-8")
    files, problems = render(content)
    page = files["en/briefings/bilingual/index.html"].decode()
    assert '<a class="entity-link" href="/news/en/timelines/test-events/">Test events</a>' in page
    assert files["ru/briefings/bilingual/index.html"] == render(FIXTURE)[0]["ru/briefings/bilingual/index.html"]


def _renderer(content: Path, lang: str, template_dirs=(DEFAULT_TEMPLATES,)):
    from generator.render.language import LanguageRenderer
    from generator.render.mentions import Mentions
    problems = Problems(content.parent)
    site = resolve(load_content(content, problems), problems)
    return LanguageRenderer(site, lang, list(template_dirs), DEFAULT_LOCALES, problems, Mentions(site))


def test_templates_compiled_ahead_compile_as_the_renderer_does(tmp_path):
    # A first build compiles the templates before the site exists (compile_templates): the
    # environment it uses must turn each template into the very code the renderer's would.
    from generator.render.templates import FILTERS, template_environment
    own = tmp_path / "templates"
    write_tree(own, {"counted.html": "{% trans count=3 %}One source{% pluralize %}{{ count }} sources{% endtrans %}\n"})
    ahead = template_environment([own, DEFAULT_TEMPLATES])
    for lang in ("en", "ru"):
        env = _renderer(FIXTURE, lang, (own, DEFAULT_TEMPLATES)).env
        assert set(FILTERS) == set(env.filters) - set(jinja2.Environment().filters)
        names = [n for n in env.list_templates(extensions=("html", "xml", "txt")) if not n.startswith("assets/")]
        assert len(names) > 10
        for name in names:
            source, filename, _ = env.loader.get_source(env, name)
            assert ahead.compile(source, name, filename, raw=True) == env.compile(source, name, filename, raw=True), name


def test_templates_compiled_ahead_are_not_compiled_again(monkeypatch):
    from generator.render.templates import KeptTemplates, compile_templates
    kept = KeptTemplates()
    compile_templates([DEFAULT_TEMPLATES], kept)
    assert len(kept.code) > 10
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a) or original(self, *a, **k))
    env = _renderer(FIXTURE, "ru").env
    env.bytecode_cache = kept
    env.get_template("briefing.html")
    env.get_template("home.html")
    assert compiled == []


def test_pages_that_list_briefings_are_one_batch_per_language():
    # One process renders a language's lists (each list item is made once per process), and
    # the sitemap is a batch of its own, claimed first rather than left to the end.
    from generator.render.pages import plan_site
    problems = Problems(FIXTURE.parent)
    site = resolve(load_content(FIXTURE, problems), problems)
    pages = {page.path: page.batch for page in plan_site(site, [DEFAULT_TEMPLATES], DEFAULT_LOCALES, problems)}
    for lang in ("en", "ru"):
        listing = {path for path, batch in pages.items() if batch == f"lists-{lang}"}
        assert {f"{lang}/index.html", f"{lang}/feed.xml", f"{lang}/weapons/rocket-z/index.html"} <= listing
        assert all(path.startswith(f"{lang}/") and "/briefings/" not in path for path in listing)
    assert pages["sitemap.xml"] == "sitemap"
    assert pages["en/briefings/bilingual/index.html"] == ""
