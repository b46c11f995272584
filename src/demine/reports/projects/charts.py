"""The projects map and the ranking chart, as SVG data URIs (matplotlib, no pyplot).

The map shows each project (numbered by rank) over the hazards by their status on the
as-of day; the chart shows how each criterion adds to each project's score.
"""

from __future__ import annotations

from matplotlib.patches import Patch

from demine.analysis.landrelease.figures import HazardOnMap
from demine.analysis.projects.analysis import ProjectsAnalysis
from demine.analysis.projects.ranking import CRITERIA
from demine.i18n import _
from demine.reports.landrelease.charts import (
    STATUS_COLOURS,
    draw_districts,
    hazards_on_map,
    status_label,
)
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

PROJECT_COLOUR = "#1f4e79"
CRITERION_COLOURS = {
    "priority": "#1f4e79",
    "people": "#2e86c1",
    "contamination": "#c0392b",
    "effort": "#27ae60",
}


def criterion_name(name: str) -> str:
    return {
        "priority": _("Priority"),
        "people": _("People benefiting"),
        "contamination": _("Contamination"),
        "effort": _("Low effort"),
    }[name]


def _hazards(analysis: ProjectsAnalysis) -> list[HazardOnMap]:
    result = []
    for hazard in analysis.hazards:
        status = hazard.status_on(analysis.as_of)
        if hazard.geometry is not None and status is not None:
            result.append(HazardOnMap(hazard.geometry, hazard.classification, status))
    return result


def projects_map(analysis: ProjectsAnalysis, title: str) -> str:
    """Projects, numbered by rank, over the hazards by status and the districts."""
    figure, axes = new_figure(7.6, 5.6)
    draw_districts(axes, analysis.districts)
    hazards_on_map(axes, _hazards(analysis), marker_size=6)
    for ranked in analysis.ranked:
        geometry = ranked.assessment.project.geometry
        if geometry is None:
            continue
        parts = getattr(geometry, "geoms", [geometry])
        for part in parts:
            if part.geom_type == "LineString":
                x, y = part.xy
                axes.plot(list(x), list(y), color=PROJECT_COLOUR, linewidth=1.6, zorder=6)
        fill_geometry(axes, geometry, facecolor="none", edgecolor=PROJECT_COLOUR, linewidth=1.4,
              zorder=6)  # fmt: skip
        anchor = geometry.representative_point()
        badge = {"boxstyle": "circle,pad=0.25", "fc": PROJECT_COLOUR, "ec": "none"}
        axes.annotate(str(ranked.rank), (anchor.x, anchor.y), ha="center", va="center",
                      fontsize=7, color="white", zorder=7, bbox=badge)  # fmt: skip
    keys = [Patch(color=STATUS_COLOURS[s], label=status_label(s)) for s in STATUS_COLOURS]
    keys.append(Patch(facecolor="none", edgecolor=PROJECT_COLOUR, label=_("Project (rank)")))
    axes.legend(handles=keys, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    axes.set_aspect(1.3)
    axes.set_xlabel(_("Longitude"))
    axes.set_ylabel(_("Latitude"))
    axes.set_title(title + "\n" + _("District shapes may be approximate."))
    return svg_data_uri(figure)


def score_chart(analysis: ProjectsAnalysis, title: str) -> str:
    """Each project's score split into what each weighted criterion adds to it."""
    ranked = analysis.ranked
    figure, axes = new_figure(7.2, 0.9 + 0.3 * max(len(ranked), 2))
    positions = list(range(len(ranked)))
    left = [0.0] * len(ranked)
    parts = [r.contributions(analysis.weights) for r in ranked]
    for name in CRITERIA:
        values = [p[name] for p in parts]
        axes.barh(positions, values, left=left, color=CRITERION_COLOURS[name], height=0.7,
                  label=criterion_name(name))  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, [f"{r.rank}. {r.assessment.project.name}" for r in ranked])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel(_("Score (0–1)"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    axes.set_title(title)
    return svg_data_uri(figure)
