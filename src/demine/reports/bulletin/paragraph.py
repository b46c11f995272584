"""The bulletin's press-release paragraph, in the authority's own style.

"28 anti-personnel mines, 107 anti-tank mines, and 830 unexploded ordnances (UXOs)
were discovered in Tartar, Aghdam, …, and Zangilan. An area of 1,039.5 hectares was
cleared of mines and UXOs." Categories with nothing found are left out, singular and
plural follow the numbers, districts come in the configured reporting order, and every
phrase goes through the translation catalogue (lists are joined per locale).

Each language builds the sentence its own way from the same pieces: a device phrase
carries its count's plural form ("2 противопехотные мины", "5 противопехотных мин"),
and the sentence frame around the joined phrases is one catalogue entry, free to put
the districts first (Azerbaijani) or the verb first (Russian, "Обнаружено и
обезврежено: …", which needs no agreement with the list).
"""

from __future__ import annotations

from demine.analysis.summary import FigureSource, PeriodSummary
from demine.domain.places import shown_names
from demine.i18n import _, format_list, format_number, ngettext
from demine.reports.bulletin.summary_text import hectares


def device_phrases(summary: PeriodSummary) -> list[str]:
    total = summary.total
    phrases = []
    if total.ap_mines:
        phrases.append(
            ngettext("{n} anti-personnel mine", "{n} anti-personnel mines", total.ap_mines).format(
                n=format_number(total.ap_mines)
            )
        )
    if total.at_mines:
        phrases.append(
            ngettext("{n} anti-tank mine", "{n} anti-tank mines", total.at_mines).format(
                n=format_number(total.at_mines)
            )
        )
    if total.uxo:
        phrases.append(
            ngettext(
                "{n} unexploded ordnance (UXO)", "{n} unexploded ordnances (UXOs)", total.uxo
            ).format(n=format_number(total.uxo))
        )
    if total.other_devices:
        phrases.append(
            ngettext(
                "{n} other explosive item", "{n} other explosive items", total.other_devices
            ).format(n=format_number(total.other_devices))
        )
    return phrases


def finds_sentence(summary: PeriodSummary) -> str:
    phrases = device_phrases(summary)
    # Districts where something was found (not those with only an accident or land).
    shown = shown_names(summary.district_names)
    names = [
        shown[code]
        for code in summary.districts
        if code not in summary.by_district or summary.by_district[code].devices
    ]
    if not phrases:
        return _("No mines or unexploded ordnance were reported found.")
    devices = format_list(phrases)
    count = summary.total.devices
    if names:
        return ngettext(
            "{devices} was discovered in {districts}.",
            "{devices} were discovered in {districts}.",
            count,
        ).format(devices=devices, districts=format_list(names))
    return ngettext("{devices} was discovered.", "{devices} were discovered.", count).format(
        devices=devices
    )


def area_sentence(summary: PeriodSummary) -> str | None:
    cleared = summary.total.area_cleared_m2
    if not cleared:
        return None
    return _("An area of {hectares} hectares was cleared of mines and UXOs.").format(
        hectares=hectares(cleared)
    )


def bulletin_paragraph(summary: PeriodSummary, casualty_paragraph: str | None = None) -> str:
    """The paragraph as the authority would publish it (plus casualties, when known)."""
    sentences = [finds_sentence(summary)]
    area = area_sentence(summary)
    if area:
        sentences.append(area)
    text = "\n\n".join(sentences)
    if summary.source is FigureSource.REPORTED_SUMMARIES:
        text += "\n\n" + _("(Figures as published: {sources}.)").format(
            sources="; ".join(summary.source_references)
        )
    for conflict in summary.conflicts:
        text += "\n\n" + _("Warning: published figures disagree: {conflict}").format(
            conflict=conflict
        )
    if casualty_paragraph:
        text += "\n\n" + casualty_paragraph
    return text
