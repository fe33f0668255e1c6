"""``briefing serve``: the live-reloading preview."""
