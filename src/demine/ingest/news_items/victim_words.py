"""The words of casualty statistics, per language, as compiled patterns.

Kept apart from :mod:`victims` so that the grammar there reads as rules, and a new
phrasing is a new alternative here.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _any(*patterns: str) -> str:
    return "(?:" + "|".join(patterns) + ")"


#: The span counted from the end of the Second Karabakh War (10 November 2020).
SINCE_WAR = re.compile(
    _any(
        r"\b(?:since|after)\s+the\s+(?:end\s+of\s+(?:the\s+)?)?"
        r"(?:(?:second|2nd|44-day|patriotic)\s+)*(?:(?:karabakh|garabagh|qarabag|karabagh)\s+)?war\b",
        r"\b(?:since|after|from|between)\s+(?:(?:10\s+)?november\s+(?:10,?\s+)?)?2020\b",
        r"\bsince\s+the\s+signing\s+of\s+the\s+(?:[\w-]+\s+){0,5}?"
        r"(?:peace\s+(?:deal|agreement)|trilateral\s+statement|ceasefire|statement)",
        r"\bpost-war\s+period\b",
        r"après\s+la\s+fin\s+de\s+la\s+(?:seconde|deuxième|2e)\s+guerre",
        r"depuis\s+la\s+fin\s+de\s+la\s+guerre|depuis\s+(?:le\s+)?10\s+novembre\s+2020",
        r"после\s+(?:окончания\s+)?(?:второй\s+)?(?:карабахской\s+)?войны|с\s+10\s+ноября\s+2020",
        r"qarabağ\s+müharibəsindən\s+sonra|müharibədən\s+sonra|2020-ci\s+il(?:in)?\s+noyabr",
        r"seit\s+(?:dem\s+)?(?:ende\s+des\s+)?(?:zweiten\s+)?karabach-?krieg\w*",
    ),
    _I,
)
#: A single year or a closed span that is not "since the war": not recorded.
OTHER_SPAN = re.compile(
    _any(
        r"\b(?:in|during|for|throughout)\s+(?:the\s+year\s+)?(?:19|20)\d\d\b(?!\s*[-–])",
        r"\b(?:last|this|past|previous)\s+year\b|\bsince\s+the\s+(?:beginning|start)\s+of\s+the\s+year\b",
        r"\bfrom\s+(?:19|20)\d\d\s+(?:to|till|until)\s+(?:19|20)\d\d\b",
        r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b",
        r"\bim\s+(?:vergangenen|letzten)\s+jahr\b|\ben\s+(?:19|20)\d\d\b",
        r"\bв\s+(?:19|20)\d\d\s+году|(?:19|20)\d\d-ci\s+ildə|ötən\s+il",
    ),
    _I,
)
#: The national total since records began.
ALL_TIME = re.compile(
    _any(
        r"\b(?:total|overall)\s+number\s+of\s+(?:(?:land)?mine\s+)?(?:victims|casualties)\b",
        r"\bsince\s+19\d\d\b|\bsince\s+the\s+(?:early\s+)?1990s\b",
        r"\bsince\s+the\s+(?:beginning|start)\s+of\s+the\s+(?:first\s+)?(?:karabakh\s+)?"
        r"(?:conflict|war|occupation)\b",
    ),
    _I,
)
#: A sentence that refers back to the people counted just before it.
ANAPHORA = re.compile(
    _any(
        r"\b(?:of|among)\s+(?:them|those|these|whom)\b",
        r"\bat\s+the\s+same\s+time\b|\b(?:during|in)\s+the\s+(?:same|specified|said)\s+period\b",
        r"d['’]entre\s+(?:eux|elles)|из\s+них|onlardan|davon",
    ),
    _I,
)
MINE_CONTEXT = re.compile(
    r"\b(?:land)?mines?\b|minefield|\bUXO|ordnance|explosi|munition|minen|\bмин|взрыв|\bmina|partla",
    _I,
)

_GENERAL = _any(
    r"people|persons?|individuals|citizens|Azerbaijanis|residents|personnes|Menschen|Personen",
    r"человек|граждан\w*|nəfər|vətəndaş\w*|insan",
)
_CIVILIAN = r"(?:civilians?|civils|Zivilisten|мирных\s+жителей|mülki\s+şəxs\w*|dinc\s+sakin\w*)"
_MILITARY = _any(
    r"soldiers|servicemen|service\s*members|military\s+personnel|military|troops",
    r"militaires|Soldaten|военнослужащ\w*|hərbçi\w*|hərbi\s+qulluqçu\w*",
)
_CHILDREN = r"(?:children|minors|enfants|Kinder|детей|uşaq\w*)"
#: Groups that are only part of the victims and have no field: a sentence counting them
#: is not read ("5 deminers were killed and 20 injured" is not 20 victims injured).
_SUBGROUP = _any(
    r"deminers|sappers|employees|staff|specialists|workers|journalists|policemen|police\s+officers",
    r"shepherds|farmers|minaaxtaran\w*|сапер\w*|демайнер\w*",
)
_WOMEN = r"(?:women|femmes|Frauen|женщин\w*|qadın\w*)"
# Up to two describing words between a number and its noun: "21 Azerbaijani citizens".
_DESCRIBED = r"(?:\s+(?!(?:and|or|of|in|the|were|was)\b)[\w’'-]+){0,2}?\s+"
PERSON_AFTER = re.compile(
    _DESCRIBED
    + rf"(?:(?P<combined>{_WOMEN}\s+and\s+{_CHILDREN}|{_CHILDREN}\s+and\s+{_WOMEN})"
    + rf"|(?P<children>{_CHILDREN})|(?P<women>{_WOMEN})|(?P<subgroup>{_SUBGROUP})"
    + rf"|(?P<civilian>{_CIVILIAN})"
    + rf"|(?P<military>{_MILITARY})|(?P<general>{_GENERAL}))(?!\w)",
    _I,
)
#: "70 fatalities", "312 injuries": the noun says what happened.
ROLE_NOUN_AFTER = re.compile(
    r"(?:\s+[\w’'-]+)?\s+(?:(?P<killed>fatalities|deaths|dead|killed)|(?P<injured>injuries|injured|wounded)"
    r"|(?P<total>casualties|victims))\b",
    _I,
)
#: "65 of them have died", "253 were injured", "57 d'entre elles": a count of people.
BARE_COUNT_AFTER = re.compile(
    r"\s+(?:of\s+(?:them|whom|those|these)\b|others?\b|were\b|have\b|had\b|lost\b|died\b"
    r"|d['’]entre\b|из\s+них|погиб\w*|получил\w*|пострадал\w*|nəfər\b)",
    _I,
)
SUBSET_BEFORE = re.compile(
    r"(?:including|incl\.|among\s+them|of\s+which|y\s+compris|darunter|в\s+том\s+числе"
    r"|o\s+cümlədən)\s*$",
    _I,
)
PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per\s+cent|faiz|процент)", _I)
#: What happened to the people just counted; the first alternative that fits wins.
ROLE = re.compile(
    r"(?<!\w)"
    + _any(
        r"(?P<total>killed\s+or\s+(?:injured|wounded)|(?:injured|wounded)\s+or\s+killed"
        r"|bec(?:a|o)me\s+(?:(?:land)?mine\s+)?victims?|were\s+victims?|been\s+victims?|(?:fell|fallen)\s+victims?"
        r"|(?:been|were|are)\s+affected|stepped\s+on|(?:were|been)\s+damaged|victimes|Opfer"
        r"|стали\s+жертвами|пострадал\w*|qurban\w*|zərər\s+çək\w*)",
        r"(?P<killed>killed|died|dead|deaths?|lost\s+(?:their|his|her)\s+li(?:ves|fe)"
        r"|losing\s+their\s+lives|fatalit(?:y|ies)|perdu\s+(?:la|leur)\s+vie|tués?|getötet"
        r"|ums\s+Leben|погиб\w*|həlak)",
        r"(?P<injured>injured|wounded|injur(?:y|ies)|blessés?|blessures|verletzt|ранен\w*"
        r"|травм\w*|yaralan\w*|xəsarət)",
    )
    + r"(?!\w)",
    _I,
)
#: Words that make a sentence about victims even without a role word after a count.
VICTIM_WORDS = re.compile(r"\bvictims?\b|\bcasualt|жертв|qurban|victimes|Opfer", _I)
#: "the number of mine victims … has reached 350": the number after the verb is a total.
TOTAL_SENTENCE = re.compile(
    r"(?:total\s+)?number\s+of\s+"
    r"(?P<what>people\s+(?:injured|affected|wounded|hurt|killed)(?:\s+or\s+(?:killed|injured))?"
    r"|(?:[\w-]+\s+){0,6}?(?:victims|casualties))\b[^.;]*?\b"
    r"(?:has\s+reached|have\s+reached|reached|is|was|stands\s+at|stood\s+at|amounts?\s+to"
    r"|amounted\s+to|totals?|totalled|has\s+risen\s+to|rose\s+to|(?:has\s+)?increased\s+to)"
    r"\s+(?:approximately\s+|about\s+|over\s+|more\s+than\s+|nearly\s+)?",
    _I,
)
#: A breakdown in brackets after a count: "(civilian: 49; military: 13)".
CIVILIAN_BREAKDOWN = re.compile(
    r"\(\s*(?:civilians?|mülki(?:\s+şəxs\w*)?|мирных(?:\s+жителей)?|гражданских)\s*[:–-]\s*"
    r"(?P<civilians>\d+)\s*[;,]\s*(?:military|hərbçi\w*|военнослужащих|военных)\s*[:–-]\s*\d+\s*\)",
    _I,
)
