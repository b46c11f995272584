"""Casualty charts and the district map, as SVG data URIs (matplotlib, no pyplot state).

The map is a choropleth of counts per district polygon: accidents are never drawn as
points, so no report shows where a victim was hurt. A hidden count (``<5``) gets no bar
and its own map class, so neither a bar's height nor a colour gives it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from demine.domain.disclosure import Cell
from demine.i18n import _, format_number
from demine.reports.casualties.paragraph import cell_text
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

BAR_COLOUR = "#b03a2e"
HIDDEN_COLOUR = "#f5cba7"
EMPTY_COLOUR = "#f4f1ea"
#: Map classes above the suppression threshold, light to dark.
CLASS_COLOURS = ("#f1948a", "#e74c3c", "#b03a2e", "#78281f")


def _value(cell: Cell) -> int:
    return cell if isinstance(cell, int) else 0


def bar_chart(cells: Sequence[tuple[str, Cell]], title: str) -> str:
    """Horizontal bars, one per labelled cell; hidden cells are marked, not drawn."""
    figure, axes = new_figure(7.2, 0.6 + 0.24 * max(len(cells), 2))
    positions = list(range(len(cells)))
    values = [_value(cell) for _, cell in cells]
    axes.barh(positions, values, color=BAR_COLOUR, height=0.7)
    top = max(values, default=0) or 1
    for position, (_label, cell) in zip(positions, cells, strict=True):
        axes.annotate(
            cell_text(cell), (_value(cell) + top * 0.01, position), va="center", fontsize=7
        )
    axes.set_yticks(positions, [label for label, _ in cells])
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.15)
    axes.set_title(title)
    return svg_data_uri(figure)


def column_chart(cells: Sequence[tuple[str, Cell]], title: str) -> str:
    """Vertical bars over time (years or months); hidden cells are marked, not drawn."""
    figure, axes = new_figure(7.2, 2.6)
    positions = list(range(len(cells)))
    values = [_value(cell) for _, cell in cells]
    axes.bar(positions, values, color=BAR_COLOUR, width=0.8)
    for position, (_label, cell) in zip(positions, cells, strict=True):
        if isinstance(cell, str):
            axes.annotate(
                cell_text(cell), (position, 0), ha="center", va="bottom", fontsize=5, rotation=90
            )
    step = max(1, len(cells) // 18)
    labels = [label for label, _ in cells]
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
    axes.set_ylim(0, max([*values, 1]) * 1.1)
    axes.set_ylabel(_("Victims"))
    axes.set_title(title)
    return svg_data_uri(figure)


def _classes(counts: Sequence[int], threshold: int) -> list[int]:
    """Upper bounds of the map's classes above the threshold (at most four)."""
    top = max([*counts, threshold])
    bounds = sorted({max(threshold, round(top * share)) for share in (0.25, 0.5, 0.75, 1.0)})
    return bounds[-len(CLASS_COLOURS) :]


def _colour(cell: Cell, bounds: Sequence[int]) -> str:
    if isinstance(cell, str):
        return HIDDEN_COLOUR
    if cell == 0:
        return EMPTY_COLOUR
    for bound, colour in zip(bounds, CLASS_COLOURS, strict=False):
        if cell <= bound:
            return colour
    return CLASS_COLOURS[-1]


def district_map(
    shapes: Mapping[str, BaseGeometry],
    names: Mapping[str, str],
    counts: Mapping[str, Cell],
    title: str,
    threshold: int,
    approximate: bool,
) -> str:
    """Districts coloured by ``counts`` (keyed by district name), each labelled.

    ``threshold`` is the suppression threshold of public figures (1 for exact ones):
    the classes above it start there.
    """
    figure, axes = new_figure(7.2, 5.4)
    bounds = _classes([c for c in counts.values() if isinstance(c, int)], threshold)
    for code, shape in shapes.items():
        name = names.get(code, code)
        cell = counts.get(name, 0)
        fill_geometry(
            axes, shape, facecolor=_colour(cell, bounds), edgecolor="#7a7a7a", linewidth=0.6
        )
        point = shape.representative_point()
        axes.annotate(f"{name}\n{cell_text(cell)}", (point.x, point.y), ha="center", fontsize=6)
    keys = [Patch(color=EMPTY_COLOUR, label="0")]
    if any(isinstance(c, str) for c in counts.values()):
        keys.append(
            Patch(color=HIDDEN_COLOUR, label=_("hidden (<{n} or withheld)").format(n=threshold))
        )
    low = threshold
    for bound, colour in zip(bounds, CLASS_COLOURS, strict=False):
        if bound >= low:
            keys.append(Patch(color=colour, label=f"{format_number(low)}–{format_number(bound)}"))
            low = bound + 1
    axes.legend(handles=keys, loc="lower left", fontsize=7)
    axes.set_aspect(1.3)
    axes.set_xticks([])
    axes.set_yticks([])
    note = _("District shapes are approximate.") if approximate else ""
    axes.set_title(title + (f"\n{note}" if note else ""))
    return svg_data_uri(figure)
