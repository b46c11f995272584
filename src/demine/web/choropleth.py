"""The dashboard map's choropleth as the page shows it: colours, legend and names.

Colours are ColorBrewer's sequential schemes (Cynthia Brewer, Apache-2.0), those it marks
safe for colour-blind readers: yellow to red for devices found, yellow to green for land
cleared. A reported zero is white; a district with nothing reported is grey, so that the
two are never confused.
"""

from __future__ import annotations

from typing import Any

from demine.analysis.district_choropleth import (
    MEASURES,
    NO_DATA,
    ZERO,
    Choropleth,
    class_key,
    district_rows,
)
from demine.domain.class_breaks import ValueClass
from demine.i18n import _, format_number

#: ColorBrewer YlOrRd and YlGn, for one to five classes (lowest first).
PALETTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "devices_found": (
        ("#fd8d3c",),
        ("#fecc5c", "#e31a1c"),
        ("#ffeda0", "#feb24c", "#f03b20"),
        ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
        ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    ),
    "hectares_cleared": (
        ("#78c679",),
        ("#c2e699", "#238443"),
        ("#f7fcb9", "#addd8e", "#31a354"),
        ("#ffffcc", "#c2e699", "#78c679", "#238443"),
        ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837"),
    ),
}
ZERO_COLOUR = "#ffffff"
NO_DATA_COLOUR = "#bdbdbd"
#: Decimals the legend writes per measure (hectares to a tenth, as the figures above).
DECIMALS = {"devices_found": 0, "hectares_cleared": 1}


def _titles(week: str) -> dict[str, str]:
    return {
        "devices_found": _("Devices found in {week}").format(week=week),
        "hectares_cleared": _("Hectares cleared in {week}").format(week=week),
    }


def _range(value_class: ValueClass, decimals: int) -> str:
    lowest = format_number(value_class.lowest, decimals)
    highest = format_number(value_class.highest, decimals)
    if lowest == highest:
        return lowest
    return _("{lowest} to {highest}").format(lowest=lowest, highest=highest)


def legend_entries(measure: str, classes: list[ValueClass]) -> list[dict[str, str]]:
    """The legend of ``measure``: its classes highest first, then zero and no data."""
    colours = PALETTES[measure][len(classes) - 1] if classes else ()
    entries = [
        {"key": class_key(index), "colour": colours[index],
         "label": _range(value_class, DECIMALS[measure])}
        for index, value_class in enumerate(classes)
    ]  # fmt: skip
    entries.reverse()
    entries.append({"key": ZERO, "colour": ZERO_COLOUR, "label": _("0 (none)")})
    entries.append({"key": NO_DATA, "colour": NO_DATA_COLOUR, "label": _("No data")})
    return entries


def choropleth_config(choropleth: Choropleth) -> dict[str, Any]:
    """What the page's script needs to shade and name the districts, and the legend."""
    titles = _titles(choropleth.period.label)
    return {
        "week": choropleth.period.label,
        "measures": {
            measure: {
                "title": titles[measure],
                "legend": legend_entries(measure, choropleth.classes[measure]),
            }
            for measure in MEASURES
        },
        "districts": district_rows(choropleth),
    }
