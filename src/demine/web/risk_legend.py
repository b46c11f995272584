"""The dashboard's risk layer as the page draws it: colour classes of predicted risk.

Five equal classes of risk (0-20 % … 80-100 %) in ColorBrewer's sequential RdPu scheme
(Cynthia Brewer, Apache-2.0; marked safe for colour-blind readers), a ramp of its own so
that risk cells are never read as the districts' yellow-to-red or yellow-to-green
figures. The page's script colours each cell by the class its risk falls in.
"""

from __future__ import annotations

from typing import Any

from demine.errors import NotFoundError
from demine.i18n import _, format_number
from demine.store.reader import RegisterReader
from demine.store.risk_layer import StoredLayer, stored_layers

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


def drawn_layers(reader: RegisterReader) -> list[StoredLayer]:
    """The reader's country's stored risk layers, the one the map draws unless asked
    (the one predicted last) first."""
    layers = stored_layers(reader.connection, str(reader.country))
    return sorted(layers, key=lambda layer: (layer.predicted_on, layer.model), reverse=True)


def drawn_model(reader: RegisterReader, asked: str | None) -> str | None:
    """The model whose cells the map draws: ``asked``, else the one predicted last
    (None: no layer is stored). A model not stored is said, with those that are."""
    layers = drawn_layers(reader)
    if asked is None:
        return layers[0].model if layers else None
    if asked not in {layer.model for layer in layers}:
        stored = ", ".join(sorted(layer.model for layer in layers))
        raise NotFoundError(
            _("no stored risk layer of model '{model}' in {country} (stored: {stored})").format(
                model=asked, country=reader.country, stored=stored
            )
        )
    return asked
