"""The filter words of the search index (generator/search/facets.py)."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from generator.search.facets import facet_word, facet_words

IDS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@given(kind=st.sampled_from(["kind", "topic"]), ident=IDS)
def test_a_word_is_letters_only_of_one_length_and_ends_as_no_stemmer_would_cut(kind, ident):
    word = facet_word(kind, ident)
    # Letters only: Pagefind splits words at hyphens and other marks.
    assert re.fullmatch(r"zq[a-p]{12}zq", word), word


def test_values_get_different_words_and_none_starts_another():
    values = [("kind", k) for k in ("briefings", "weapons", "people", "organizations", "topics", "timelines", "pages")]
    values += [("topic", t) for t in ("russia-iran", "russia", "iran", "a", "a-b", "ab", "russia-iran-2")]
    words = [facet_word(*value) for value in values]
    assert len(set(words)) == len(words)
    # Pagefind takes the last word of a query as the start of a word: no filter word may start another.
    for one, other in itertools.permutations(words, 2):
        assert not other.startswith(one)


def test_the_same_value_always_has_the_same_word():
    assert facet_word("topic", "russia-iran") == facet_word("topic", "russia-iran")
    assert facet_word("topic", "pages") != facet_word("kind", "pages")  # a topic may share a kind's name


def test_a_page_holds_the_word_of_its_kind_then_of_each_topic():
    assert facet_words("briefings", ["unmanned", "missiles"]).split() == [
        facet_word("kind", "briefings"), facet_word("topic", "unmanned"), facet_word("topic", "missiles")]
    assert facet_words("weapons") == facet_word("kind", "weapons")
