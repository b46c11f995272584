"""Charts and maps as self-contained SVG (matplotlib), for HTML and PDF reports."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter

from demine.analysis.bulletin import MapFeatures, SeriesPoint
from demine.analysis.summary import FigureSource
from demine.i18n import N_, _, format_number
from demine.reports.svg import fill_geometries, fill_geometry, new_figure, svg_data_uri

#: One colour per EO category, the same in every chart and map.
CATEGORY_COLOURS = {
    "AP_MINE": "#c0392b",
    "AT_MINE": "#8e44ad",
    "UXO": "#e67e22",
    "OTHER": "#7f8c8d",
}
CATEGORY_LABELS = {
    "AP_MINE": N_("AP mine"),
    "AT_MINE": N_("AT mine"),
    "UXO": N_("UXO"),
    "OTHER": N_("Other"),
}
HECTARE_COLOUR = "#27ae60"
#: Device series drawn in charts: label, SeriesPoint attribute, colour.
SERIES = (
    (N_("AP mines"), "ap_mines", CATEGORY_COLOURS["AP_MINE"]),
    (N_("AT mines"), "at_mines", CATEGORY_COLOURS["AT_MINE"]),
    (N_("UXO"), "uxo", CATEGORY_COLOURS["UXO"]),
)


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


def trend_chart(points: Sequence[SeriesPoint], title: str, *, text_as_paths: bool = True) -> str:
    """:func:`trend_figure` as an SVG data URI (text as in :func:`svg_data_uri`)."""
    return svg_data_uri(trend_figure(points, title), text_as_paths=text_as_paths)


def cumulative_chart(
    points: Sequence[SeriesPoint], title: str, *, text_as_paths: bool = True
) -> str:
    """Running totals since operations began: devices by category and hectares (text as
    in :func:`svg_data_uri`)."""
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
    return svg_data_uri(figure, text_as_paths=text_as_paths)


def _locale_ticks(*all_axes: Axes) -> None:
    """Axis numbers written like the text's numbers ("1 500" and "0,5" in Russian)."""

    def label(value: float, _position: int) -> str:
        return format_number(value, 0 if float(value).is_integer() else 1)

    for axes in all_axes:
        axes.yaxis.set_major_formatter(FuncFormatter(label))


#: The most decimals a map's degree ticks are written with.
_MOST_DEGREE_DECIMALS = 6


class _LocaleDegrees(Formatter):
    """Longitude or latitude ticks written like the text's numbers ("39,5" in
    Azerbaijani), every tick of an axis with the decimals its step needs."""

    decimals = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        self.decimals = next(
            (
                places
                for places in range(_MOST_DEGREE_DECIMALS)
                if all(abs(t * 10**places - round(t * 10**places)) < 1e-6 for t in locs)
            ),
            _MOST_DEGREE_DECIMALS,
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_number(x, self.decimals)


def _legend(first: Axes, second: Axes) -> None:
    handles, labels = first.get_legend_handles_labels()
    more_handles, more_labels = second.get_legend_handles_labels()
    first.legend(handles + more_handles, labels + more_labels, loc="upper left", fontsize=7)


#: Finds and released areas past which a map draws them as one picture: thousands of
#: SVG shapes take a PDF renderer (and a browser) seconds to draw, a picture none.
DENSE_MAP_FEATURES = 500


def period_map(features: MapFeatures, title: str, *, text_as_paths: bool = True) -> str:
    """The period's finds (by category) and released land over the district boundaries
    (both drawn as one picture when there are more than :data:`DENSE_MAP_FEATURES`;
    text as in :func:`svg_data_uri`)."""
    dense = len(features.finds) + len(features.released) > DENSE_MAP_FEATURES
    figure, axes = new_figure(7.2, 5.4)
    for name, geometry in features.districts:
        fill_geometry(axes, geometry, facecolor="#f4f1ea", edgecolor="#7a7a7a", linewidth=0.6)
        point = geometry.representative_point()
        axes.annotate(name, (point.x, point.y), ha="center", fontsize=6, color="#555555")
    released = {"facecolor": HECTARE_COLOUR, "edgecolor": HECTARE_COLOUR, "alpha": 0.6}
    if dense:
        fill_geometries(axes, (g for _, g in features.released), **released, rasterized=True)
    else:
        for _kind, geometry in features.released:
            fill_geometry(axes, geometry, **released)
    if features.released:
        axes.fill([], [], color=HECTARE_COLOUR, alpha=0.6, label=_("Released land"))
    # Drawn most common first, so the rarer AP and AT mines stay visible on top.
    for category in ("UXO", "OTHER", "AT_MINE", "AP_MINE"):
        chosen = [
            (g, q)
            for c, g, q in features.finds
            if (c if c in CATEGORY_COLOURS else "OTHER") == category
        ]
        if chosen:
            axes.scatter(
                [g.x for g, _ in chosen], [g.y for g, _ in chosen],
                s=[min(40, 4 + 2 * q) for _, q in chosen], color=CATEGORY_COLOURS[category],
                alpha=0.85, label=_(CATEGORY_LABELS[category]), edgecolors="white",
                linewidths=0.3, rasterized=dense,
            )  # fmt: skip
    axes.set_aspect(1.3)
    axes.set_xlabel(_("Longitude"))
    axes.set_ylabel(_("Latitude"))
    axes.xaxis.set_major_formatter(_LocaleDegrees())
    axes.yaxis.set_major_formatter(_LocaleDegrees())
    if features.finds or features.released:
        axes.legend(loc="lower left", fontsize=7)
    note = _("District shapes are approximate.") if features.approximate_districts else ""
    axes.set_title(title + (f"\n{note}" if note else ""))
    return svg_data_uri(figure, rasterized_parts=dense, text_as_paths=text_as_paths)


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
