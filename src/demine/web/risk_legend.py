"""The dashboard's risk layer as the page draws it: colour classes of predicted risk.

Five equal classes of risk (0-20 % … 80-100 %) in ColorBrewer's sequential RdPu scheme
(Cynthia Brewer, Apache-2.0; marked safe for colour-blind readers), a ramp of its own so
that risk cells are never read as the districts' yellow-to-red or yellow-to-green
figures. The page's script colours each cell by the class its risk falls in.
"""

from __future__ import annotations

from typing import Any

from demine.i18n import _, format_number

#: ColorBrewer RdPu, five classes, lowest risk first.
RISK_COLOURS = ("#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177")


def risk_legend() -> list[dict[str, Any]]:
    """Each class: its lower and upper risk (0-1), colour and label in the page's language."""
    width = 1.0 / len(RISK_COLOURS)
    classes = []
    for index, colour in enumerate(RISK_COLOURS):
        low, high = index * width, (index + 1) * width
        classes.append(
            {
                "from": round(low, 6),
                "to": round(high, 6),
                "colour": colour,
                "label": _("{low}-{high} %").format(
                    low=format_number(low * 100), high=format_number(high * 100)
                ),
            }
        )
    return classes
