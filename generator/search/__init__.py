"""Search: a Pagefind index per language, the search page, and keeping the index up to date.

- ``index.py``: Pagefind (its Python API) over the built HTML pages of each
  language, returned as files (path -> bytes) for the build's one writer.
- ``page.py``: the page kind of ``/<lang>/search/`` (its UI strings come
  from the catalogues; ``templates/assets/search.js`` runs it).
- ``step.py``: the build's step: which languages need a new index, the
  HTML of every page (rendered now or read from the output), the index
  files staged for the commit.
- ``preview.py``: ``briefing serve`` updates the index in the background,
  off the save-to-reload path.
"""
