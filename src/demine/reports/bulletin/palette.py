"""The bulletin's colours and series, the same in every chart and map, whichever draws
them (matplotlib for pages, :mod:`demine.reports.bulletin.drawing` for documents)."""

from __future__ import annotations

from demine.i18n import N_, format_number

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
#: Finds and released areas past which a map draws them as one picture: thousands of
#: SVG shapes take a PDF renderer (and a browser) seconds to draw, a picture none.
DENSE_MAP_FEATURES = 500
#: The most decimals a map's degree ticks are written with.
MOST_DEGREE_DECIMALS = 6


def axis_number(value: float) -> str:
    """An axis number written like the text's numbers ("1 500" and "0,5" in Russian)."""
    return format_number(value, 0 if float(value).is_integer() else 1)


def degree_decimals(ticks: list[float]) -> int:
    """The decimals every degree tick of an axis is written with: those its step needs."""
    return next(
        (
            places
            for places in range(MOST_DEGREE_DECIMALS)
            if all(abs(t * 10**places - round(t * 10**places)) < 1e-6 for t in ticks)
        ),
        MOST_DEGREE_DECIMALS,
    )


def degree_labels(ticks: list[float]) -> list[str]:
    """Longitude or latitude ticks written like the text's numbers ("39,5" in
    Azerbaijani), with the same decimals along an axis."""
    decimals = degree_decimals(ticks)
    return [format_number(tick, decimals) for tick in ticks]
