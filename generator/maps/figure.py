"""What a page shows of a range map, in one language: the SVG, its title, the text alternative and a note.

The geometry is made once per process for every language (``geometry.py``,
``borders.reached``); the words and the labels are made per language. The
page's template (``partials/rangemap.html``) lays them out. Every record is
read through the tracked site, so a page that shows a map depends on the
weapon, on each place and on the border data (``("maps", "data")``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..cache import deps
from ..content.model import MapRef
from ..render.l10n import Formatter
from . import alternative, borders, svg
from .geometry import map_geometry
from .labels import Layout, country_labels, place_labels, range_label, text_width

DATA_TOKEN = ("maps", "data")


@dataclass(frozen=True)
class Figure:
    anchor: str  # the figure's id in its page
    svg: Markup
    title: str
    reach: tuple[str, ...]  # one sentence per place: the countries its ring reaches
    note: str


def figure(site: deps.SiteView, fmt: Formatter, ref: MapRef) -> Figure:
    deps.use(DATA_TOKEN)
    weapon = site.entities[ref.weapon]
    places = [site.places[place_id] for place_id in ref.places]
    lang = fmt.lang
    range_km = weapon.range_km
    range_m = float(range_km) * 1000.0
    geometry = map_geometry(tuple((p.lat, p.lon) for p in places), range_m)
    names = [p.name.get(lang) for p in places]
    reached = [borders.reached(p.lat, p.lon, range_m) for p in places]
    sentences = tuple(alternative.reach(fmt, name, range_km, codes) for name, codes in zip(names, reached))
    title = alternative.title(fmt, weapon.name.get(lang), range_km, names)

    scale_text = fmt.kilometres(_km(svg.nice_length(geometry.metres_per_unit, geometry.width)))
    scale_length, scale_room = svg.scale_box(geometry, scale_text, text_width)
    layout = Layout(geometry, scale_room)
    place_labels(layout, names)
    range_label(layout, fmt.kilometres(range_km))
    country_labels(layout, {land.code: fmt.country(land.code) for land in geometry.land if land.code},
                   {code for codes in reached for code in codes})
    drawing = svg.draw(geometry, title, " ".join(sentences), layout.labels, scale_length, scale_text)
    return Figure(ref.anchor, Markup(drawing), title, sentences, alternative.note(fmt, names[0]))


def _km(metres: float) -> float | int:
    """Kilometres as a round number is written (200, not 200.0; 0.5 stays)."""
    km = metres / 1000.0
    return int(km) if km == int(km) else km
