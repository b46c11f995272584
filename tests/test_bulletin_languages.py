"""The seed week's bulletin in Azerbaijani and Russian, as text and PDF.

Every figure equals the English one, no English word of Demine's catalogue is left,
and every number is written the locale's way (Babel's grouping and decimal symbols),
the same way throughout. The PDF keeps the figures and the letters (ə ğ ı İ ş ç ö ü,
Cyrillic) as text, embeds its fonts, and its first page is kept as a PNG to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_decimal
from tests.english_leftovers import english_leftovers
from typer.testing import CliRunner

from demine.analysis.summary import Counts, FigureSource, PeriodSummary
from demine.cli.main import app
from demine.i18n import format_number, using_locale
from demine.reports.bulletin.paragraph import bulletin_paragraph

runner = CliRunner()
LANGUAGES = ("az", "ru")
WEEK = ("report", "weekly", "--week", "2024-W27")
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: A content digest is hexadecimal, not a number people read.
_DIGEST = re.compile(r"sha256 [0-9a-f]+")
#: A page footer ("1 / 3"): the page count may differ between languages.
_PAGE_NUMBER = re.compile(r"^\s*\d+ / \d+\s*$", re.MULTILINE)
#: The time a document was made ("20:41 UTC") changes between two renderings.
_TIME = re.compile(r"\b\d\d:\d\d\b")
#: Separators that can sit between the digits of one number, in any of the languages.
_ANY_NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")


def _report(database_url: str, language: str, *args: str) -> str:
    # The command sets the language of this thread: put back the earlier one after it,
    # or the tests that run next would read Russian.
    with using_locale("en"):
        result = runner.invoke(
            app, ["--db", database_url, *WEEK, *args], env={"DEMINE_LOCALE": language}
        )
    assert result.exit_code == 0, result.output
    return result.output


def _number_pattern(language: str) -> re.Pattern[str]:
    """A number as Babel writes it in ``language``: groups of three, the locale's decimal
    symbol; four digits ungrouped only for a year."""
    group = re.escape(get_group_symbol(language))
    decimal = re.escape(get_decimal_symbol(language))
    return re.compile(rf"(?:\d{{1,3}}(?:{group}\d{{3}})*|(?:19|20)\d\d)(?:{decimal}\d+)?")


def _readable(text: str) -> str:
    return _TIME.sub("", _PAGE_NUMBER.sub("", _DIGEST.sub("", text)))


def _numbers(text: str, language: str) -> list[Decimal]:
    """Every number in ``text``, read the way ``language`` writes numbers."""
    pattern = _number_pattern(language)
    return [parse_decimal(m, locale=language, strict=True) for m in pattern.findall(text)]


def _misformatted(text: str, language: str) -> list[str]:
    """The numbers not written the way ``language`` writes them."""
    pattern = _number_pattern(language)
    return [m for m in _ANY_NUMBER.findall(text) if not pattern.fullmatch(m.rstrip(".,"))]


def _imported_files(database_url: str) -> list[str]:
    """The names of the imported files: data, shown as they are in every language."""
    figures = json.loads(_report(database_url, "en", "--format", "json"))
    return [item["file"] for item in figures["provenance"]["imports"]]


def _letters(text: str) -> set[str]:
    return {c for c in text if c.isalpha() and not c.isascii()}


def test_seed_week_in_every_language_has_the_english_figures(demo_database_url: str) -> None:
    english = _readable(_report(demo_database_url, "en", "--format", "markdown"))
    assert "1,039.5" in english  # hectares grouped like every other number
    assert _misformatted(english, "en") == []
    for language in LANGUAGES:
        text = _readable(_report(demo_database_url, language, "--format", "markdown"))
        assert _misformatted(text, language) == [], language
        assert Counter(_numbers(text, language)) == Counter(_numbers(english, "en")), language
        assert english_leftovers(text, language) == [], language


def test_russian_devices_and_victims_agree_with_their_numbers(demo_database_url: str) -> None:
    text = _report(demo_database_url, "ru")
    assert "Обнаружено и обезврежено: 28 противопехотных мин, 107 противотанковых мин" in text
    assert "830 неразорвавшихся боеприпасов" in text
    assert "1\u00a0039,5 га" in text
    assert "после Второй Карабахской войны число жертв мин достигло 350" in text
    # One, few and many forms (the seed week's risk education, placed in the real districts).
    assert "34 девочки, 47 мальчиков, 55 женщин и 51 мужчина" in text


def test_azerbaijani_uses_the_agencys_terms_and_singular_after_numerals(
    demo_database_url: str,
) -> None:
    text = _report(demo_database_url, "az")
    assert "28 piyada əleyhinə mina, 107 tank əleyhinə mina və 830 partlamamış hərbi sursat" in text
    assert "aşkarlanaraq zərərsizləşdirilib" in text
    assert "1.039,5 hektar ərazi" in text
    assert "İkinci Qarabağ müharibəsindən sonra mina qurbanlarının sayı 350 nəfərə çatıb" in text


def _summary(ap: int, at: int, uxo: int, cleared_m2: float) -> PeriodSummary:
    counts = Counts(ap_mines=ap, at_mines=at, uxo=uxo, area_cleared_m2=cleared_m2)
    return PeriodSummary(
        "AZ", date(2024, 7, 1), date(2024, 7, 7), FigureSource.RECORDS, counts,
        {"lachin": counts}, {"lachin": "Laçın"},
    )  # fmt: skip


def test_one_few_many_in_russian_and_singular_after_numerals_in_azerbaijani() -> None:
    with using_locale("ru"):
        assert bulletin_paragraph(_summary(1, 2, 5, 12_345_678)) == (
            "Обнаружено и обезврежено: 1 противопехотная мина, 2 противотанковые мины и "
            "5 неразорвавшихся боеприпасов. Районы проведения работ: Laçın.\n\n"
            "От мин и неразорвавшихся боеприпасов очищена территория площадью "
            "1\u00a0234,6 га."
        )
        assert "21 противопехотная мина, 22 противотанковые мины и 25 неразорвавшихся" in (
            bulletin_paragraph(_summary(21, 22, 25, 0))
        )
    with using_locale("az"):
        assert bulletin_paragraph(_summary(1, 2, 5, 12_345_678)) == (
            "Laçın ərazilərində aparılan əməliyyatlar zamanı 1 piyada əleyhinə mina, 2 tank "
            "əleyhinə mina və 5 partlamamış hərbi sursat (PHS) aşkarlanaraq "
            "zərərsizləşdirilib.\n\n1.234,6 hektar ərazi mina və partlamamış hərbi "
            "sursatlardan təmizlənib."
        )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_seed_week_pdf_in_every_language(demo_database_url: str, tmp_path: Path) -> None:
    def pdf_text(language: str) -> str:
        pdf = tmp_path / f"bulletin-{language}.pdf"
        _report(demo_database_url, language, "--format", "pdf", "--output", str(pdf))
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        # pdftotext gives a no-break space as a space: put back the grouping ones.
        group = get_group_symbol(language)
        if group.isspace():
            text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", group, text)
        return _readable(text)

    english = pdf_text("en")
    ARTEFACTS.mkdir(exist_ok=True)
    for language in LANGUAGES:
        text = pdf_text(language)
        assert Counter(_numbers(text, language)) == Counter(_numbers(english, "en")), language
        assert _misformatted(text, language) == [], language
        for name in _imported_files(demo_database_url):
            text = text.replace(name, "")
        assert english_leftovers(text, language) == [], language
        markdown = _report(demo_database_url, language, "--format", "markdown")
        assert _letters(markdown) and _letters(markdown) <= _letters(text), language
        pdf = tmp_path / f"bulletin-{language}.pdf"
        stem = tmp_path / f"bulletin-{language}-p1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(stem)],
            check=True,
        )  # fmt: skip
        shutil.copy(stem.with_suffix(".png"), ARTEFACTS / f"bulletin-{language}-p1.png")


def test_numbers_remembered_per_language_and_sign() -> None:
    """Formatted numbers are remembered (charts ask for the same labels hundreds of
    times), but never across languages, decimals or the sign of a zero."""
    written: list[tuple[str, str]] = []
    for _round in range(2):
        for language in ("en", "az", "ru"):
            with using_locale(language):
                written.append((format_number(1234.5, 1), format_number(1234.5, 2)))
    assert written[:3] == [("1,234.5", "1,234.50"), ("1.234,5", "1.234,50"),
                           ("1\u00a0234,5", "1\u00a0234,50")]  # fmt: skip
    assert written[3:] == written[:3]
    assert (format_number(0.0, 1), format_number(-0.0, 1), format_number(0.0, 1)) == (
        "0.0", "-0.0", "0.0",
    )  # fmt: skip
