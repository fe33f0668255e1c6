"""``[[map:<weapon-id>@<place-id>,<place-id>]]``: what it names, and the checks that need the whole site.

The syntax is read with the rest of a body (``content/documents.py``); its
ids are checked like every other id (``refs.py``). What only the records can
tell (a weapon without ``range_km``, places too far apart for one map) is
checked once every record is known (:func:`check_maps`, from
``content/resolve.py``), on every build: a cached briefing is checked
against today's weapons and places.
"""

from __future__ import annotations

from ..content import embeds
from ..content.errors import Problem, Problems
from ..content.ids import ID_RULE, is_id
from ..content.model import Document, Entity, MapRef, Place, Weapon

SYNTAX = "[[map:<weapon-id>@<place-id>]], with places separated by commas: [[map:zolfaghar@tehran,tabriz]]"

# A map reaches at most this far from its first place (the distance to a place plus the range):
# beyond it the view would hold more than a hemisphere, where the projection no longer reads as a map.
MAX_REACH_KM = 10_000


def parse(target: str) -> tuple[MapRef | None, list[str]]:
    """The map ``[[map:target]]`` names, or the problems of its syntax (ids are checked elsewhere)."""
    weapon, at, rest = target.partition("@")
    weapon = weapon.strip()
    if not at:
        return None, [f"[[map:{target}]] names no place: write {SYNTAX}"]
    places = [p.strip() for p in rest.split(",")]
    problems = []
    if not weapon:
        problems.append(f"[[map:{target}]] names no weapon before '@': write {SYNTAX}")
    if any(not p for p in places):
        problems.append(f"[[map:{target}]] has an empty place id: write {SYNTAX}")
    for ident in [weapon] + places:
        if ident and not is_id(ident):
            problems.append(f"'{ident}' in [[map:{target}]] is not a valid id: use {ID_RULE}")
    seen = set()
    for place in places:
        if place and place in seen:
            problems.append(f"place '{place}' is named twice in [[map:{target}]]: name each place once")
        seen.add(place)
    if problems:
        return None, problems
    return MapRef(weapon, tuple(places)), []


def check_maps(documents, entities: dict[str, Entity], places: dict[str, Place], problems: Problems) -> None:
    """Every map of every document and weapon page: a weapon with a range, places close enough for one map.

    Unknown ids are left to ``refs.py`` (reported once, there).
    """
    for doc in documents:
        for ref in doc.maps:
            message = _problem(ref, entities, places, f"[[map:{_written(ref)}]]")
            if message is not None:
                problems.items.append(Problem(doc.path, _line_of(doc, ref), message))
    for entity in entities.values():
        if isinstance(entity, Weapon) and entity.based_at and entity.range_km is not None:
            message = _problem(MapRef(entity.id, entity.based_at), entities, places, "'based_at'")
            if message is not None:
                problems.items.append(Problem(entity.path, entity.line, message))


def _problem(ref: MapRef, entities: dict[str, Entity], places: dict[str, Place], what: str) -> str | None:
    weapon = entities.get(ref.weapon)
    found = [places.get(p) for p in ref.places]
    if not isinstance(weapon, Weapon) or None in found:
        return None
    if weapon.range_km is None:
        return (f"weapon '{ref.weapon}' in {what} has no 'range_km': a range map draws it, "
                f"so add 'range_km: <kilometres>' to its record in {weapon.path}")
    first = found[0]
    farthest = weapon.range_km
    if len(found) > 1:
        from .geodesy import distance_m  # pyproj: imported for a map of several places only (it takes a while)

        farthest += max(distance_m(first.lat, first.lon, p.lat, p.lon) for p in found) / 1000.0
    if farthest > MAX_REACH_KM and len(found) == 1:
        return (f"{what} would reach {farthest:,.0f} km from '{first.id}': a range map shows at most {MAX_REACH_KM:,} km "
                f"around its place, so a range of weapon '{ref.weapon}' that long cannot be mapped")
    if farthest > MAX_REACH_KM:
        return (f"{what} would reach {farthest:,.0f} km from '{first.id}' (its first place): a range map shows at most "
                f"{MAX_REACH_KM:,} km from its first place; name places closer together, or fewer of them")
    return None


def _written(ref: MapRef) -> str:
    return f"{ref.weapon}@{','.join(ref.places)}"


def _line_of(doc: Document, ref: MapRef) -> int | None:
    """The line of the map in the document's body (read again: a model record keeps no lines of its embeds)."""
    found, _ = embeds.scan(doc.body, doc.body_line)
    for item in found:
        if item.kind == "map":
            parsed, _ = parse(item.target)
            if parsed == ref:
                return item.line
    return None
