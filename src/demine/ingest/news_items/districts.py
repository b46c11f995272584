"""District names as news items spell them, mapped to one canonical English name.

The table is data: each canonical name with the spellings seen in English, Azerbaijani,
Russian and German items. Spellings are compared by a key that ignores case, accents
and the ``ə``/``ı`` letters (:func:`~demine.domain.names.name_key`, Cyrillic letters
kept), so such variants need no entries of their own. Azerbaijani case
endings (``Zəngilanda`` = "in Zangilan") are removed before looking a word up.
"""

from __future__ import annotations

import re

from demine.domain.names import name_key

#: Canonical name -> other spellings. Liberated districts first, in ANAMA's order.
DISTRICT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Tartar": ("Terter", "Tərtər", "Тертер", "Тэртэр"),
    "Aghdam": ("Agdam", "Ağdam", "Агдам"),
    "Aghdara": ("Agdara", "Aghdere", "Agdere", "Ağdərə", "Агдере"),
    "Lachin": ("Lachyn", "Laçın", "Лачин", "Latschin"),
    "Fuzuli": ("Fizuli", "Füzuli", "Физули"),
    "Shusha": ("Şuşa", "Шуша", "Schuscha"),
    "Khojaly": ("Khojali", "Xocalı", "Ходжалы", "Khodschali"),
    "Khankendi": ("Khankandi", "Xankəndi", "Ханкенди"),
    "Kalbajar": ("Kelbajar", "Kalbacar", "Kəlbəcər", "Кельбаджар", "Kalbadschar"),
    "Khojavend": ("Khojavand", "Xocavənd", "Ходжавенд", "Khodschavand", "Khodschawend"),
    "Jabrayil": ("Jabrail", "Jabrayıl", "Cəbrayıl", "Джебраил", "Dschabrail"),
    "Gubadli": ("Gubadly", "Qubadli", "Qubadlı", "Губадлы"),
    "Zangilan": ("Zengilan", "Zəngilan", "Зангилан"),
    "Goranboy": ("Goranboi", "Горанбой"),
    "Gazakh": ("Qazakh", "Qazax", "Газах"),
    "Agstafa": ("Aghstafa", "Ağstafa", "Akstafa", "Агстафа"),
    "Aghjabadi": ("Agjabadi", "Ağcabədi", "Агджабеди"),
    "Tovuz": ("Товуз",),
    "Absheron": ("Abşeron", "Apsheron", "Абшерон"),
    # Garadagh and the other city districts of Baku are reported as Baku.
    "Baku": ("Bakı", "Баку", "Garadagh", "Qaradağ", "Karadag", "Гарадаг", "Surakhani", "Sabunchu"),
    "Barda": ("Bərdə", "Берда"),
    "Beylagan": ("Beyləqan", "Бейлаган"),
    "Yevlakh": ("Yevlax", "Евлах"),
    "Naftalan": ("Нафталан",),
    "Ganja": ("Gəncə", "Гянджа"),
    "Dashkasan": ("Daşkəsən", "Дашкесан"),
    "Gadabay": ("Gədəbəy", "Гедабек"),
    "Shamkir": ("Şəmkir", "Шамкир"),
    "Samukh": ("Samux", "Самух"),
    "Goygol": ("Göygöl", "Гёйгёль"),
    "Imishli": ("İmişli", "Имишли"),
    "Saatli": ("Saatlı", "Саатлы"),
    "Sabirabad": ("Сабирабад",),
    "Bilasuvar": ("Biləsuvar", "Билясувар"),
    "Jalilabad": ("Cəlilabad", "Джалилабад"),
    "Mingachevir": ("Mingəçevir", "Мингечевир"),
    "Sumgayit": ("Sumqayıt", "Сумгаит"),
    "Nakhchivan": ("Naxçıvan", "Нахчыван"),
    "Sharur": ("Şərur", "Шарур"),
    "Sadarak": ("Sədərək", "Садарак"),
    "Kangarli": ("Kəngərli", "Кенгерли"),
    "Julfa": ("Culfa", "Джульфа"),
    "Ordubad": ("Ордубад",),
    "Shahbuz": ("Şahbuz", "Шахбуз"),
    "Lankaran": ("Lənkəran", "Ленкорань"),
    "Astara": ("Астара",),
    "Lerik": ("Лерик",),
    "Yardimli": ("Yardımlı", "Ярдымлы"),
    "Masalli": ("Masallı", "Масаллы"),
    "Salyan": ("Сальяны",),
    "Neftchala": ("Neftçala", "Нефтчала"),
    "Hajigabul": ("Hacıqabul", "Гаджигабул"),
    "Shirvan": ("Şirvan", "Ширван"),
    "Kurdamir": ("Kürdəmir", "Кюрдамир"),
    "Ujar": ("Ucar", "Уджар"),
    "Zardab": ("Zərdab", "Зардаб"),
    "Agdash": ("Ağdaş", "Агдаш"),
    "Goychay": ("Göyçay", "Гёйчай"),
    "Ismayilli": ("İsmayıllı", "Исмаиллы"),
    "Shamakhi": ("Şamaxı", "Шемаха"),
    "Agsu": ("Ağsu", "Агсу"),
    "Gobustan": ("Qobustan", "Гобустан"),
    "Siyazan": ("Siyəzən", "Сиазань"),
    "Shabran": ("Şabran", "Шабран"),
    "Khizi": ("Xızı", "Хызы"),
    "Guba": ("Quba", "Губа"),
    "Gusar": ("Qusar", "Гусар"),
    "Khachmaz": ("Xaçmaz", "Хачмаз"),
    "Gabala": ("Qəbələ", "Габала"),
    "Oghuz": ("Oğuz",),
    "Shaki": ("Şəki", "Шеки"),
    "Gakh": ("Qax", "Гах"),
    "Zagatala": ("Zaqatala", "Закатала"),
    "Balakan": ("Balakən", "Балакен"),
}

#: Azerbaijani case endings, longest first ("Zəngilanda", "Ağdamdan", "Şuşanın").
_AZ_ENDINGS = ("nın", "nin", "nun", "nün", "dan", "dən", "da", "də", "ya", "yə", "a", "ə")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# "BAKU, Azerbaijan, December 15." is a dateline, not a place of work.
_DATELINE_AFTER = re.compile(r",\s*(?:Azerbaijan|[A-Z][a-z]+\.?\s+\d)")


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in DISTRICT_SPELLINGS.items():
        for spelling in (canonical, *spellings):
            index[name_key(spelling)] = canonical
    return index


_BY_KEY = _index()


def canonical_district(word: str) -> str | None:
    """The canonical name of the district ``word`` spells, or ``None`` if it names none."""
    key = name_key(word)
    if key in _BY_KEY:
        return _BY_KEY[key]
    for ending in _AZ_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem_key = name_key(word[: -len(ending)])
            if stem_key in _BY_KEY:
                return _BY_KEY[stem_key]
    return None


def find_districts(sentence: str) -> list[str]:
    """The districts ``sentence`` names, canonical, in order of first mention."""
    found: list[str] = []
    for match in _WORD.finditer(sentence):
        district = canonical_district(match.group(0))
        if district is None or district in found:
            continue
        if district == "Baku" and _DATELINE_AFTER.match(sentence, match.end()):
            continue
        found.append(district)
    return found
