"""Which fact tables the site has, and their records as the pages read them (through the tracked view).

The fact files a site has become ``/data/<table>.json``: the entity kinds (weapons, people,
organisations, topics, and any kind a later fact file adds to ``site.entities``), the sources, and
the model's further tables kept beside the entities. The four the contract names also become CSV.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..content.model import ENTITY_KINDS

CSV_TABLES = ("weapons", "people", "organizations", "sources")

# Fact tables the model keeps outside ``site.entities``, each exported when the model has it: a
# ``Site`` field of that name (id -> record), read by pages through a ``TrackedMapping`` of the same
# name on ``deps.SiteView``: ``site.places`` (places.yaml) and ``site.images`` (images.yaml: the
# records a published page shows) become /data/places.json and /data/images.json with nothing more
# to do here. A kind of entity is found in ``site.entities`` by its kind instead.
FURTHER_TABLES = ("places", "images")


def table_names(site) -> list[str]:
    """The tables of ``site`` (the plain model: planning reads it untracked), in a fixed order."""
    kinds = {entity.kind for entity in site.entities.values()}
    names = list(ENTITY_KINDS) + sorted(kinds - set(ENTITY_KINDS)) + ["sources"]
    names += [name for name in FURTHER_TABLES if name not in names and isinstance(getattr(site, name, None), Mapping)]
    return names


def records(site, name: str) -> list:
    """The records of table ``name`` in id order, read through the tracked view ``site``."""
    if name == "sources":
        table = site.sources
    elif name in FURTHER_TABLES and isinstance(getattr(site.untracked, name, None), Mapping):
        # A table of the model beside the entities: read through its TrackedMapping on the view, so
        # the file is made again when the table changes. A view without it would be a stale file.
        table = getattr(site, name, None)
        if not isinstance(table, Mapping):
            raise TypeError(f"the model has a '{name}' table but deps.SiteView does not: add a TrackedMapping for it there")
    else:
        table = {entity_id: entity for entity_id, entity in site.entities.items() if entity.kind == name}
    return [table[record_id] for record_id in sorted(table)]
