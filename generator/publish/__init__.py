"""``briefing publish``: a built site put on static hosting (a git branch or a folder)."""
