"""District names as news items spell them, mapped to one canonical English name.

The table is data: each canonical name with the spellings seen in English, Azerbaijani,
Russian and German items. Spellings are compared by a key that ignores case, accents
and the ``ə``/``ı`` letters (:func:`~demine.domain.names.name_key`, Cyrillic letters
kept), so such variants need no entries of their own. Azerbaijani case
endings (``Zəngilanda`` = "in Zangilan") are removed before looking a word up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from demine.domain.names import name_key

#: Canonical name -> other spellings. Liberated districts first, in ANAMA's order.
DISTRICT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Tartar": ("Terter", "Tərtər", "Тертер", "Тэртэр"),
    "Aghdam": ("Agdam", "Ağdam", "Агдам"),
    "Aghdara": ("Agdara", "Aghdere", "Agdere", "Ağdərə", "Агдере", "Агдара"),
    "Lachin": ("Lachyn", "Laçın", "Лачин", "Latschin"),
    "Fuzuli": ("Fizuli", "Füzuli", "Физули"),
    "Shusha": ("Şuşa", "Шуша", "Schuscha"),
    "Khojaly": ("Khojali", "Xocalı", "Ходжалы", "Khodschali"),
    # The city's name under occupation; items quoting it mean the same place.
    "Khankendi": ("Khankandi", "Xankəndi", "Ханкенди", "Stepanakert", "Степанакерт"),
    "Kalbajar": ("Kelbajar", "Kalbacar", "Kəlbəcər", "Кельбаджар", "Kalbadschar"),
    "Khojavend": ("Khojavand", "Xocavənd", "Ходжавенд", "Khodschavand", "Khodschawend"),
    "Jabrayil": ("Jabrail", "Jabrayıl", "Cəbrayıl", "Джебраил", "Джабраил", "Dschabrail"),
    "Gubadli": ("Gubadly", "Qubadli", "Qubadlı", "Губадлы", "Кубатлы"),
    "Zangilan": ("Zengilan", "Zəngilan", "Зангилан", "Зангелан"),
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
#: Russian case endings of nouns ("в Агдаме", "Кельбаджаре", "в Шуше").
_RU_ENDINGS = ("ом", "ой", "е", "у", "а", "ы", "и")
#: Adjectives made from a district's name: "Тертерском районе", "Fizulinsky district".
_ADJECTIVE = re.compile(
    r"(?:ск)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их|им|ими)$|(?:sky|ski|skiy|skii)$", re.IGNORECASE
)
#: What may join a name to its adjective's ending: "Физули-н-ский", "Шуш-ин-ский".
_ADJECTIVE_LINK = ("", "ин", "ын", "н", "ь", "in", "n")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# "BAKU, Azerbaijan, December 15." is a dateline, not a place of work.
_DATELINE_AFTER = re.compile(r",\s*(?:Azerbaijan|[A-Z][a-z]+\.?\s+\d)")
#: A name in a list: one or two capitalised words ("Ashagi Askipara").
_NAME = r"[A-ZА-ЯЁƏÖÜĞİŞÇ][^\W\d_]+(?:[-'’][^\W\d_]+)*(?:\s+[A-ZА-ЯЁƏÖÜĞİŞÇ][^\W\d_]+)?"
#: One name before the word for a district: "the Hadrut district", "Hadrut rayonunda".
_NAMED_DISTRICT = re.compile(
    r"(?<![\w-])([A-ZА-ЯЁƏÖÜĞİŞÇ][^\W\d_]+)\s+(?:districts?|regions?|rayon\w*|район\w*)\b"
)
#: Capitalised words that come before "district" without naming one ("The district").
_NOT_NAMES = frozenset(
    (
        *("the", "this", "that", "these", "those", "each", "every", "which", "another"),
        *("other", "same", "its", "their", "both", "one", "all", "any", "some"),
        *("liberated", "neighbouring", "neighboring", "border", "frontline", "former"),
        *("whole", "этот", "этом", "том", "каждом", "данном", "соседнем", "bu", "həmin"),
        "hər",
    )
)
# "Kirdaq Mud Volcanoes in the territory of Absheron district": a place inside a district.
_LOCALITY_AFTER = re.compile(
    r"(?:\s+[A-Z]\w+)?\s+(?:in\s+(?:the\s+territory\s+of\s+)?|of\s+)(?:the\s+)?[A-ZƏÖÜĞİŞÇ]\w+\s+"
    r"(?:district|region|rayon)"
)
_LIST = re.compile(
    rf"{_NAME}(?:(?:\s*,\s*(?:(?:and|və|и|as\s+well\s+as)\s+)?|\s+(?:and|və|и)\s+){_NAME})+"
)


def _vowelless(key: str) -> str:
    return key[:-1] if key and key[-1] in "aeiouyаеиоуыэюяё" else key


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in DISTRICT_SPELLINGS.items():
        for spelling in (canonical, *spellings):
            index[name_key(spelling)] = canonical
    return index


_BY_KEY = _index()
#: Keys without their last vowel, for stems of inflected and adjectival forms.
_BY_STEM = {_vowelless(key): name for key, name in _BY_KEY.items() if len(key) >= 4}


@dataclass(frozen=True)
class DistrictMention:
    """A district named in a sentence: canonical name, and where it is written."""

    district: str
    start: int
    end: int


def canonical_district(word: str) -> str | None:
    """The canonical name of the district ``word`` spells, or ``None`` if it names none."""
    key = name_key(word)
    if key in _BY_KEY:
        return _BY_KEY[key]
    for ending in _AZ_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem_key = name_key(word[: -len(ending)].rstrip("'’"))
            if stem_key in _BY_KEY:
                return _BY_KEY[stem_key]
    return _stem_district(word)


def _stem_district(word: str) -> str | None:
    """Russian cases and adjectives, English ``-sky``: compared without the last vowel."""
    adjective = _ADJECTIVE.search(word)
    stems: list[str] = []
    if adjective:
        base = word[: adjective.start()]
        stems = [base[: len(base) - len(link)] for link in _ADJECTIVE_LINK if base.endswith(link)]
    if re.search(r"[а-яё]$", word, re.IGNORECASE):
        stems += [word[: -len(e)] for e in _RU_ENDINGS if word.lower().endswith(e)]
    for stem in stems:
        key = _vowelless(name_key(stem.rstrip("ьЬ")))
        if len(key) >= 3 and key in _BY_STEM:
            return _BY_STEM[key]
    return None


def district_mentions(sentence: str) -> list[DistrictMention]:
    """Every district ``sentence`` names, canonical, in order (repeats included)."""
    found: list[DistrictMention] = []
    for match in _WORD.finditer(sentence):
        district = canonical_district(match.group(0))
        if district is None:
            continue
        if district == "Baku" and _DATELINE_AFTER.match(sentence, match.end()):
            continue
        found.append(DistrictMention(district, match.start(), match.end()))
    return found


def find_districts(sentence: str) -> list[str]:
    """The districts ``sentence`` names, canonical, in order of first mention."""
    return list(dict.fromkeys(mention.district for mention in district_mentions(sentence)))


def unknown_names(sentence: str) -> list[tuple[str, int, int]]:
    """Names of districts that the gazetteer does not know, with where they are.

    A name before "district" or "rayonu" is one ("the Hadrut district"); so is a name in
    a list of which at least two are districts: "Tartar, Aghdam, Hadrut and Fuzuli"
    reports "Hadrut", a list of villages does not.
    """
    unknown: list[tuple[str, int, int]] = [
        (match.group(1), match.start(1), match.end(1))
        for match in _NAMED_DISTRICT.finditer(sentence)
        if not _names_district(match.group(1)) and match.group(1).lower() not in _NOT_NAMES
    ]
    for listed in _LIST.finditer(sentence):
        names = [
            (m.group(0), listed.start() + m.start(), listed.start() + m.end())
            for m in re.finditer(_NAME, listed.group(0))
            if m.group(0).lower() not in ("and", "as")
        ]
        known = [name for name in names if _names_district(name[0])]
        if len(known) >= 2:
            unknown.extend(
                name
                for name in names
                if not _names_district(name[0])
                and not _LOCALITY_AFTER.match(sentence, name[2])
                and name not in unknown
            )
    return unknown


def _names_district(name: str) -> bool:
    return any(canonical_district(word) for word in name.split())
