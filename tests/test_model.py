"""model: localised text, partial dates, events, and the closed vocabularies."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from generator.content import labels
from generator.content.model import (
    ORGANIZATION_KINDS, STATUSES, WEAPON_CLASSES, Event, PartialDate, Quantity, Text, Weapon,
)


def test_text_falls_back_to_the_default_language():
    text = Text((("en", "Fateh-110"),), "en")
    assert text.get("ru") == "Fateh-110" and text.has("en") and not text.has("ru")
    assert Text.same("Shahed-136", ("en", "ru")).get("ru") == "Shahed-136"


@pytest.mark.parametrize("date, precision, iso, first", [
    (PartialDate(2023), "year", "2023", dt.date(2023, 1, 1)),
    (PartialDate(2022, 5), "month", "2022-05", dt.date(2022, 5, 1)),
    (PartialDate(2022, 5, 9), "day", "2022-05-09", dt.date(2022, 5, 9)),
])
def test_partial_date(date, precision, iso, first):
    assert (date.precision, date.iso(), date.first_day) == (precision, iso, first)


def test_event_mentions_entities_named_only_in_quantities():
    event = Event("t", 0, PartialDate(2022), Text.same("E", ("en",)), None, ("a", "b"),
                  (Quantity("b", 2), Quantity("c", 1)), (), "reported")
    assert event.mentioned == ("a", "b", "c") and event.anchor == "t-1"


def test_records_are_immutable():
    weapon = Weapon(kind="weapons", id="x", name=Text.same("X", ("en",)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        weapon.range_km = 5  # type: ignore[misc]


def test_every_closed_vocabulary_value_has_a_label():
    assert set(WEAPON_CLASSES) == set(labels.WEAPON_CLASS_LABELS)
    assert set(ORGANIZATION_KINDS) == set(labels.ORGANIZATION_KIND_LABELS)
    assert set(STATUSES) == set(labels.STATUS_LABELS)


def test_russian_labels_of_a_vocabulary_are_distinct():
    # Two classes with one Russian label would make fact boxes ambiguous.
    from pathlib import Path

    from generator.render.catalog import load_translations
    from generator.content.errors import Problems
    from generator.project import DEFAULT_LOCALES

    ru = load_translations(DEFAULT_LOCALES, "ru", Problems(Path(".")))
    for table in (labels.WEAPON_CLASS_LABELS, labels.ORGANIZATION_KIND_LABELS, labels.STATUS_LABELS):
        shown = [ru.gettext(message) for message in table.values()]
        assert len(set(shown)) == len(shown), [s for s in shown if shown.count(s) > 1]
