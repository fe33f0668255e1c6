"""Which briefings and timeline events mention each entity (the lists of its page)."""

from __future__ import annotations

from ..cache import deps
from ..content.model import DocumentGroup, Site


class Mentions:
    """Which briefings and timeline events mention each entity."""

    def __init__(self, site: "Site | deps.SiteView"):
        site = site.untracked if isinstance(site, deps.SiteView) else site  # indexed outside any page: no use
        self.briefings: dict[str, list[DocumentGroup]] = {}
        self.events: dict[str, list] = {}
        for group in site.briefings:
            # A topic both linked inline and listed in `topics` counts once.
            ids = dict.fromkeys(i for _, doc in group.translations for i in doc.mentions + doc.topics)
            for entity_id in ids:
                self.briefings.setdefault(entity_id, []).append(group)
        for timeline in sorted(site.timelines.values(), key=lambda t: t.id):
            for event in timeline.events:
                for entity_id in event.mentioned:
                    self.events.setdefault(entity_id, []).append(event)
        for events in self.events.values():
            events.sort(key=lambda e: (e.date.first_day, e.timeline, e.index))
        # Looked up by the pages: each lookup is a use of ("mentions", id).
        self.briefings = deps.TrackedMapping("mentions", self.briefings)
        self.events = deps.TrackedMapping("mentions", self.events)
