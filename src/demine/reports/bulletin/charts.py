"""The bulletin's charts drawn by matplotlib, for web pages (the dashboard and the
series page); bulletin documents draw theirs with :mod:`demine.reports.bulletin.drawing`."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from demine.analysis.bulletin import SeriesPoint
from demine.analysis.summary import FigureSource
from demine.i18n import _
from demine.reports.bulletin.palette import HECTARE_COLOUR, SERIES, axis_number
from demine.reports.svg import new_figure, svg_data_uri


def trend_figure(points: Sequence[SeriesPoint], title: str) -> Figure:
    """Stacked devices by category per period, hectares cleared on a second axis.

    The legend sits above the plot, where it hides no bar; each bar is reachable by its
    id (``bar-ap_mines-0`` is the first period's AP mines), the legend as ``legend``.
    """
    figure, axes = new_figure(7.2, 2.8)
    labels = [p.period.label for p in points]
    positions = range(len(points))
    bottom = [0] * len(points)
    for name, key, colour in SERIES:
        values = [getattr(p, key) for p in points]
        bars = axes.bar(positions, values, bottom=bottom, color=colour, label=_(name), width=0.7)
        for position, bar in zip(positions, bars.patches, strict=True):
            bar.set_gid(f"bar-{key}-{position}")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for position, point in zip(positions, points, strict=True):
        if point.source is FigureSource.REPORTED_SUMMARIES:
            axes.annotate("P", (position, bottom[position]), ha="center", va="bottom", fontsize=6)
        elif point.source is FigureSource.NONE:
            axes.annotate("–", (position, 0), ha="center", va="bottom", fontsize=8)
    axes.set_ylabel(_("Devices found"))
    axes.set_xticks(list(positions), labels, rotation=45, ha="right")
    hectares = axes.twinx()
    hectares.plot(
        list(positions), [p.hectares_cleared for p in points], color=HECTARE_COLOUR, marker="o",
        label=_("Hectares cleared"),
    )  # fmt: skip
    hectares.set_ylabel(_("Hectares cleared"))
    hectares.set_ylim(bottom=0)
    _locale_ticks(axes, hectares)
    handles, names = axes.get_legend_handles_labels()
    more_handles, more_names = hectares.get_legend_handles_labels()
    # Above the plot in one row: inside it, the legend hid the first weeks' bars.
    legend = axes.legend(
        handles + more_handles, names + more_names, loc="lower center",
        bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=7, frameon=False,
    )  # fmt: skip
    legend.set_gid("legend")
    axes.set_title(title, pad=18)
    return figure


def cumulative_chart(points: Sequence[SeriesPoint], title: str) -> str:
    """Running totals since operations began: devices by category and hectares."""
    figure, axes = new_figure(7.2, 2.6)
    labels = [p.period.label for p in points]
    positions = list(range(len(points)))
    for name, key, colour in SERIES:
        axes.plot(positions, [getattr(p, key) for p in points], color=colour, label=_(name))
    axes.set_ylabel(_("Devices found (cumulative)"))
    step = max(1, len(points) // 12)
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
    hectares = axes.twinx()
    hectares.fill_between(
        positions, [p.hectares_cleared for p in points], color=HECTARE_COLOUR, alpha=0.15,
        label=_("Hectares cleared (cumulative)"),
    )  # fmt: skip
    hectares.set_ylabel(_("Hectares (cumulative)"))
    hectares.set_ylim(bottom=0)
    _locale_ticks(axes, hectares)
    _legend(axes, hectares)
    axes.set_title(title)
    return svg_data_uri(figure)


def _locale_ticks(*all_axes: Axes) -> None:
    """Axis numbers written like the text's numbers ("1 500" and "0,5" in Russian)."""

    for axes in all_axes:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: axis_number(value)))


def _legend(first: Axes, second: Axes) -> None:
    handles, labels = first.get_legend_handles_labels()
    more_handles, more_labels = second.get_legend_handles_labels()
    first.legend(handles + more_handles, labels + more_labels, loc="upper left", fontsize=7)


#: Bars of weeks whose published figures include a read and reviewed news item.
READ_AND_REVIEWED_COLOUR = "#1f618d"


def series_chart(
    points: Sequence[SeriesPoint], title: str, read_and_reviewed: Collection[str] = ()
) -> str:
    """Weekly devices and hectares; published-summary weeks in grey (blue when a read
    news item was reviewed for them), missing weeks shaded."""
    figure, axes = new_figure(10, 3.4)
    positions = list(range(len(points)))
    devices = [p.ap_mines + p.at_mines + p.uxo + p.other_devices for p in points]
    colours = [
        "#e67e22"
        if p.source is FigureSource.RECORDS
        else READ_AND_REVIEWED_COLOUR
        if p.period.label in read_and_reviewed
        else "#5d6d7e"
        for p in points
    ]
    axes.bar(positions, devices, color=colours, width=1.0, linewidth=0)
    for position, point in zip(positions, points, strict=True):
        if point.source is FigureSource.NONE:
            axes.axvspan(position - 0.5, position + 0.5, color="#d5d8dc", alpha=0.6, linewidth=0)
    keys = [
        Patch(color="#e67e22", label=_("Devices (records)")),
        Patch(color="#5d6d7e", label=_("Devices (published summaries)")),
        *(
            [
                Patch(
                    color=READ_AND_REVIEWED_COLOUR,
                    label=_("Devices (published, read and reviewed)"),
                )
            ]
            if read_and_reviewed
            else []
        ),
        Patch(color="#d5d8dc", label=_("No data")),
    ]
    axes.set_ylabel(_("Devices found per week"))
    step = max(1, len(points) // 16)
    axes.set_xticks(
        positions[::step], [p.period.label for p in points][::step], rotation=45, ha="right"
    )
    hectares = axes.twinx()
    hectares.plot(
        positions, [p.hectares_cleared for p in points], color=HECTARE_COLOUR, linewidth=1,
        label=_("Hectares cleared"),
    )  # fmt: skip
    hectares.set_ylabel(_("Hectares cleared per week"))
    hectares.set_ylim(bottom=0)
    _locale_ticks(axes, hectares)
    line_handles, line_labels = hectares.get_legend_handles_labels()
    labels = [str(key.get_label()) for key in keys] + line_labels
    axes.legend(handles=[*keys, *line_handles], labels=labels, loc="upper left", fontsize=7)
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_title(title)
    return svg_data_uri(figure)
