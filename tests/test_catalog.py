"""catalog.load_translations: .po compiled in memory; fuzzy entries unused."""

from __future__ import annotations


import pytest

from generator.render.catalog import load_translations
from generator.content.errors import Problems

from tests.helpers import write_tree

PO = '''\
msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Sources"
msgstr "Источники"

#, fuzzy
msgid "Range"
msgstr "Дальность?"

msgid "%(num)s unit"
msgid_plural "%(num)s units"
msgstr[0] "%(num)s единица"
msgstr[1] "%(num)s единицы"
msgstr[2] "%(num)s единиц"
'''


def test_compiled_in_memory_without_a_mo_file(tmp_path):
    write_tree(tmp_path, {"ru/LC_MESSAGES/messages.po": PO})
    problems = Problems(tmp_path)
    t = load_translations(tmp_path, "ru", problems)
    assert problems.items == []
    assert t.gettext("Sources") == "Источники"
    assert t.gettext("Range") == "Range"  # fuzzy: a translator's draft, never shown
    assert [t.ngettext("%(num)s unit", "%(num)s units", n) for n in (1, 3, 7)] == ["%(num)s единица", "%(num)s единицы", "%(num)s единиц"]
    assert not list(tmp_path.rglob("*.mo"))


def test_missing_catalogue_means_the_english_message_ids(tmp_path):
    t = load_translations(tmp_path, "ru", Problems(tmp_path))
    assert t.gettext("Sources") == "Sources"


def test_broken_catalogue_is_a_positioned_error(tmp_path):
    write_tree(tmp_path, {"ru/LC_MESSAGES/messages.po": 'msgid "A"\nmsgstr "Б"\nmsgid "broken\n'})
    problems = Problems(tmp_path.parent)
    load_translations(tmp_path, "ru", problems)
    [error] = problems.errors
    assert error.path.endswith("ru/LC_MESSAGES/messages.po") and "catalogue" in error.message


def test_a_compiled_catalogue_is_kept_and_used_until_the_po_file_changes(tmp_path, monkeypatch):
    import shutil
    from generator.render.catalog import catalogue_path, load_translations
    from generator.content.errors import Problems
    from generator.project import DEFAULT_LOCALES
    locales = tmp_path / "locales"
    shutil.copytree(DEFAULT_LOCALES, locales)
    kept = tmp_path / "cache"
    first = load_translations(locales, "ru", Problems(tmp_path), kept)
    assert first.gettext("Sources") != "Sources"
    files = sorted(kept.glob("ru.*.mo"))
    assert len(files) == 1
    import babel.messages.pofile
    real = babel.messages.pofile.read_po
    monkeypatch.setattr(babel.messages.pofile, "read_po", lambda *a, **k: pytest.fail("parsed again"))
    again = load_translations(locales, "ru", Problems(tmp_path), kept)  # from the kept file
    assert again.gettext("Sources") == first.gettext("Sources")
    monkeypatch.setattr(babel.messages.pofile, "read_po", real)
    po = catalogue_path(locales, "ru")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Источники"', 'msgstr "Источники (изм.)"'), encoding="utf-8")
    changed = load_translations(locales, "ru", Problems(tmp_path), kept)
    assert changed.gettext("Sources") == "Источники (изм.)"
    assert len(list(kept.glob("ru.*.mo"))) == 1  # the older compiled form is gone
    current = next(kept.glob("ru.*.mo"))
    current.write_bytes(b"damaged")  # a damaged file is compiled again, never trusted
    assert load_translations(locales, "ru", Problems(tmp_path), kept).gettext("Sources") == "Источники (изм.)"
    assert current.read_bytes() != b"damaged"
