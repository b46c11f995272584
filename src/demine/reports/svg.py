"""Drawing building blocks shared by every chart and map: figures without pyplot's
global state, SVG data URIs, and polygons filled on an axes."""

from __future__ import annotations

import base64
import io

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from shapely.geometry.base import BaseGeometry

# Text as paths: the SVG then renders the same in browsers and WeasyPrint, fonts or not.
matplotlib.rcParams.update({"svg.fonttype": "path", "font.size": 8, "font.family": "DejaVu Sans"})


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure and its axes, without pyplot's global state (safe in a web server)."""
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def svg_data_uri(figure: Figure) -> str:
    """The figure as an SVG data URI: self-contained, and its ids cannot clash with others'."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def fill_geometry(axes: Axes, geometry: BaseGeometry, **style: object) -> None:
    """Fill the polygons of ``geometry`` (other parts are skipped) with ``style``."""
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type == "Polygon":
            x, y = polygon.exterior.xy
            axes.fill(x, y, **style)  # type: ignore[arg-type]
