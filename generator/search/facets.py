"""Filters of the search page (kind of page, topic) as words of the index.

Pagefind's own filters (``data-pagefind-filter``) would be the natural way,
but Pagefind 1.5.2 (the latest release) writes a filter's values, and the
list of filters and sort keys in its metadata file, in a different order
on every run: two builds of the same pages would differ (fixed upstream
after 1.5.2, in "completion of deterministic output", #1124, not released).
So each indexed page carries, in a metadata field of its own
(``data-pagefind-meta="facets:..."``, which Pagefind 1.5 searches like the
text), one word per filter value it has: its kind, and each of its topics.
A filtered search adds those words to the query (Pagefind finds the pages
that hold every word), and the search page gives the field no weight in
the ranking (``ranking.metaWeights``), so the results and their order are
the query's. The only sort key is ``date``: one key keeps the metadata file
the same from run to run.

A word is ``zq`` + 12 letters (a hash of the value) + ``zq``: letters only
(Pagefind splits words on hyphens and digits would be indexed apart), all of
one length (no word is the start of another, which matters because Pagefind
matches the last word of a query as a prefix), and no stemmer alters its
ending.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def facet_word(kind: str, ident: str) -> str:
    """The word of one filter value: ``facet_word("kind", "briefings")``, ``facet_word("topic", "russia-iran")``."""
    digest = hashlib.blake2b(f"{kind}\0{ident}".encode("utf-8"), digest_size=6).hexdigest()
    return "zq" + digest.translate(_LETTERS) + "zq"


def facet_words(kind: str, topics: Iterable[str] = ()) -> str:
    """The facet words of a page of ``kind`` (a section: "briefings", "weapons", ...) about ``topics``."""
    return " ".join([facet_word("kind", kind), *(facet_word("topic", topic) for topic in topics)])
