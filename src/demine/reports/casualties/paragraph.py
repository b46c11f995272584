"""The casualty paragraph in the authority's style, and the notes that go with it.

"Note that the number of mine victims since the Second Garabagh War has reached 350,
and 65 of them have died. More than 70% of landmine victims are civilians. Among them
are people of all age categories. The total number of landmine victims in Azerbaijan is
3,429, including 357 children and 38 women. 595 of those people lost their lives."

Sentences are written from the figures' JSON (exact or public), so a public report
says ``<5`` wherever its tables do. An unknown outcome is said, never folded away.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from demine.domain.disclosure import WITHHELD, Cell
from demine.domain.places import shown_by_canonical
from demine.domain.reference_dates import reference_date_for
from demine.i18n import N_, _, format_day, format_list, format_number, ngettext

#: A sentence needs a number for its plural form; a hidden count reads as several.
_SEVERAL = 5

#: "since <reference date>" as whole phrases, by country: each language puts its own
#: case ending or postposition on the name ("İkinci Qarabağ müharibəsindən sonra", "с
#: окончания Второй Карабахской войны"), so "since" and the name are translated together.
_SINCE_REFERENCE = {"AZ": N_("since the Second Garabagh War")}


def cell_text(cell: Cell | None) -> str:
    """A count as people read it: ``3,429``, ``<5`` or "withheld" when hidden."""
    if cell is None:
        return "–"
    if cell == WITHHELD:
        return _("withheld")
    return cell if isinstance(cell, str) else format_number(cell)


def _said(cell: Cell | None) -> bool:
    """Whether a sentence can state the count (known, and not withheld)."""
    return cell is not None and cell != WITHHELD


def _shown_positive(cell: Cell | None) -> bool:
    return isinstance(cell, int) and cell > 0


def _n(cell: Cell) -> int:
    return cell if isinstance(cell, int) else _SEVERAL


def since_words(figures: dict[str, Any]) -> str | None:
    """How a sentence names the start: "the Second Garabagh War" or "Nov 10, 2020"."""
    if figures["since"] is None:
        return None
    since = date.fromisoformat(figures["since"])
    reference = reference_date_for(figures["country"])
    if reference is not None and reference.day == since:
        return _(reference.since_phrase)
    return format_day(since)


def _since_phrase(figures: dict[str, Any]) -> str | None:
    """The start with its "since": "since the Second Garabagh War", "since Nov 10, 2020"."""
    if figures["since"] is None:
        return None
    since = date.fromisoformat(figures["since"])
    reference = reference_date_for(figures["country"])
    phrase = _SINCE_REFERENCE.get(figures["country"].upper())
    if reference is not None and reference.day == since and phrase is not None:
        return _(phrase)
    return _("since {day}").format(day=format_day(since))


def _first_sentence(figures: dict[str, Any]) -> str:
    total, killed = figures["since_total"], figures["since_killed"]
    since, district = _since_phrase(figures), figures["district"]
    values = {"since": since, "district": district, "total": cell_text(total)}
    if killed == WITHHELD:
        # Hidden so that a small count elsewhere cannot be worked out: not said at all.
        if district and since:
            template = _("Note that the number of mine victims in {district} {since} has "
                         "reached {total}.")  # fmt: skip
        elif since:
            template = _("Note that the number of mine victims {since} has reached {total}.")
        else:
            template = _("Note that the number of recorded mine victims has reached {total}.")
        return template.format(**values)
    values["killed"] = cell_text(killed)
    if district and since:
        template = ngettext(
            "Note that the number of mine victims in {district} {since} has reached "
            "{total}, and {killed} of them has died.",
            "Note that the number of mine victims in {district} {since} has reached "
            "{total}, and {killed} of them have died.",
            _n(killed),
        )
    elif since:
        template = ngettext(
            "Note that the number of mine victims {since} has reached {total}, and "
            "{killed} of them has died.",
            "Note that the number of mine victims {since} has reached {total}, and "
            "{killed} of them have died.",
            _n(killed),
        )
    else:
        template = ngettext(
            "Note that the number of recorded mine victims has reached {total}, and {killed} "
            "of them has died.",
            "Note that the number of recorded mine victims has reached {total}, and {killed} "
            "of them have died.",
            _n(killed),
        )
    return template.format(**values)


def _share_sentence(share: float | None) -> str | None:
    """ "More than 70% of landmine victims are civilians", rounded down to tens."""
    if share is None:
        return None
    percent = share * 100
    tens = int(percent // 10) * 10
    if tens >= 10 and percent > tens:
        template = _("More than {percent}% of landmine victims are civilians.")
        return template.format(percent=format_number(tens))
    return _("{percent}% of landmine victims are civilians.").format(percent=format_number(percent))


def _all_time_sentences(figures: dict[str, Any]) -> list[str]:
    total = figures["all_time_total"]
    if total is None:
        return []
    where = figures["district"] or figures["country_name"]
    parts = []
    children, women = figures["all_time_children"], figures["all_time_women"]
    if _said(children):
        parts.append(
            ngettext("{n} child", "{n} children", _n(children)).format(n=cell_text(children))
        )
    if _said(women):
        parts.append(ngettext("{n} woman", "{n} women", _n(women)).format(n=cell_text(women)))
    if parts:
        first = _("The total number of landmine victims in {where} is {total}, including {parts}.")
        sentences = [first.format(where=where, total=cell_text(total), parts=format_list(parts))]
    else:
        first = _("The total number of landmine victims in {where} is {total}.")
        sentences = [first.format(where=where, total=cell_text(total))]
    killed = figures["all_time_killed"]
    if _said(killed):
        sentences.append(
            ngettext(
                "{killed} of those people lost their life.",
                "{killed} of those people lost their lives.",
                _n(killed),
            ).format(killed=cell_text(killed))
        )
    return sentences


#: The figures' tables keyed by district name.
_BY_DISTRICT_NAME = ("by_district", "accidents_by_district")


def named_for_reader(figures: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """``figures`` (canonical names, as their JSON keeps them) with the country and the
    districts named in the reader's language; ``names``: every area's, by code."""
    by_name = shown_by_canonical(names)
    shown = dict(figures)
    for key in ("country_name", "district"):
        if shown.get(key):
            shown[key] = by_name.get(shown[key], shown[key])
    for key in _BY_DISTRICT_NAME:
        if isinstance(shown.get(key), dict):
            shown[key] = {by_name.get(name, name): cell for name, cell in shown[key].items()}
    return shown


def casualty_paragraph(figures: dict[str, Any]) -> str | None:
    """The paragraph for ``figures`` (``CasualtyStatistics.to_json`` or its public view).

    None when there is nothing to say (no accident, victim or baseline).
    """
    all_time = figures["all_time_total"]
    if not figures["since_total"] and not all_time:
        return _accidents_only(figures)
    sentences = [_first_sentence(figures)]
    unknown = figures["since_unknown_outcome"]
    if unknown and _said(unknown):
        sentences.append(
            ngettext(
                "The outcome is not known for {n} of them.",
                "The outcome is not known for {n} of them.",
                _n(unknown),
            ).format(n=cell_text(unknown))
        )
    if figures["since_total"]:
        share = _share_sentence(figures["since_civilian_share"])
        if share:
            sentences.append(share)
        ages = figures["by_age_band"]
        # Only from shown counts: a hidden one may be a zero hidden to protect another.
        if all(_shown_positive(ages.get(group)) for group in ("0-17", "18-59", "60+")):
            sentences.append(_("Among them are people of all age categories."))
    sentences += _all_time_sentences(figures)
    return " ".join(sentences)


def _accidents_only(figures: dict[str, Any]) -> str | None:
    accidents = figures["since_accidents"]
    if not accidents:
        return None
    since = _since_phrase(figures)
    if since:
        template = ngettext(
            "{n} explosive ordnance accident has been recorded {since}, with no victim recorded.",
            "{n} explosive ordnance accidents have been recorded {since}, with no victim recorded.",
            _n(accidents),
        )
    else:
        template = ngettext(
            "{n} explosive ordnance accident has been recorded, with no victim recorded.",
            "{n} explosive ordnance accidents have been recorded, with no victim recorded.",
            _n(accidents),
        )
    return template.format(n=cell_text(accidents), since=since)


def baseline_note(figures: dict[str, Any]) -> str | None:
    """How the all-time figures are made: the published baseline plus the records."""
    baseline, after = figures["baseline"], figures["after_baseline"]
    if after is None:
        return None
    if baseline is None:
        return _("All-time figures are recorded victims only: no published baseline is held.")
    return _(
        "All-time figures: {published} victims published up to {day} ({source}), plus "
        "{recorded} recorded from {start} to {end}."
    ).format(
        published=cell_text(baseline["figures"]["total"]),
        day=format_day(date.fromisoformat(baseline["date"])),
        source=baseline["source"] or baseline["external_id"],
        recorded=cell_text(after["total"]),
        start=format_day(date.fromisoformat(after["from"])),
        end=format_day(date.fromisoformat(after["to"])),
    )


def unplaced_notes(figures: dict[str, Any]) -> list[str]:
    """Records dated too roughly to place: how many, never put on an invented day."""
    notes = []
    accidents, victims = figures["since_unplaced_accidents"], figures["since_unplaced_victims"]
    if accidents or victims:
        notes.append(
            _(
                "{accidents} with {victims}, dated only to a month or a year, could not be "
                "placed inside the period and are not counted."
            ).format(
                accidents=ngettext("{n} accident", "{n} accidents", _n(accidents)).format(
                    n=cell_text(accidents)
                ),
                victims=ngettext("{n} victim", "{n} victims", _n(victims)).format(
                    n=cell_text(victims)
                ),
            )
        )
    straddling = figures["all_time_unplaced_victims"]
    if straddling:
        notes.append(
            ngettext(
                "{n} victim dated only to a month or a year could not be placed against the "
                "baseline's date and is not in the all-time figures.",
                "{n} victims dated only to a month or a year could not be placed against the "
                "baseline's date and are not in the all-time figures.",
                _n(straddling),
            ).format(n=cell_text(straddling))
        )
    return notes


def casualty_text(figures: dict[str, Any]) -> str:
    """The text report: the paragraph, how all-time figures are made, notes, warnings."""
    blocks = [casualty_paragraph(figures) or _("No casualty data are recorded.")]
    note = baseline_note(figures)
    if note:
        blocks.append(note)
    blocks += unplaced_notes(figures)
    blocks += [_("Warning: {warning}").format(warning=w) for w in figures["warnings"]]
    if figures["public"]:
        blocks.append(
            _(
                "Public figures: counts from 1 to {below} are shown as <{threshold}; "
                "'withheld' marks a count hidden so that a small one cannot be worked out "
                "from the totals."
            ).format(
                below=figures["suppression_threshold"] - 1,
                threshold=figures["suppression_threshold"],
            )
        )
    return "\n\n".join(blocks)
