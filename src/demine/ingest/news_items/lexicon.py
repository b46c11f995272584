"""The words news items use, per language, as regular-expression fragments.

English is the reference; Azerbaijani, Russian, French and German forms are added where
real items use them. Each list is data: supporting a new phrasing should mean adding a
line here, not a branch in the readers.
"""

from __future__ import annotations

import re

_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "январь", "января", "январе", "yanvar", "yanvarın", "janvier", "januar"),
    2: ("february", "feb", "февраль", "февраля", "феврале", "fevral", "fevralın", "février"),
    3: ("march", "mar", "март", "марта", "марте", "mart", "martın", "mars", "märz"),
    4: ("april", "apr", "апрель", "апреля", "апреле", "aprel", "aprelin", "avril"),
    5: ("may", "май", "мая", "мае", "mayın", "mai"),
    6: ("june", "jun", "июнь", "июня", "июне", "iyun", "iyunun", "juin", "juni"),
    7: ("july", "jul", "июль", "июля", "июле", "iyul", "iyulun", "juillet", "juli"),
    8: ("august", "aug", "август", "августа", "августе", "avqust", "avqustun", "août"),
    9: ("september", "sept", "sep", "сентябрь", "сентября", "сентябре", "sentyabr", "sentyabrın"),
    10: ("october", "oct", "октябрь", "октября", "октябре", "oktyabr", "oktyabrın", "octobre"),
    11: ("november", "nov", "ноябрь", "ноября", "ноябре", "noyabr", "noyabrın", "novembre"),
    12: ("december", "dec", "декабрь", "декабря", "декабре", "dekabr", "dekabrın", "décembre"),
}
_MORE_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    9: ("septembre",),
    10: ("oktober",),
    12: ("dezember",),
}
MONTHS: dict[str, int] = {
    word: month
    for table in (_MONTH_WORDS, _MORE_MONTH_WORDS)
    for month, words in table.items()
    for word in words
}
#: Azerbaijani writes the dotless ı; copies often replace it with i.
MONTHS.update({word.replace("ı", "i"): m for word, m in list(MONTHS.items()) if "ı" in word})

#: Any month name; the optional dot allows ``Nov.`` and ``Sept.``.
MONTH = (
    r"(?<![\w])(?:"
    + "|".join(sorted((re.escape(w) for w in MONTHS), key=len, reverse=True))
    + r")(?![\w])\.?"
)
#: Azerbaijani month names in the genitive, as in ``mayın 17-dən 22-dək``.
MONTH_AZ_GENITIVE = (
    r"(?:" + "|".join(w for w in MONTHS if len(w) > 4 and re.search(r"[ıiu]n$", w)) + r")"
)


#: Azerbaijani month names without endings, for forms such as ``1 yanvarından``.
MONTH_AZ_STEM = r"(?:yanvar|fevral|mart|aprel|may|iyun|iyul|avqust|sentyabr|oktyabr|noyabr|dekabr)"


def month_number(word: str) -> int:
    """The month (1–12) a month word names; raises ``KeyError`` for any other word."""
    # "İyulun".lower() gives "i̇yulun" (i with a combining dot): drop the dot.
    return MONTHS[word.lower().replace("i\u0307", "i").rstrip(".")]


def any_of(*patterns: str) -> str:
    """One non-capturing alternation of ``patterns``."""
    return "(?:" + "|".join(patterns) + ")"


_any = any_of


# Ordnance categories. AP/AT abbreviations are case-sensitive: "at" is an English word.
AP_MINE = _any(
    r"anti[-‐\s]?personn?[ae]l(?:\s+(?:land)?mines?)?",
    r"(?-i:AP)\s+mines?",
    r"противопехотн\w*(?:\s+мин\w*)?",
    r"piyada\s+əleyhinə(?:\s+mina(?:lar)?)?",
    r"mines?\s+anti-?personnel(?:les)?",
    r"(?:Antipersonen|Schützen)minen",
)
AT_MINE = _any(
    r"anti[-‐\s]?tank(?:\s+(?:land)?mines?)?",
    r"(?-i:AT)\s+mines?",
    r"противотанков\w*(?:\s+мин\w*)?",
    r"tank\s+əleyhinə(?:\s+mina(?:lar)?)?",
    r"mines?\s+anti-?chars?",
    r"Panzer(?:abwehr)?minen",
)
UXO = _any(
    r"unexploded\s+(?:explosive\s+|military\s+)?(?:ordnances?|ordinances?|munitions?)"
    r"(?:\s*\((?-i:UXOs?)\))?",
    r"(?-i:UXOs?)(?![\w/-])",
    r"неразорвавш\w+(?:\s+(?:боеприпас|снаряд)\w*)?",
    r"partlamamış\s+hərbi\s+sursat\w*(?:\s*\((?-i:PHS)\))?",
    r"(?-i:PHS)(?!\w)",
    r"(?:munitions?|engins?)\s+non\s+explosé(?:e|s|es)?",
    r"Blindgänger\w*",
    r"nicht\s+explodierte\w*\s+(?:Kampfmittel|Munition)\w*",
)
#: A category written before its count: Azerbaijani "piyada əleyhinə 93", and lists
#: such as "anti-tank mines: 35" or "UXO – 830".
CATEGORY_BEFORE_COUNT = (
    rf"(?:(?P<ap_mines>{AP_MINE})|(?P<at_mines>{AT_MINE})|(?P<uxo>{UXO}))"
    r"(?:\s*[:–—-]\s*|(?<=əleyhinə)\s+)$"
)
#: Words allowed between a count and its category: "1,174 pieces of unexploded ordnance".
COUNT_FILLER = (
    r"(?:\s*-\s*|\s+)(?:(?:more|additional|other)\s+)?(?:(?:pieces?|units?|items?)\s+of\s+)?"
)

# Verbs. A count is taken only from a sentence saying the items were found or made safe;
# an area only from a clause saying it was cleared ("checked" or "inspected" is not).
FOUND = _any(
    r"\b(?:found|discovered|detected|uncovered|recovered|identified|collected)\b",
    r"\b(?:neutrali[sz]ed|defused|diffused|disarmed|removed|cleared|demined)\b",
    r"обнаружен\w*|обезврежен\w*|найден\w*|выявлен\w*|изъят\w*",
    r"aşkar(?:lan|\s+edil)\w*|zərərsizləşdiril\w*|tapıl\w*",
    r"découvert\w*|neutralisé\w*|désamorcé\w*|trouvé\w*",
    r"gefunden|entschärft|neutralisiert|entdeckt|geräumt",
)
CLEARED = _any(
    r"\b(?:cleared|cleaned|demined|de-mined|released|freed)\b|\bremoved\s+from\b",
    r"очищен\w*|разминирован[аоы]?(?!\w)",
    r"təmizlən\w*",
    r"déminé\w*|dépollué\w*|nettoyé\w*",
    r"geräumt|entmint\w*",
)
CHECKED_ONLY = _any(
    r"\b(?:checked|inspected|surveyed|examined|searched)\b",
    r"проверен\w*|обследован\w*",
    r"yoxlanıl\w*|baxışdan\s+keçiril\w*",
)
#: Words that make the figure after them a part of one stated before: "of which 4.4
#: hectares in Gazakh", "из них", "o cümlədən". Such a figure is never the period's own.
PART_OF = _any(
    r"\b(?:of\s+(?:which|whom|these|them|this|those)|including|among\s+them|in\s+particular)\b",
    r"\bof\s+the\s+(?:total|above)\b",
    r"из\s+(?:них|которых|этого|этой)|в\s+том\s+числе|в\s+частности",
    r"o\s+cümlədən|bunlardan|bundan|onlardan|həmçinin\s+bunun",
)
#: Words of a sentence that introduces a report (its period may stand alone there).
REPORT_WORDS = _any(
    r"\b(?:reports?|reported|information|data|statement|bulletin|update|summary|results)\b",
    r"\b(?:operations?|operational|activities|demining|mine-clearing|clearance|search)\b",
    r"məlumat\w*|əməliyyat\w*|hesabat\w*",
    r"сводк\w*|информаци\w*|операци\w*|разминировани\w*",
    r"opérations?|déminage|Bericht\w*|Räumung\w*",
)
#: Words that place a sentence in the field: districts are read only from such sentences.
FIELD_WORDS = _any(FOUND, CLEARED, REPORT_WORDS, r"\b(?:carried\s+out|conducted)\b")
#: Work still going on, not done in the period: "work is still conducted in Kalbajar".
ONGOING_WORDS = _any(
    r"\b(?:still|continues?|continuing|ongoing|under\s+way|underway|is\s+being|are\s+being)\b",
    r"\bwill\s+(?:be|continue)\b|\bplanned\b",
    r"продолжа\w*|ведутся|проводятся\s+по-прежнему|davam\s+(?:edir|etdirilir)\w*|hələ\s+də",
)
#: A call centre's statistics: where calls came from, not where anything was cleared
#: ("the call centre received 35 calls from Baku, Sumgayit and Goranboy"). Finds made
#: "in response to emergency calls … in Aghjabadi" are work and are not matched here.
CALL_WORDS = _any(
    r"\bcall[-\s]?cent(?:re|er)s?\b|\bhot[-\s]?line\b|\bcalls?\s+(?:were\s+)?received\b"
    r"|\breceived\s+(?:\d[\d,]*\s+)?(?:phone\s+)?calls\b|\bcalls\s+(?:came\s+)?from\b",
    r"\b(?:appeals?|applications?)\s+(?:from|of|by)\s+(?:citizens|residents)",
    r"колл?-?центр\w*|горяч\w+\s+лини\w*|обращени\w*\s+граждан|поступил\w*\s+(?:\d+\s+)?звонк\w*"
    r"|звонк\w*\s+(?:от|из)\b",
    r"çağrı\s+mərkəz\w*|qaynar\s+xətt\w*|vətəndaşların\s+müraciət\w*|zəng\s+daxil\s+ol\w*",
)
INCIDENT_WORDS = r"(?i:explosi|incident|blast|взрыв|partlayış|hadisə)"
WEEKLY_WORDS = _any(
    r"\bweekly\b|\bone-week\b|\bweek\b",
    r"həftəlik|həftə\w*",
    r"еженедельн\w*|недел\w*",
    r"hebdomadaire|semaine|wöchentlich\w*|Woche",
)
MONTHLY_WORDS = _any(
    r"\bmonthly\s+(?:report|bulletin|information|update|statement|results)\b",
    r"\breporting\s+month\b",
    r"aylıq|ежемесячн\w*|mensuel\w*|monatlich\w*",
)
#: Qualifiers before a number: the figure is kept as written and flagged approximate.
APPROXIMATE = _any(
    r"\b(?:more\s+than|over|about|around|some|nearly|almost|approximately|roughly)",
    r"\b(?:up\s+to|at\s+least)",
    r"environ|plus\s+de|около|более|свыше|почти|təxminən|etwa|mehr\s+als|über",
)
APPROXIMATE_BEFORE = re.compile(APPROXIMATE + r"\s*$", re.IGNORECASE)
