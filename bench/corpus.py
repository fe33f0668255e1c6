"""Deterministic synthetic corpus: N bilingual briefings, in two layouts.

``write_briefing_site`` writes a site root in our content format (content/
with fact files, timelines and briefings that carry fact boxes, entity links
and timelines, plus a copy of the default templates so a template edit is a
site edit). ``write_hugo_site`` writes the same articles, facts and
timelines in Hugo's layout: multilingual bundles (index.en.md, index.ru.md),
facts and timelines as data files, shortcodes for the embeds, taxonomies for
the entity pages. The same seed gives the same bytes.

Sizes follow the issue's reference corpus: about 4,200 output pages from
2,000 briefings (two languages, one page per briefing and language, plus
entity, topic and timeline pages). One weapon, ``w-0000``, is shown in a fact
box by exactly 50 briefings (the one-fact edit).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FACT_WEAPON = "w-0000"
FACT_WEAPON_SHOWN_BY = 50
PARAGRAPHS = 6  # paragraphs of text in a briefing (run.py --paragraphs)

EN_WORDS = (
    "analysts officials report shipment missile drone launcher range defence ministry intelligence "
    "satellite imagery suggests delivery contract factory component supply route sanctions export "
    "border convoy warehouse airfield battalion regiment production engine guidance warhead "
    "payment network broker company vessel cargo port document source statement denial evidence "
    "investigation agreement partner visit delegation capacity estimate quantity month year region"
).split()
RU_WORDS = (
    "аналитики чиновники сообщают поставка ракета беспилотник пусковая дальность оборона министерство "
    "разведка спутниковые снимки указывают доставка контракт завод компонент маршрут санкции экспорт "
    "граница колонна склад аэродром батальон полк производство двигатель наведение боевая часть "
    "платеж сеть посредник компания судно груз порт документ источник заявление опровержение "
    "расследование соглашение партнер визит делегация мощность оценка количество месяц год регион"
).split()
COUNTRIES = ("IR", "RU", "KP", "CN", "BY", "US", "GB", "UA", "TR", "IN")
CLASSES = ("srbm", "mrbm", "cruise-missile", "loitering-munition", "uav", "atgm", "manpads", "sam", "mlrs", "tank")
ORG_KINDS = ("think-tank", "news-agency", "newspaper", "broadcaster", "ministry", "company", "military")
STATUSES = ("confirmed", "reported", "claimed", "disputed", "denied")


@dataclass(frozen=True)
class Sizes:
    briefings: int
    weapons: int
    people: int
    organizations: int
    topics: int
    sources: int
    timelines: int
    events_per_timeline: int = 20

    @classmethod
    def for_n(cls, n: int) -> "Sizes":
        return cls(
            briefings=n, weapons=max(60, n // 50), people=max(4, n // 80), organizations=max(4, n // 130),
            topics=max(3, n // 200), sources=max(10, n // 10), timelines=max(2, n // 400),
        )


class Corpus:
    """All data of the corpus, generated once from the seed; both writers use it."""

    def __init__(self, n: int, seed: int = 2022, paragraphs: int = PARAGRAPHS):
        self.n = n
        self.paragraphs = paragraphs
        self.sizes = Sizes.for_n(n)
        rng = random.Random(seed)
        s = self.sizes
        self.weapons = [f"w-{i:04d}" for i in range(s.weapons)]
        self.people = [f"p-{i:04d}" for i in range(s.people)]
        self.orgs = [f"o-{i:04d}" for i in range(s.organizations)]
        self.topics = [f"t-{i:03d}" for i in range(s.topics)]
        self.sources = [f"s-{i:05d}" for i in range(s.sources)]
        self.timelines = [f"tl-{i:03d}" for i in range(s.timelines)]
        self.facts = self._facts(rng)
        self.timeline_data = {tid: self._timeline(rng, tid, k) for k, tid in enumerate(self.timelines)}
        # The weapon of the one-fact edit is boxed by exactly 50 briefings.
        boxed = set(rng.sample(range(n), min(FACT_WEAPON_SHOWN_BY, n)))
        self.briefings = [self._briefing(rng, i, i in boxed) for i in range(n)]

    # -- facts ---------------------------------------------------------------
    def _facts(self, rng: random.Random) -> dict[str, dict]:
        weapons = {}
        for i, wid in enumerate(self.weapons):
            weapons[wid] = {
                "name": {"en": f"Weapon {i}", "ru": f"Оружие {i}"},
                "class": CLASSES[i % len(CLASSES)],
                "origin": COUNTRIES[i % len(COUNTRIES)],
                "range_km": 50 + (i * 37) % 1950,
                "summary": {"en": _sentence(rng, EN_WORDS, 18), "ru": _sentence(rng, RU_WORDS, 16)},
                "sources": rng.sample(self.sources, 2),
                "status": STATUSES[i % len(STATUSES)],
            }
        people = {pid: {"name": {"en": f"Person {i}", "ru": f"Персона {i}"},
                        "role": {"en": "Deputy minister of defence", "ru": "Заместитель министра обороны"},
                        "country": COUNTRIES[i % len(COUNTRIES)]} for i, pid in enumerate(self.people)}
        orgs = {oid: {"name": {"en": f"Organisation {i}", "ru": f"Организация {i}"},
                      "kind": ORG_KINDS[i % len(ORG_KINDS)], "country": COUNTRIES[i % len(COUNTRIES)],
                      "url": f"https://org{i}.example.com/"} for i, oid in enumerate(self.orgs)}
        topics = {tid: {"name": {"en": f"Topic {i}", "ru": f"Тема {i}"},
                        "description": {"en": _sentence(rng, EN_WORDS, 12), "ru": _sentence(rng, RU_WORDS, 11)}}
                  for i, tid in enumerate(self.topics)}
        sources = {}
        for i, sid in enumerate(self.sources):
            sources[sid] = {
                "publisher": self.orgs[i % len(self.orgs)] if i % 3 == 0 else f"Publisher {i % 17}",
                "title": {"en": _sentence(rng, EN_WORDS, 8), "ru": _sentence(rng, RU_WORDS, 7)},
                "url": f"https://news.example.com/{i}",
                "date": dt.date(2022, 1 + i % 12, 1 + i % 28),
            }
        return {"weapons": weapons, "people": people, "organizations": orgs, "topics": topics, "sources": sources}

    def _timeline(self, rng: random.Random, tid: str, k: int) -> dict:
        events = []
        for j in range(self.sizes.events_per_timeline):
            ents = rng.sample(self.weapons + self.orgs, 2)
            precision = j % 3
            date = f"{2020 + j % 4}" if precision == 0 else f"{2020 + j % 4}-{1 + j % 12:02d}" if precision == 1 else dt.date(2020 + j % 4, 1 + j % 12, 1 + j % 27)
            events.append({
                "date": date,
                "title": {"en": _sentence(rng, EN_WORDS, 7), "ru": _sentence(rng, RU_WORDS, 6)},
                "text": {"en": _sentence(rng, EN_WORDS, 10) + f" [[{ents[0]}]].", "ru": _sentence(rng, RU_WORDS, 9) + f" [[{ents[0]}]]."},
                "entities": ents,
                "quantities": {rng.choice(self.weapons): 1 + rng.randrange(300)},
                "sources": rng.sample(self.sources, 1),
                "status": STATUSES[j % len(STATUSES)],
            })
        return {"title": {"en": f"Timeline {k}", "ru": f"Хроника {k}"}, "events": events}

    # -- briefings -------------------------------------------------------------
    def _briefing(self, rng: random.Random, i: int, boxes_fact_weapon: bool) -> dict:
        others = self.weapons[1:]
        boxed = FACT_WEAPON if boxes_fact_weapon else rng.choice(others)
        linked = rng.sample(others, 3) + rng.sample(self.people, 1) + rng.sample(self.orgs, 1)
        day = i % 28 + 1
        month = (i // 28) % 12 + 1
        year = 2019 + (i // 336) % 6
        hour = i % 24
        paragraphs = []
        for p in range(self.paragraphs):
            paragraphs.append((rng.randrange(60, 110), linked[p % len(linked)]))
        return {
            "slug": f"briefing-{i:05d}",
            "date": dt.datetime(year, month, day, hour, i % 60, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            "topics": rng.sample(self.topics, 2),
            "timeline": self.timelines[i % len(self.timelines)] if i % 10 == 0 else None,
            "boxed": boxed,
            "paragraphs": paragraphs,
            "seed": rng.randrange(1 << 30),
            "bilingual": i % 20 != 7,  # one in twenty is in English only
            "title_words": rng.randrange(6, 11),
        }

    def texts(self, b: dict, lang: str) -> tuple[str, str, list[tuple[str, str]]]:
        """(title, summary, [(paragraph text, linked id)]) of a briefing in one language."""
        rng = random.Random(b["seed"] * 2 + (lang == "ru"))
        words = EN_WORDS if lang == "en" else RU_WORDS
        number = int(b["slug"].rsplit("-", 1)[1])
        title = (f"Briefing {number}: " if lang == "en" else f"Брифинг {number}: ") + _sentence(rng, words, b["title_words"]).rstrip(".")
        summary = _sentence(rng, words, 25)
        paragraphs = [(_paragraph(rng, words, count), linked) for count, linked in b["paragraphs"]]
        return title, summary, paragraphs


def _sentence(rng: random.Random, words, count: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(count))
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words, count: int) -> str:
    sentences, left = [], count
    while left > 0:
        n = min(left, rng.randrange(8, 16))
        sentences.append(_sentence(rng, words, n))
        left -= n
    return " ".join(sentences)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _plain_dates(data):
    """Dates as ISO text (Hugo sorts events by date; mixed types would not sort)."""
    if isinstance(data, dict):
        return {k: _plain_dates(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain_dates(v) for v in data]
    return data.isoformat() if isinstance(data, (dt.date, dt.datetime)) else data


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- our format ----------------------------------------------------------------
def briefing_markdown(corpus: Corpus, b: dict, lang: str, link) -> tuple[str, str, str]:
    """Front matter fields and body shared by both layouts; ``link(kind, id, text)`` writes an embed."""
    title, summary, paragraphs = corpus.texts(b, lang)
    parts = []
    for k, (text, linked) in enumerate(paragraphs):
        words = text.split(" ")
        # an inline entity link in the middle of every paragraph
        words.insert(len(words) // 2, link("link", linked, None))
        parts.append(" ".join(words))
        if k == 0:
            parts.append(link("factbox", b["boxed"], None))
        if k == 2:
            parts.append("## " + ("Background" if lang == "en" else "Предыстория"))
        if k == 3:
            parts.append("| " + ("Item | Count" if lang == "en" else "Позиция | Количество") + " |\n|---|---:|\n" +
                         "\n".join(f"| {link('link', w, None)} | {n} |" for w, n in ((b["boxed"], 12), (linked, 40))))
    return title, summary, "\n\n".join(parts) + "\n"


SHARE_CARD = "share-card"  # the site's social image (site.yaml social_image): see write_briefing_site


def write_briefing_site(corpus: Corpus, root: Path, drawn_cards: bool = False) -> Path:
    """Write the corpus in our content format under ``root`` (a site root).

    The site names a social image of its own (``social_image``), as Hugo's
    sites do for their pages: like Hugo, the build then draws no picture per
    page. ``drawn_cards``: without it, so that the build draws a social card
    for every briefing page (the default of a site that names none).
    """
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    site = {
        "title": {"en": "Arms Transfer Briefings", "ru": "Брифинги о поставках оружия"},
        "base_url": "https://briefings.example.org/", "languages": ["en", "ru"], "timezone": "Europe/Moscow",
    }
    if not drawn_cards:
        site["social_image"] = SHARE_CARD
        _share_card(content)
    _write(content / "site.yaml", _dump(site))
    for kind, records in corpus.facts.items():
        _write(content / "facts" / f"{kind}.yaml", _dump(records))
    for tid, data in corpus.timeline_data.items():
        _write(content / "timelines" / f"{tid}.yaml", _dump(data))

    def link(kind, ident, text):
        return f"[[{kind}:{ident}]]" if kind != "link" else f"[[{ident}]]"

    for b in corpus.briefings:
        for lang in ("en", "ru") if b["bilingual"] else ("en",):
            title, summary, body = briefing_markdown(corpus, b, lang, link)
            front = {"title": title, "summary": summary, "date": b["date"], "authors": ["Editorial desk"], "topics": b["topics"]}
            if b["timeline"]:
                front["timeline"] = b["timeline"]
            _write(content / "briefings" / b["slug"] / f"{lang}.md", "---\n" + _dump(front) + "---\n\n" + body)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def _share_card(content: Path) -> None:
    """The site's share picture (1200 x 630, drawn: the same bytes every time) and its record."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 630), (255, 253, 249))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 1200, 14), fill=(155, 28, 28))
    for i in range(12):
        draw.ellipse((100 + 80 * i, 250, 160 + 80 * i, 310), fill=(26, 26, 26))
    (content / "images").mkdir(parents=True, exist_ok=True)
    picture.save(content / "images" / f"{SHARE_CARD}.png")
    _write(content / "facts" / "images.yaml", _dump({SHARE_CARD: {
        "file": f"{SHARE_CARD}.png", "alt": {"en": "The briefings' emblem", "ru": "Эмблема брифингов"},
        "credit": "Briefings desk"}}))


# -- Hugo's layout ---------------------------------------------------------------
HUGO_CONFIG = """baseURL = "https://briefings.example.org/"
title = "Arms Transfer Briefings"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
enableRobotsTXT = true
[languages.en]
languageName = "English"
weight = 1
title = "Arms Transfer Briefings"
[languages.ru]
languageName = "Русский"
weight = 2
title = "Брифинги о поставках оружия"
[taxonomies]
topic = "topics"
weapon = "weapons"
person = "people"
organization = "organizations"
[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html"]
[markup.goldmark.renderer]
unsafe = false
[markup.goldmark.extensions]
footnote = true
table = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<link rel="stylesheet" href="{{ "css/style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">{{ T "skip" }}</a>
<header class="site-header"><div class="wrap header-row">
<a class="site-title" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav class="language-switcher" aria-label="{{ T "language" }}"><ul>
<li><span class="current-language" aria-current="true">{{ .Site.Language.LanguageName }}</span></li>
{{ range .Translations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}" rel="alternate">{{ .Language.LanguageName }}</a></li>{{ end }}
</ul></nav></div></header>
<main id="main" class="wrap">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><div class="wrap"><p><a href="{{ "index.xml" | relLangURL }}">{{ T "feed" }}</a></p></div></footer>
</body>
</html>
""",
    "single.html": """{{ define "main" }}
<article class="briefing">
<header class="briefing-header">
{{ with .GetTerms "topics" }}<p class="kicker">{{ range $i, $t := . }}{{ if $i }} · {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="lede">{{ . }}</p>{{ end }}
<p class="meta">{{ with .Params.authors }}<span class="authors">{{ delimit . ", " }}</span> · {{ end }}<time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date | time.Format ":date_long" }}</time></p>
</header>
<div class="briefing-body">
{{ .Content }}
</div>
{{ with .Params.timeline }}{{ partial "timeline.html" (dict "id" . "page" $) }}{{ end }}
</article>
{{ end }}
""",
    "list.html": """{{ define "main" }}
<h1 class="page-title">{{ .Title }}</h1>
{{ partial "briefing_list.html" .Pages }}
{{ end }}
""",
    "home.html": """{{ define "main" }}
<h1 class="page-title">{{ T "latest" }}</h1>
{{ partial "briefing_list.html" (where .Site.RegularPages "Section" "briefings") }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
<h1 class="page-title">{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}
{{ $kind := .Data.Plural }}{{ $id := .Data.Term }}
<article class="entity-page">
<p class="kicker">{{ $kind }}</p>
{{ $item := index hugo.Data $kind $id }}
{{ with $item }}<h1>{{ index .name $.Site.Language.Lang }}</h1>
{{ if eq $kind "weapons" }}{{ partial "factbox.html" (dict "id" $id "page" $) }}{{ end }}{{ else }}<h1>{{ $id }}</h1>{{ end }}
<section class="mentions"><h2>{{ T "mentions" }}</h2>
{{ partial "briefing_list.html" .Pages }}
</section>
</article>
{{ end }}
""",
    "timelines/single.html": """{{ define "main" }}
{{ partial "timeline.html" (dict "id" .Params.timeline_id "page" $) }}
{{ end }}
""",
    "_partials/briefing_list.html": """<ol class="briefing-list">
{{ range . }}<li class="briefing-item"><article>
<h2 class="briefing-item-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date | time.Format ":date_long" }}</time></p>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
</article></li>
{{ end }}</ol>
""",
    "_partials/factbox.html": """{{ $lang := .page.Site.Language.Lang }}{{ $w := index hugo.Data.weapons .id }}
<aside class="factbox factbox-weapons">
<p class="factbox-kind">{{ T "weapon" }}</p>
<h2 class="factbox-title"><a href="{{ printf "weapons/%s/" .id | relLangURL }}">{{ index $w.name $lang }}</a></h2>
<dl class="facts">
<div><dt>{{ T "class" }}</dt><dd>{{ $w.class }}</dd></div>
<div><dt>{{ T "origin" }}</dt><dd>{{ $w.origin }}</dd></div>
<div><dt>{{ T "range" }}</dt><dd class="range">{{ lang.FormatNumber 0 $w.range_km }} {{ T "km" }}</dd></div>
<div><dt>{{ T "status" }}</dt><dd>{{ $w.status }}</dd></div>
</dl>
<p class="factbox-summary">{{ index $w.summary $lang }}</p>
<div class="factbox-sources"><ul>{{ range $w.sources }}{{ $s := index hugo.Data.sources . }}<li><a href="{{ $s.url }}">{{ index $s.title $lang }}</a>, {{ $s.publisher }}</li>{{ end }}</ul></div>
</aside>
""",
    "_partials/timeline.html": """{{ $lang := .page.Site.Language.Lang }}{{ $t := index hugo.Data.timelines .id }}
<section class="timeline" id="timeline-{{ .id }}">
<h2 class="timeline-title"><a href="{{ printf "timelines/%s/" .id | relLangURL }}">{{ index $t.title $lang }}</a></h2>
<ol class="timeline-events">
{{ range sort $t.events "date" }}<li class="event event-{{ .status }}">
<p class="event-date"><time>{{ .date }}</time></p>
<div class="event-body"><h3 class="event-title">{{ index .title $lang }}</h3>
<p class="event-text">{{ index .text $lang | markdownify }}</p>
<ul class="event-quantities">{{ range $k, $v := .quantities }}<li><a href="{{ printf "weapons/%s/" $k | relLangURL }}">{{ with index hugo.Data.weapons $k }}{{ index .name $lang }}{{ end }}</a>: {{ lang.FormatNumber 0 $v }}</li>{{ end }}</ul>
</div></li>
{{ end }}</ol>
</section>
""",
    "_shortcodes/factbox.html": """{{ partial "factbox.html" (dict "id" (.Get 0) "page" .Page) }}""",
    "_shortcodes/timeline.html": """{{ partial "timeline.html" (dict "id" (.Get 0) "page" .Page) }}""",
    "_shortcodes/e.html": """{{ $id := .Get 0 }}{{ $lang := .Page.Site.Language.Lang }}{{ $kind := "weapons" }}{{ if hasPrefix $id "p-" }}{{ $kind = "people" }}{{ else if hasPrefix $id "o-" }}{{ $kind = "organizations" }}{{ end }}<a class="entity-link" href="{{ printf "%s/%s/" $kind $id | relLangURL }}">{{ with index hugo.Data $kind $id }}{{ index .name $lang }}{{ end }}</a>""",
}

HUGO_I18N = {
    "en": {"skip": "Skip to content", "language": "Language", "feed": "Atom feed", "latest": "Latest briefings",
           "mentions": "Briefings that mention it", "weapon": "Weapon", "class": "Class", "origin": "Origin",
           "range": "Range", "km": "km", "status": "Status"},
    "ru": {"skip": "Перейти к содержанию", "language": "Язык", "feed": "Лента Atom", "latest": "Последние брифинги",
           "mentions": "Брифинги, где это упоминается", "weapon": "Оружие", "class": "Класс", "origin": "Происхождение",
           "range": "Дальность", "km": "км", "status": "Статус"},
}


def write_hugo_site(corpus: Corpus, root: Path) -> Path:
    """Write the same corpus in Hugo's layout under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    _write(root / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    for lang, strings in HUGO_I18N.items():
        _write(root / "i18n" / f"{lang}.yaml", _dump(strings))
    _write(root / "static" / "css" / "style.css", (REPO / "templates" / "assets" / "style.css").read_text(encoding="utf-8"))
    for kind, records in corpus.facts.items():
        _write(root / "data" / f"{kind}.yaml", _dump(_plain_dates(records)))
    for tid, data in corpus.timeline_data.items():
        _write(root / "data" / "timelines" / f"{tid}.yaml", _dump(_plain_dates(data)))
        for lang in ("en", "ru"):
            _write(root / "content" / "timelines" / tid / f"index.{lang}.md",
                   "---\n" + _dump({"title": data["title"][lang], "timeline_id": tid}) + "---\n")

    def link(kind, ident, text):
        if kind == "factbox":
            return '{{< factbox "%s" >}}' % ident
        if kind == "timeline":
            return '{{< timeline "%s" >}}' % ident
        return '{{< e "%s" >}}' % ident

    for b in corpus.briefings:
        for lang in ("en", "ru") if b["bilingual"] else ("en",):
            title, summary, body = briefing_markdown(corpus, b, lang, link)
            _, _, paragraphs = corpus.texts(b, lang)
            mentioned = sorted({b["boxed"]} | {linked for _, linked in paragraphs})
            front = {"title": title, "summary": summary, "date": b["date"].isoformat(), "authors": ["Editorial desk"], "topics": b["topics"],
                     "weapons": [m for m in mentioned if m.startswith("w-")], "people": [m for m in mentioned if m.startswith("p-")],
                     "organizations": [m for m in mentioned if m.startswith("o-")]}
            if b["timeline"]:
                front["timeline"] = b["timeline"]
            _write(root / "content" / "briefings" / b["slug"] / f"index.{lang}.md", "---\n" + _dump(front) + "---\n\n" + body)
    return root
