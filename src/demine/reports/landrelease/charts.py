"""Land-release charts and the hazard status map, as SVG data URIs (matplotlib, no pyplot).

The map shows every hazard recorded by the period's end, coloured by its status on
that day; at programme scale a hazard is a speck, so each also gets a marker.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.figures import HazardOnMap, LandReleaseFigures
from demine.analysis.landrelease.released import hectares
from demine.domain.kinds.places import BOUNDARY_CREDIT
from demine.domain.places import shown_names
from demine.domain.vocab import HazardClassification, HazardStatus
from demine.i18n import _
from demine.reports.bulletin.palette import HECTARE_COLOUR
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

METHOD_COLOURS = {"cancelled": "#aab7b8", "reduced": "#f4d03f", "cleared": HECTARE_COLOUR}
STATUS_COLOURS = {
    HazardStatus.OPEN: "#c0392b",
    HazardStatus.WORKED_ON: "#e67e22",
    HazardStatus.CLOSED: "#27ae60",
}
CLASS_COLOURS = {HazardClassification.CHA: "#922b21", HazardClassification.SHA: "#f0b27a"}


def method_label(method: str) -> str:
    return {
        "cancelled": _("Cancelled (non-technical survey)"),
        "reduced": _("Reduced (technical survey)"),
        "cleared": _("Cleared"),
    }[method]


def status_label(status: HazardStatus) -> str:
    return {
        HazardStatus.OPEN: _("open"),
        HazardStatus.WORKED_ON: _("worked on"),
        HazardStatus.CLOSED: _("closed"),
    }[status]


def released_chart(figures: LandReleaseFigures, title: str) -> str:
    """Hectares released per week (or month) of the period, stacked by method."""
    figure, axes = new_figure(7.2, 2.8)
    steps = figures.steps
    positions = list(range(len(steps)))
    bottom = [0.0] * len(steps)
    for method in ("cleared", "reduced", "cancelled"):
        values = [hectares(getattr(released, f"{method}_m2")) for _, released in steps]
        axes.bar(positions, values, bottom=bottom, color=METHOD_COLOURS[method], width=0.7,
                 label=method_label(method))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(steps) // 16)
    labels = [period.label for period, _released in steps]
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
    axes.set_ylabel(_("Hectares released"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    axes.set_title(title)
    return svg_data_uri(figure)


def remaining_chart(figures: LandReleaseFigures, title: str) -> str:
    """Remaining hazardous area by district at the period's end (CHA and SHA), with the
    total at its start marked."""
    shown = shown_names(figures.names)
    rows = [(shown.get(c, c), s, e) for c, (s, e) in figures.remaining_by_district.items()]
    figure, axes = new_figure(7.2, 0.9 + 0.26 * max(len(rows), 2))
    positions = list(range(len(rows)))
    cha = [hectares(end.cha_m2) for _name, _start, end in rows]
    sha = [hectares(end.sha_m2) for _name, _start, end in rows]
    axes.barh(positions, cha, color=CLASS_COLOURS[HazardClassification.CHA], height=0.7,
              label=_("Confirmed (CHA)"))  # fmt: skip
    axes.barh(positions, sha, left=cha, color=CLASS_COLOURS[HazardClassification.SHA],
              height=0.7, label=_("Suspected (SHA)"))  # fmt: skip
    axes.scatter([hectares(start.total_m2) for _name, start, _end in rows], positions, marker="|",
                 s=120, color="black", label=_("Total at the start"), zorder=3)  # fmt: skip
    axes.set_yticks(positions, [row[0] for row in rows])
    axes.invert_yaxis()
    axes.set_xlabel(_("Hectares remaining"))
    axes.legend(loc="lower right", fontsize=7)
    axes.set_title(title)
    return svg_data_uri(figure)


def draw_districts(axes: Axes, districts: Sequence[tuple[str, BaseGeometry]]) -> None:
    for name, geometry in districts:
        fill_geometry(axes, geometry, facecolor="#f4f1ea", edgecolor="#7a7a7a", linewidth=0.6)
        point = geometry.representative_point()
        axes.annotate(name, (point.x, point.y), ha="center", fontsize=6, color="#555555")
    # The district boundaries' licence (CC BY-SA 3.0) asks for this credit on every map.
    axes.annotate(
        _(BOUNDARY_CREDIT), (1.0, -0.01), xycoords="axes fraction", ha="right", va="top",
        fontsize=4.5, color="#777777",
    )  # fmt: skip


def hazards_on_map(axes: Axes, hazards: Sequence[HazardOnMap], marker_size: float = 10) -> None:
    """Hazards coloured by status, closed first so that open ones stay on top."""
    order = {HazardStatus.CLOSED: 0, HazardStatus.WORKED_ON: 1, HazardStatus.OPEN: 2}
    for hazard in sorted(hazards, key=lambda h: order[h.status]):
        colour = STATUS_COLOURS[hazard.status]
        fill_geometry(axes, hazard.geometry, facecolor=colour, edgecolor=colour, alpha=0.7)
        centre = hazard.geometry.representative_point()
        marker = "s" if hazard.classification is HazardClassification.CHA else "o"
        size = marker_size / 3 if hazard.status is HazardStatus.CLOSED else marker_size
        axes.scatter([centre.x], [centre.y], s=size, marker=marker, color=colour,
                     edgecolors="black", linewidths=0.3, zorder=4)  # fmt: skip


def status_map(
    hazards: Sequence[HazardOnMap], districts: Sequence[tuple[str, BaseGeometry]], title: str
) -> str:
    """Hazards by status over the district boundaries."""
    figure, axes = new_figure(7.6, 5.6)
    draw_districts(axes, districts)
    hazards_on_map(axes, hazards)
    keys = [Patch(color=STATUS_COLOURS[s], label=status_label(s)) for s in STATUS_COLOURS]
    axes.legend(handles=keys, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                title=_("Hazard status"), title_fontsize=7)  # fmt: skip
    axes.set_aspect(1.3)
    axes.set_xlabel(_("Longitude"))
    axes.set_ylabel(_("Latitude"))
    note = _(
        "Squares: confirmed areas; circles: suspected areas and spot tasks. "
        "District shapes may be approximate."
    )
    axes.set_title(title + "\n" + note)
    return svg_data_uri(figure)
