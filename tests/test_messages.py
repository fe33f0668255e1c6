"""The gettext workflow: extract, update, compile, and the committed catalogues."""

from __future__ import annotations

import gettext
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from generator.translation import messages
from generator.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


# -- the project's own catalogues ---------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """UI strings of the checkout's templates and code, extracted into a temporary .pot."""
    path = tmp_path_factory.mktemp("pot") / "messages.pot"
    with path.open("wb") as handle:
        write_po(handle, messages.extract(ROOT), **messages.PO_OPTIONS)
    with path.open("rb") as handle:
        return read_po(handle)


def ids(catalog) -> set:
    return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id}


def test_extraction_finds_template_code_and_plural_strings(extracted):
    found = ids(extracted)
    assert ("Skip to content", None) in found  # base.html
    assert ("Read the original", None) in found  # partials/outdated.html
    assert ("Short-range ballistic missile", None) in found  # N_() in generator/labels.py
    assert (("%(num)s unit", "%(num)s units"), None) in found  # ngettext in generator/l10n.py


def test_committed_template_is_in_step_with_the_sources(extracted):
    committed = messages.read_template(ROOT)
    assert ids(committed) == ids(extracted), "run `briefing i18n extract` and `briefing i18n update`"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_ui_string_is_translated_and_reviewed(extracted, lang):
    catalog = messages.read_catalogue(ROOT, lang)
    problems = []
    for message in extracted:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = None if found is None else (found.string if isinstance(found.string, (list, tuple)) else (found.string,))
        if found is None or not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not problems, f"locales/{lang}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)
    assert [errors for _, errors in catalog.check()] == []


def test_russian_has_three_plural_forms_and_uses_them():
    catalog = messages.read_catalogue(ROOT, "ru")
    assert catalog.num_plurals == 3
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    forms = [translations.ngettext("%(num)s unit", "%(num)s units", n) % {"num": n} for n in (1, 2, 5, 21, 6000)]
    assert forms == ["1 единица", "2 единицы", "5 единиц", "21 единица", "6000 единиц"]


def test_running_the_workflow_on_the_checkout_changes_nothing(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for name in ("babel.cfg", "generator", "templates", "locales"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()}
    assert main(["i18n", "extract", "--root", str(root)]) == 0
    assert main(["i18n", "update", "--root", str(root)]) == 0
    after = {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()}
    assert after == before


def test_no_compiled_catalogue_is_kept_in_the_repository():
    assert list((ROOT / "locales").rglob("*.mo")) == []


# -- the workflow on a small project ------------------------------------------

TEMPLATE = """\
<p>{{ _("Hello") }}</p>
<p>{{ ngettext("%(num)s drone", "%(num)s drones", n) }}</p>
"""
CODE = '''\
def N_(message):
    return message

KIND = N_("Loitering munition")
'''


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    (root / "templates").mkdir(parents=True)
    (root / "code").mkdir()
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    cfg = (root / "babel.cfg").read_text(encoding="utf-8").replace("generator/**.py", "code/**.py")
    (root / "babel.cfg").write_text(cfg, encoding="utf-8")
    (root / "templates/page.html").write_text(TEMPLATE, encoding="utf-8")
    (root / "code/labels.py").write_text(CODE, encoding="utf-8")
    return root


def po_text(root: Path, lang: str) -> str:
    return messages.catalogue_file(root, lang).read_text(encoding="utf-8")


def set_translation(root: Path, lang: str, msgid: str, *strings: str) -> None:
    catalog = messages.read_catalogue(root, lang)
    message = catalog[msgid]
    message.string = strings if len(strings) > 1 else strings[0]
    message.flags.discard("fuzzy")
    with messages.catalogue_file(root, lang).open("wb") as handle:
        write_po(handle, catalog, **messages.PO_OPTIONS)


def test_extract_update_translate_compile(project, tmp_path, capsys):
    assert main(["i18n", "extract", "--root", str(project)]) == 0
    pot = (project / "locales/messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Hello"' in pot and 'msgid_plural "%(num)s drones"' in pot and 'msgid "Loitering munition"' in pot
    assert "#:" not in pot  # no locations: diffs show strings, not moved lines

    assert main(["i18n", "update", "--root", str(project), "--lang", "ru", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "locales/ru/LC_MESSAGES/messages.po: 3 messages, 3 untranslated, 0 fuzzy" in out
    assert "locales/en/LC_MESSAGES/messages.po: 3 messages, 0 untranslated, 0 fuzzy" in out  # English: the ids themselves
    ru = po_text(project, "ru")
    assert "nplurals=3;" in ru and 'msgstr[2] ""' in ru

    set_translation(project, "ru", "Hello", "Здравствуйте")
    set_translation(project, "ru", "Loitering munition", "Барражирующий боеприпас")
    set_translation(project, "ru", ("%(num)s drone", "%(num)s drones"), "%(num)s дрон", "%(num)s дрона", "%(num)s дронов")
    assert main(["i18n", "compile", "--root", str(project), "--output", str(tmp_path / "mo")]) == 0
    assert "3 messages, 0 untranslated, 0 fuzzy (compiled into" in capsys.readouterr().out
    with (tmp_path / "mo/ru/LC_MESSAGES/messages.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("Hello") == "Здравствуйте"
    assert [compiled.ngettext("%(num)s drone", "%(num)s drones", n) % {"num": n} for n in (1, 3, 11)] == ["1 дрон", "3 дрона", "11 дронов"]
    assert not list(project.rglob("*.mo"))  # only where asked


def test_a_changed_string_becomes_fuzzy_and_is_reported(project, capsys):
    main(["i18n", "extract", "--root", str(project)])
    main(["i18n", "update", "--root", str(project), "--lang", "ru"])
    set_translation(project, "ru", "Hello", "Здравствуйте")
    (project / "templates/page.html").write_text(TEMPLATE.replace('"Hello"', '"Hello there"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["i18n", "extract", "--root", str(project)]) == 0
    assert main(["i18n", "update", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "fuzzy (check the translation, then remove the fuzzy flag): Hello there" in out
    assert '#, fuzzy\nmsgid "Hello there"\nmsgstr "Здравствуйте"' in po_text(project, "ru")
    assert 'msgid "Hello"\n' not in po_text(project, "ru")  # obsolete entries are dropped
    # Fuzzy translations are never shown to readers.
    assert main(["i18n", "compile", "--root", str(project)]) == 0
    assert "2 untranslated, 1 fuzzy (checked)" in capsys.readouterr().out


def test_unchanged_sources_leave_every_file_byte_identical(project):
    main(["i18n", "extract", "--root", str(project)])
    main(["i18n", "update", "--root", str(project), "--lang", "ru"])
    files = {p: p.read_bytes() for p in project.rglob("*.po*")}
    assert main(["i18n", "extract", "--root", str(project)]) == 0
    assert main(["i18n", "update", "--root", str(project)]) == 0
    assert {p: p.read_bytes() for p in project.rglob("*.po*")} == files


def test_compile_refuses_a_translation_that_breaks_placeholders(project, tmp_path, capsys):
    main(["i18n", "extract", "--root", str(project)])
    main(["i18n", "update", "--root", str(project), "--lang", "ru"])
    set_translation(project, "ru", ("%(num)s drone", "%(num)s drones"), "%(count)s дрон", "%(num)s дрона", "%(num)s дронов")
    capsys.readouterr()
    assert main(["i18n", "compile", "--root", str(project), "--output", str(tmp_path / "mo")]) == 1
    err = capsys.readouterr().err
    assert "locales/ru/LC_MESSAGES/messages.po:" in err and "%(num)s drone" in err and "nothing was written" in err
    assert not (tmp_path / "mo").exists()


def test_broken_sources_and_catalogues_are_positioned_errors(project, capsys):
    (project / "templates/broken.html").write_text("<p>\n{{ _('x') }\n</p>\n", encoding="utf-8")
    assert main(["i18n", "extract", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "templates/broken.html:2: cannot extract messages" in err and "Traceback" not in err
    assert not (project / "locales/messages.pot").exists()

    (project / "templates/broken.html").unlink()
    main(["i18n", "extract", "--root", str(project)])
    main(["i18n", "update", "--root", str(project), "--lang", "ru"])
    path = messages.catalogue_file(project, "ru")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unclosed\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["i18n", "update", "--root", str(project)]) == 1
    assert "locales/ru/LC_MESSAGES/messages.po:" in capsys.readouterr().err


def test_missing_config_and_template_say_what_to_do(tmp_path, capsys):
    assert main(["i18n", "extract", "--root", str(tmp_path)]) == 1
    assert "babel.cfg: no babel.cfg here" in capsys.readouterr().err
    assert main(["i18n", "update", "--root", str(tmp_path)]) == 1
    assert "run 'briefing i18n extract' first" in capsys.readouterr().err
