"""Render: every page of the site in memory, per language (Jinja2 templates, Markdown, Babel).

``pages`` plans the output files and renders each on demand; ``markup`` turns
Markdown into HTML; ``metadata``, ``l10n``, ``catalog`` and ``urls`` give the
pages their metadata, CLDR formatting, UI strings and addresses.
"""
