"""The bulletin's sentence on risk education: sessions held and whom they reached."""

from __future__ import annotations

from demine.analysis.eore import Reach
from demine.i18n import _, format_list, format_number, ngettext


def reach_phrases(reach: Reach) -> list[str]:
    """``12 girls``, ``1 boy``…: the groups reached, the empty ones left out."""
    groups = (
        (reach.girls, ngettext("{n} girl", "{n} girls", reach.girls)),
        (reach.boys, ngettext("{n} boy", "{n} boys", reach.boys)),
        (reach.women, ngettext("{n} woman", "{n} women", reach.women)),
        (reach.men, ngettext("{n} man", "{n} men", reach.men)),
    )
    return [phrase.format(n=format_number(n)) for n, phrase in groups if n]


def risk_education_sentence(reach: Reach) -> str | None:
    """None when no session was held in the period."""
    if not reach.sessions:
        return None
    sessions = ngettext(
        "{n} explosive ordnance risk education session was held",
        "{n} explosive ordnance risk education sessions were held",
        reach.sessions,
    ).format(n=format_number(reach.sessions))
    if not reach.beneficiaries:
        return _("{sessions}.").format(sessions=sessions)
    sentence = ngettext(
        "{sessions}, reaching {total} person: {groups}.",
        "{sessions}, reaching {total} people: {groups}.",
        reach.beneficiaries,
    ).format(
        sessions=sessions,
        total=format_number(reach.beneficiaries),
        groups=format_list(reach_phrases(reach)),
    )
    if reach.persons_with_disabilities:
        sentence += " " + ngettext(
            "{n} of them is a person with disabilities.",
            "{n} of them are persons with disabilities.",
            reach.persons_with_disabilities,
        ).format(n=format_number(reach.persons_with_disabilities))
    return sentence
