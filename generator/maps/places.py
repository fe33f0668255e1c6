"""Model stage for ``content/facts/places.yaml``: each record read into a :class:`~generator.content.model.Place`.

A place is a name, a point (latitude, longitude in degrees on WGS84) and,
optionally, the country it is in. Its id is a fact id (unique across every
fact file); it has no page of its own, so ``[[tehran]]`` is not a link.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..content.errors import Problems
from ..content.facts import countries
from ..content.fields import Fields, mapping_records, shown
from ..content.model import STATUSES, Place, SiteConfig
from ..content.refs import Refs
from ..content.yamlsafe import PosDict

PLACE_FIELDS = ("name", "coords", "country", "status", "sources")

COORDS_HINT = "write [latitude, longitude] in degrees, such as [35.6892, 51.3890] (north and east are positive)"


def resolve_places(raw_file, config: SiteConfig, problems: Problems, refs: Refs) -> dict[str, Place]:
    """Every valid record of a places file (the ids of ``raw_file.data`` are checked by the caller)."""
    result: dict[str, Place] = {}
    for place_id, record, line in mapping_records(raw_file, "place", "name, coords, country", problems):
        place = resolve_place(place_id, record, raw_file.path, config, problems, refs, line)
        if place is not None:
            result[place_id] = place
    return result


def resolve_place(place_id: str, record: PosDict, path: Path, config: SiteConfig, problems: Problems, refs: Refs,
                  line: int) -> Place | None:
    what = f"place '{place_id}'"
    fields = Fields(record, path, problems, config.languages, what, line)
    fields.check_known(PLACE_FIELDS)
    name = fields.text("name", required=True)
    coords = _coords(fields)
    country = fields.string("country")
    if country is not None and country.upper() not in countries():
        fields.error("country", f"'country' must be a two-letter country code (ISO 3166-1) such as IR or RU, not '{country}'")
        country = None
    status = fields.choice("status", STATUSES, "reported")
    sources = fields.ids("sources")
    for source_id, source_line in sources:
        refs.add(path, source_line, source_id, ("sources",), f"the sources of {what}")
    if name is None or coords is None:
        return None
    return Place(place_id, name, coords[0], coords[1], country.upper() if country else None, status,
                 tuple(i for i, _ in sources), problems.rel(path), record.line)


def _coords(fields: Fields) -> tuple[float, float] | None:
    """``coords: [latitude, longitude]``, each a number in its range."""
    if not fields.present("coords"):
        fields._missing("coords", True)
        return None
    value = fields.data["coords"]
    if not isinstance(value, list) or len(value) != 2:
        fields.error("coords", f"'coords' must be two numbers, not {shown(value)}: {COORDS_HINT}")
        return None
    numbers = [v for v in value if not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)]
    if len(numbers) != 2:
        fields.error("coords", f"'coords' must be two numbers, not {shown(value)}: {COORDS_HINT}")
        return None
    lat, lon = (float(v) for v in numbers)
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        swapped = " (is the longitude written first?)" if abs(lat) > 90 and abs(lon) <= 90 else ""
        fields.error("coords", f"'coords' [{_plain(lat)}, {_plain(lon)}] is out of range{swapped}: latitude is -90 to 90 "
                               f"and longitude -180 to 180; {COORDS_HINT}")
        return None
    return lat, lon


def _plain(value: float) -> str:
    return f"{value:g}"
