"""The site's own terms: ``vocabularies:`` in site.yaml, read field by field.

Weapon classes and organisation kinds come with built-in labels (the UI
catalogue, ``labels.py``). A newsroom that needs a term of its own
("industrial zone", "glide bomb") declares it in site.yaml with a label per
language, and records may then use it like a built-in one:

    vocabularies:
      organization_kinds:
        industrial-zone: {en: Industrial zone, ru: Промышленная зона}
      weapon_classes:
        glide-bomb: {en: Glide bomb, ru: Планирующая бомба}

A label follows the rules of every localised value (``fields.read_text``):
the default language is required, another missing language falls back to
it with a missing-translation warning.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problems, plain
from .fields import Fields, read_text, type_name
from .ids import ID_RULE, is_id
from .model import ORGANIZATION_KINDS, WEAPON_CLASSES, Text, Vocabularies
from .yamlsafe import PosDict

# Each vocabulary: its key under ``vocabularies:``, what one term is called in messages, the built-in terms.
VOCABULARIES = {
    "organization_kinds": ("organisation kind", ORGANIZATION_KINDS),
    "weapon_classes": ("weapon class", WEAPON_CLASSES),
}

_EXAMPLE = "such as 'weapon_classes: {glide-bomb: {en: Glide bomb, ru: Планирующая бомба}}'"


def read_vocabularies(fields: Fields) -> Vocabularies:
    """The ``vocabularies`` field of site.yaml (empty when absent); problems go to ``fields.problems``.

    A term whose label is wrong is still known (its label is reported), so
    the records that use it are not reported a second time.
    """
    if not fields.present("vocabularies"):
        return Vocabularies()
    data = fields.data["vocabularies"]
    if not isinstance(data, PosDict):
        fields.error("vocabularies", f"'vocabularies' must be a mapping of organization_kinds and weapon_classes, "
                                     f"each mapping a term to its labels, not {type_name(data)} ({_EXAMPLE})")
        return Vocabularies()
    inner = Fields(data, fields.path, fields.problems, fields.languages, "'vocabularies'", fields.line("vocabularies"))
    inner.check_known(tuple(VOCABULARIES))
    found = {}
    for name, (word, builtin) in VOCABULARIES.items():
        if inner.present(name):
            found[name] = _terms(name, word, builtin, data, fields.path, fields.problems, fields.languages)
    return Vocabularies(**found)


def _terms(name: str, word: str, builtin: tuple[str, ...], data: PosDict, path: Path, problems: Problems,
           languages: tuple[str, ...]) -> tuple[tuple[str, Text], ...]:
    terms = data[name]
    if not isinstance(terms, PosDict):
        problems.error(path, data.line_of(name), f"'{name}' in 'vocabularies' must map each term to its labels, "
                                                 f"not {type_name(terms)} ({_EXAMPLE})")
        return ()
    result = []
    for term, label in terms.items():
        line = terms.line_of(term)
        if not is_id(term):
            problems.error(path, line, f"'{plain(term)}' in vocabularies: {name} is not a valid id: use {ID_RULE}")
            continue
        if term in builtin:
            problems.error(path, line, f"'{term}' is a built-in {word} already, with its own label: "
                                       f"remove it from vocabularies: {name}, or give your term another id")
            continue
        text = read_text(label, path, terms.value_line(term), problems, languages, f"the label of {word} '{term}' in vocabularies")
        result.append((term, text or _stand_in(term, languages)))
    return tuple(result)


def _stand_in(term: str, languages: tuple[str, ...]) -> Text:
    # For a term whose label is in error (the build stops on that error anyway).
    return Text.same(term, languages) if languages else Text((("", term),), "")


def salvaged_vocabularies(data: object) -> Vocabularies:
    """The terms of a site.yaml that has other errors: its records are then not reported for using them."""
    vocabularies = data.get("vocabularies") if isinstance(data, dict) else None
    if not isinstance(vocabularies, dict):
        return Vocabularies()
    found = {}
    for name in VOCABULARIES:
        terms = vocabularies.get(name)
        if isinstance(terms, dict):
            found[name] = tuple((term, _stand_in(term, ())) for term in terms if is_id(term))
    return Vocabularies(**found)
