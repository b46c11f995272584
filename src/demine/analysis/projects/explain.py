"""Each project's rank explained in words: what it holds, what it needs, why it ranks there.

Every sentence is a whole translatable template (no sentence is built by joining
fragments), so that Azerbaijani and Russian versions can reorder what they need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from demine.analysis.projects.assess import ClearStatus, ProjectAssessment
from demine.analysis.projects.ranking import CRITERIA, RankedProject, Weights
from demine.analysis.projects.tasking import ProductivitySource
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.i18n import _, format_number, ngettext


@dataclass(frozen=True)
class ExplainContext:
    """What the sentences refer to besides the project: names, window, distance, weights."""

    names: Mapping[str, str]
    months: int
    distance_m: float
    weights: Weights
    count: int


def _ha(square_metres: float) -> str:
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 2)


def strength_label(name: str) -> str:
    """A criterion as what lifts a project's score."""
    return {
        "priority": _("its high priority"),
        "people": _("the many people it serves"),
        "contamination": _("the contamination in its footprint"),
        "effort": _("the little clearance it needs"),
    }[name]


def weakness_label(name: str) -> str:
    """A criterion as what holds a project's score down."""
    return {
        "priority": _("its lower priority"),
        "people": _("the fewer people it serves"),
        "contamination": _("the little contamination in its footprint"),
        "effort": _("the clearance it needs"),
    }[name]


def _why(ranked: RankedProject, weights: Weights) -> list[str]:
    """What lifts the score most, and what holds it down most."""
    gains = ranked.contributions(weights)
    total = sum(getattr(weights, name) for name in CRITERIA)
    losses = {name: getattr(weights, name) / total - gains[name] for name in CRITERIA}
    # Ties go to the criterion listed first (priority, people, contamination, effort).
    strength = max(CRITERIA, key=lambda name: (round(gains[name], 9), -CRITERIA.index(name)))
    # The weakness is looked for among the other criteria: "it rests on its priority and
    # loses on its priority" says nothing.
    others = [name for name in CRITERIA if name != strength or gains[strength] <= 0]
    weakness = max(others, key=lambda name: (round(losses[name], 9), -CRITERIA.index(name)))
    has_strength, has_weakness = gains[strength] > 0, losses[weakness] > 1e-9
    if has_strength and has_weakness:
        return [
            _("Its score rests mostly on {strength}; it loses most on {weakness}.").format(
                strength=strength_label(strength), weakness=weakness_label(weakness)
            )
        ]
    if has_strength:
        return [
            _("Its score rests mostly on {strength}.").format(strength=strength_label(strength))
        ]
    return [_("It loses most on {weakness}.").format(weakness=weakness_label(weakness))]


def _contamination(a: ProjectAssessment) -> str:
    if a.hazardous_m2 <= 0:
        return _("No known hazardous area lies in its footprint.")
    return _(
        "{total} ha of known hazardous area lie in its footprint "
        "({cha} ha confirmed, {sha} ha suspected)."
    ).format(total=_ha(a.hazardous_m2), cha=_ha(a.cha_m2), sha=_ha(a.sha_m2))


def _evidence(a: ProjectAssessment, context: ExplainContext) -> list[str]:
    distance = format_number(context.distance_m)
    sentences = []
    if a.devices_nearby:
        sentences.append(
            ngettext(
                "{count} device has been found within {distance} m of it.",
                "{count} devices have been found within {distance} m of it.",
                a.devices_nearby,
            ).format(count=format_number(a.devices_nearby), distance=distance)
        )
    if a.accidents_nearby:
        sentences.append(
            ngettext(
                "{count} accident has been recorded within {distance} m of it.",
                "{count} accidents have been recorded within {distance} m of it.",
                a.accidents_nearby,
            ).format(count=format_number(a.accidents_nearby), distance=distance)
        )
    if a.records:
        sentences.append(
            ngettext(
                "It overlaps {count} minefield record.",
                "It overlaps {count} minefield records.",
                len(a.records),
            ).format(count=format_number(len(a.records)))
        )
    if a.hazardous_m2 <= 0 and (a.devices_nearby or a.accidents_nearby):
        sentences.append(_("Survey it before works begin: ordnance has been found nearby."))
    return sentences


def _effort(a: ProjectAssessment, context: ExplainContext) -> list[str]:
    status = a.clear_status
    if status is ClearStatus.NO_KNOWN_HAZARD:
        return []
    if status is ClearStatus.NO_PRODUCTIVITY:
        return [_("No clearance productivity was measured, so the effort cannot be estimated.")]
    effort = a.effort_team_days or 0.0
    sentences = [
        ngettext(
            "Clearing it takes about {effort} team-day.",
            "Clearing it takes about {effort} team-days.",
            round(effort),
        ).format(effort=format_number(effort))
    ]
    for part in a.efforts:
        if part.productivity_source is ProductivitySource.NATIONAL:
            sentences.append(
                _(
                    "No clearance was timed in {district}; the national productivity is used."
                ).format(district=context.names.get(part.district, part.district))
            )
    if status is ClearStatus.NO_TEAMS:
        idle = [e.district for e in a.efforts if e.days is None]
        sentences.append(
            ngettext(
                "No clearance team worked in {districts} in the last {months} month, "
                "so at current tasking it will not be cleared.",
                "No clearance team worked in {districts} in the last {months} months, "
                "so at current tasking it will not be cleared.",
                context.months,
            ).format(
                districts=", ".join(context.names.get(d, d) for d in idle),
                months=format_number(context.months),
            )
        )
    return sentences


def _timing(a: ProjectAssessment) -> list[str]:
    clear_by, start = a.clear_by, a.project.planned_start
    if clear_by is None:
        return []
    sentences = []
    if a.clear_status is ClearStatus.ESTIMATED:
        sentences.append(
            _("At current tasking it could be clear by {day}.").format(day=clear_by.isoformat())
        )
    if start is not None and start < clear_by:
        sentences.append(
            _("Its planned start ({start}) comes before that.").format(start=start.isoformat())
        )
    return sentences


def explain(ranked: RankedProject, context: ExplainContext) -> str:
    """Why ``ranked`` stands where it does, in a few sentences."""
    a = ranked.assessment
    project = a.project
    sentences = [
        _(
            "Rank {rank} of {count} (score {score}); priority {priority}, 1 being the most urgent."
        ).format(
            rank=format_number(ranked.rank),
            count=format_number(context.count),
            score=format_number(ranked.score, 2),
            priority=format_number(project.priority),
        )
    ]
    if project.people_benefiting is None:
        sentences.append(_("The number of people benefiting is not recorded."))
    else:
        sentences.append(
            ngettext(
                "{count} person benefits.", "{count} people benefit.", project.people_benefiting
            ).format(count=format_number(project.people_benefiting))
        )
    sentences.append(_contamination(a))
    sentences += _evidence(a, context)
    sentences += _effort(a, context)
    sentences += _timing(a)
    sentences += _why(ranked, context.weights)
    return " ".join(sentences)
