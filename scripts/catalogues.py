"""Keep the translation catalogues in step with the code.

    python scripts/catalogues.py extract          # demine.pot from the sources; az/ru .po updated
    python scripts/catalogues.py fill FILE.json…  # translations {msgid: msgstr | [forms]}
    python scripts/catalogues.py todo [LANG]      # untranslated or fuzzy entries, as JSON

English is the source language; ``src/demine/locale/<lang>/LC_MESSAGES/demine.po`` are
the Azerbaijani and Russian catalogues. The build compiles them (``setup.py``); a source
checkout compiles them in memory (``demine.i18n``). ``tests/test_catalogues.py`` fails
when the template is out of date or an entry is untranslated or fuzzy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "demine" / "locale"
TEMPLATE = LOCALE_DIR / "demine.pot"
TRANSLATED = ("az", "ru")
KEYWORDS = ("_", "gettext", "ngettext:1,2", "N_")


def extract(template: Path = TEMPLATE) -> None:
    """Write the template from the sources (no line numbers, so that moving code does
    not change it) and merge it into every catalogue."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    template.parent.mkdir(parents=True, exist_ok=True)
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords",
         *keywords, "--no-location", "--sort-output", "--omit-header",
         "-o", str(template), str(ROOT / "src")]
    )  # fmt: skip
    if template != TEMPLATE:
        return
    with TEMPLATE.open("rb") as stream:
        pot = read_po(stream)
    for language in TRANSLATED:
        path = catalogue_path(language)
        catalog = _read(path, language) if path.exists() else Catalog(locale=language)
        catalog.update(pot, no_fuzzy_matching=True)
        _write(path, catalog)


def fill(files: list[Path]) -> None:
    """Fill untranslated entries from translation files named ``*.<lang>.json``."""
    for language in TRANSLATED:
        path = catalogue_path(language)
        catalog = _read(path, language)
        for file in files:
            if not file.name.endswith(f".{language}.json"):
                continue
            words = json.loads(file.read_text(encoding="utf-8"))
            for message in catalog:
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                if not key or key not in words:
                    continue
                message.string = tuple(words[key]) if isinstance(message.id, tuple) else words[key]
                message.flags.discard("fuzzy")
        _write(path, catalog)


def todo(languages: tuple[str, ...]) -> dict[str, list[object]]:
    """The entries each catalogue still lacks."""
    missing: dict[str, list[object]] = {}
    for language in languages:
        catalog = _read(catalogue_path(language), language)
        missing[language] = [
            list(m.id) if isinstance(m.id, tuple) else m.id
            for m in catalog
            if m.id
            and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
        ]
    return missing


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "demine.po"


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def _write(path: Path, catalog: Catalog) -> None:
    catalog.project, catalog.version = "Demine", ""
    catalog.msgid_bugs_address = ""
    catalog.fuzzy = False
    catalog.copyright_holder = "Demine contributors"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        write_po(stream, catalog, omit_header=False, sort_output=True, width=0, no_location=True)


def main(arguments: list[str]) -> None:
    if not arguments or arguments[0] not in {"extract", "fill", "todo"}:
        sys.exit(__doc__)
    if arguments[0] == "extract":
        extract()
    elif arguments[0] == "fill":
        fill([Path(a) for a in arguments[1:]])
    else:
        languages = tuple(arguments[1:]) or TRANSLATED
        print(json.dumps(todo(languages), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
