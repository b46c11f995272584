"""Drawing building blocks shared by every chart and map: figures without pyplot's
global state, SVG data URIs, and polygons filled on an axes."""

from __future__ import annotations

import base64
import io
import re
from html import escape

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


#: Where an SVG names or points at an id: ``id="x"``, ``href="#x"``, ``url(#x)``.
_IDS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)|<metadata>.*?</metadata>\s*", re.DOTALL)
#: Namespace declarations: an HTML page's parser knows SVG (and ``xlink:href``) without.
_NAMESPACES = re.compile(r'\sxmlns(:xlink)?="[^"]*"')
_SIZE = re.compile(r'<svg\b[^>]*?(\swidth="[^"]*")(\sheight="[^"]*")')


def inline_svg(figure: Figure, prefix: str, label: str) -> str:
    """The figure as SVG markup to put inside a page, its parts reachable by the page
    (and its tests): every id starts with ``prefix-`` so that two charts on one page
    cannot clash, the size follows the page (the view box is kept), and ``label`` is
    what a screen reader says of it."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    markup = _NAMESPACES.sub("", _PROLOGUE.sub("", buffer.getvalue()))
    markup = _IDS.sub(lambda found: f"{found.group(1)}{prefix}-{found.group(2)}", markup)
    # Its style sheet would apply to the whole page: kept to the chart.
    markup = markup.replace('<style type="text/css">*{', f'<style type="text/css">#{prefix} *{{')
    size = _SIZE.search(markup)
    if size is not None:
        markup = markup[: size.start(1)] + markup[size.end(2) :]
    attributes = f' id="{prefix}" class="chart" role="img" aria-label="{escape(label)}"'
    return markup.replace("<svg", "<svg" + attributes, 1)


def fill_geometry(axes: Axes, geometry: BaseGeometry, **style: object) -> None:
    """Fill the polygons of ``geometry`` (other parts are skipped) with ``style``."""
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type == "Polygon":
            x, y = polygon.exterior.xy
            axes.fill(x, y, **style)  # type: ignore[arg-type]
