"""The map of a task: its hazards, earlier activities, accidents and minefield records
around them, as an SVG data URI (matplotlib, no pyplot state)."""

from __future__ import annotations

from matplotlib.patches import Patch

from demine.analysis.tasks.dossier import TaskDossier
from demine.i18n import _
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

HAZARD_COLOUR = "#c0392b"
ACTIVITY_COLOUR = "#2e86c1"
RECORD_COLOUR = "#7d3c98"


def task_map(dossier: TaskDossier) -> str:
    """The task's hazards over the minefield records and earlier activities, with the
    accidents nearby."""
    figure, axes = new_figure(7.2, 5.4)
    for record in dossier.records:
        if record.geometry is not None:
            fill_geometry(axes, record.geometry, facecolor="none", edgecolor=RECORD_COLOUR,
                          linestyle="--", linewidth=1.0)  # fmt: skip
    for nearby in dossier.earlier_activities:
        geometry = nearby.record.geometry
        if geometry is not None:
            fill_geometry(axes, geometry, facecolor=ACTIVITY_COLOUR, alpha=0.35,
                          edgecolor=ACTIVITY_COLOUR, linewidth=0.5)  # fmt: skip
    for hazard in dossier.hazards:
        geometry = hazard.geometry
        if geometry is None:
            continue
        if geometry.geom_type == "Point":
            axes.scatter([geometry.x], [geometry.y], s=40, marker="s", color=HAZARD_COLOUR)
        else:
            fill_geometry(axes, geometry, facecolor=HAZARD_COLOUR, alpha=0.3,
                          edgecolor=HAZARD_COLOUR, linewidth=1.2)  # fmt: skip
        point = geometry.representative_point()
        axes.annotate(hazard.external_id, (point.x, point.y), ha="center", fontsize=7)
    points = [n.record.geometry for n in dossier.accidents if n.record.geometry is not None]
    if points:
        axes.scatter([p.x for p in points], [p.y for p in points], s=36, marker="^",
                     color="black", label=_("Accidents nearby"), zorder=5)  # fmt: skip
    handles, labels = axes.get_legend_handles_labels()
    keys = [
        Patch(color=HAZARD_COLOUR, alpha=0.5, label=_("Hazards tasked")),
        Patch(color=ACTIVITY_COLOUR, alpha=0.5, label=_("Earlier activities")),
        Patch(
            facecolor="none", edgecolor=RECORD_COLOUR, linestyle="--", label=_("Minefield records")
        ),
    ]
    axes.legend(handles=[*keys, *handles], labels=[str(k.get_label()) for k in keys] + labels,
                loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6)  # fmt: skip
    axes.set_aspect(1.3)
    axes.margins(0.15)
    # A task's area spans a few hundredths of a degree: few ticks, or their labels overlap.
    axes.locator_params(axis="x", nbins=4)
    axes.tick_params(axis="x", labelrotation=30)
    axes.set_xlabel(_("Longitude"))
    axes.set_ylabel(_("Latitude"))
    axes.set_title(_("Task {key}").format(key=dossier.task.external_id))
    return svg_data_uri(figure)
