"""The translation catalogues are complete and in step with the code.

English is the source language; Azerbaijani and Russian catalogues must translate every
string the code and templates mark, with no entry left empty or fuzzy, the same
placeholders as the English and every plural form of the language. The build compiles
them (``setup.py``), and what it writes reads back as the catalogue says.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from demine.i18n import LANGUAGES, ngettext, translations, using_locale

REPO = Path(__file__).resolve().parents[1]
LOCALE_DIR = REPO / "src" / "demine" / "locale"
TRANSLATED = [language for language in LANGUAGES if language != "en"]
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _script(name: str, path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=locale)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_every_string_the_code_marks(tmp_path: Path) -> None:
    catalogues = _script("catalogues", REPO / "scripts" / "catalogues.py")
    fresh = tmp_path / "demine.pot"
    catalogues.extract(fresh)
    committed, extracted = _ids(_read(LOCALE_DIR / "demine.pot")), _ids(_read(fresh))
    assert sorted(map(str, extracted - committed)) == [], (
        "strings not in the catalogue: run python scripts/catalogues.py extract"
    )
    assert sorted(map(str, committed - extracted)) == [], "strings the code no longer uses"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    template = _read(LOCALE_DIR / "demine.pot")
    catalogue = _read(LOCALE_DIR / language / "LC_MESSAGES" / "demine.po", language)
    assert _ids(catalogue) == _ids(template)
    forms = catalogue.num_plurals
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        problems += _problems(message, forms)
    assert problems == []


def _problems(message: Message, forms: int) -> list[str]:
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    name = sources[0]
    if message.fuzzy:
        return [f"fuzzy: {name}"]
    if isinstance(message.id, tuple) and len(strings) != forms:
        return [f"{len(strings)} plural forms instead of {forms}: {name}"]
    if not all(strings):
        return [f"untranslated: {name}"]
    wanted = set().union(*(_PLACEHOLDER.findall(s) for s in sources))
    problems = []
    for string in strings:
        found = set(_PLACEHOLDER.findall(string))
        # A plural form for one may say "one" instead of the number ("{n}").
        if found - wanted or wanted - found - {"{n}", "{count}"}:
            problems.append(f"placeholders {sorted(found)} instead of {sorted(wanted)}: {name}")
    return problems


def test_the_build_compiles_the_catalogues_it_ships(tmp_path: Path) -> None:
    setup_module = (REPO / "setup.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "not_main"}
    # Run the module up to its setup() call: only the compile step is wanted here.
    exec(setup_module.split("\nsetup(")[0], namespace)
    package = tmp_path / "demine"
    for language in TRANSLATED:
        folder = package / "locale" / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        source = LOCALE_DIR / language / "LC_MESSAGES" / "demine.po"
        (folder / "demine.po").write_bytes(source.read_bytes())
    written = namespace["compile_catalogues"](package)  # type: ignore[operator]
    assert [p.relative_to(package).as_posix() for p in written] == [
        f"locale/{language}/LC_MESSAGES/demine.mo" for language in sorted(TRANSLATED)
    ]
    for language in TRANSLATED:
        with (package / "locale" / language / "LC_MESSAGES" / "demine.mo").open("rb") as stream:
            compiled = gettext.GNUTranslations(stream)
        catalogue = _read(LOCALE_DIR / language / "LC_MESSAGES" / "demine.po", language)
        for message in list(catalogue)[1:50]:
            if isinstance(message.id, str):
                assert compiled.gettext(message.id) == translations(language).gettext(message.id)


def test_russian_plurals_follow_the_number() -> None:
    with using_locale("ru"):
        said = [
            ngettext("{n} anti-personnel mine", "{n} anti-personnel mines", n).format(n=n)
            for n in (1, 2, 5, 21, 11)
        ]
    assert said == [
        "1 противопехотная мина",
        "2 противопехотные мины",
        "5 противопехотных мин",
        "21 противопехотная мина",
        "11 противопехотных мин",
    ]


def test_azerbaijani_keeps_the_noun_singular_after_a_numeral() -> None:
    with using_locale("az"):
        said = [
            ngettext("{n} anti-personnel mine", "{n} anti-personnel mines", n).format(n=n)
            for n in (1, 28)
        ]
    assert said == ["1 piyada əleyhinə mina", "28 piyada əleyhinə mina"]
