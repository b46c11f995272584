"""The records map and the verdict chart, as SVG data URIs (matplotlib, no pyplot state).

The map shows each record's declared area coloured by its verdict (with a marker, since
a record is a speck at programme scale), the finds inside records and those nearby
outside them, and the period's accidents inside and outside every record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from demine.analysis.records.programme import RecordTally
from demine.analysis.records.thresholds import Verdict
from demine.analysis.records.verify import RecordsVerification
from demine.i18n import _
from demine.reports.landrelease.charts import draw_districts
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

VERDICT_COLOURS = {
    Verdict.ACCURATE: "#1e8449",
    Verdict.PARTLY_ACCURATE: "#d4ac0d",
    Verdict.INACCURATE: "#c0392b",
    Verdict.NOT_YET_VERIFIABLE: "#95a5a6",
}
#: Drawing more points than this adds nothing a reader can see, only megabytes.
MAX_POINTS = 20_000


def verdict_label(verdict: Verdict) -> str:
    return {
        Verdict.ACCURATE: _("accurate"),
        Verdict.PARTLY_ACCURATE: _("partly accurate"),
        Verdict.INACCURATE: _("inaccurate"),
        Verdict.NOT_YET_VERIFIABLE: _("not yet verifiable"),
    }[verdict]


def _thinned(points: np.ndarray) -> np.ndarray:
    """At most ``MAX_POINTS`` of ``points``, evenly spread (deterministic)."""
    if len(points) <= MAX_POINTS:
        return points
    step = int(np.ceil(len(points) / MAX_POINTS))
    return points[::step]


def _scatter(axes: Axes, points: np.ndarray, label: str, **style: Any) -> None:
    chosen = _thinned(points)
    if len(chosen):
        axes.scatter(chosen[:, 0], chosen[:, 1], label=label, **style)


def records_map(verification: RecordsVerification, title: str) -> str:
    """Records by verdict, finds and accidents inside and outside, over the districts."""
    figure, axes = new_figure(7.6, 5.6)
    layers = verification.map
    draw_districts(axes, layers.districts)
    _scatter(axes, layers.accidents_outside, _("Accidents outside all records"), s=12,
             marker="^", facecolors="none", edgecolors="#c0392b", linewidths=0.6,
             alpha=0.7)  # fmt: skip
    _scatter(axes, layers.accidents_inside, _("Accidents inside records"), s=14, marker="^",
             color="#1c2833")  # fmt: skip
    _scatter(axes, layers.finds_inside, _("Finds inside records"), s=3, color="#566573")
    _scatter(axes, layers.finds_outside, _("Finds nearby outside records"), s=10, marker="x",
             color="#c0392b", linewidths=0.6)  # fmt: skip
    # Records last, so that their verdicts stay visible: at programme scale a record is a
    # speck, so each also gets a marker.
    judged_last = sorted(
        verification.records, key=lambda r: r.verdict is not Verdict.NOT_YET_VERIFIABLE
    )
    for result in judged_last:
        geometry = result.measure.record.geometry
        if geometry is None:
            continue
        colour = VERDICT_COLOURS[result.verdict]
        fill_geometry(axes, geometry, facecolor=colour, edgecolor=colour, alpha=0.6)
        centre = geometry.representative_point()
        size = 16 if result.verdict is Verdict.NOT_YET_VERIFIABLE else 44
        axes.scatter([centre.x], [centre.y], s=size, color=colour, edgecolors="black",
                     linewidths=0.4, zorder=5)  # fmt: skip
    handles, labels = axes.get_legend_handles_labels()
    keys = [Patch(color=VERDICT_COLOURS[v], label=verdict_label(v)) for v in Verdict]
    axes.legend(handles=[*keys, *handles], labels=[str(k.get_label()) for k in keys] + labels,
                loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6)  # fmt: skip
    axes.set_aspect(1.3)
    axes.set_xlabel(_("Longitude"))
    axes.set_ylabel(_("Latitude"))
    axes.set_title(title + "\n" + _("District shapes may be approximate."))
    return svg_data_uri(figure)


def verdict_chart(tallies: Sequence[tuple[str, RecordTally]], title: str) -> str:
    """Records by verdict, one stacked horizontal bar per district or source."""
    figure, axes = new_figure(7.2, 0.8 + 0.28 * max(len(tallies), 2))
    positions = list(range(len(tallies)))
    left = [0] * len(tallies)
    for verdict in Verdict:
        values = [tally.verdicts[verdict] for _, tally in tallies]
        axes.barh(positions, values, left=left, color=VERDICT_COLOURS[verdict], height=0.7,
                  label=verdict_label(verdict))  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, [label for label, _ in tallies])
    axes.invert_yaxis()
    axes.set_xlabel(_("Records"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6)
    axes.set_title(title)
    return svg_data_uri(figure)
