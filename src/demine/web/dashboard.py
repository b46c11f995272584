"""What the dashboard shows: a week's figures against the week before, trend charts, where
its map opens and how it shades the districts.

The trend charts are drawn apart (:func:`dashboard_charts`, asked by the page once its
map is drawn): drawing them takes the server longer than the rest of the page, and a
national register's map should not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shapely import union_all

from demine.analysis.bulletin import BulletinFigures, bulletin_figures
from demine.analysis.district_choropleth import district_choropleth
from demine.analysis.reporting_week import latest_complete_week
from demine.analysis.summary import Summariser
from demine.domain.periods import Period, parse_iso_week
from demine.domain.vocab import AdminLevel
from demine.errors import InvalidRequestError
from demine.i18n import _, current_locale, format_day
from demine.reports.bulletin.charts import cumulative_chart, trend_figure
from demine.reports.bulletin.document import HeadlineFigure, headline, subtitle_of
from demine.reports.svg import inline_svg
from demine.store.reader import RegisterReader
from demine.web.choropleth import choropleth_config
from demine.web.risk_legend import drawn_layers

#: Where the map opens when no district has a shape: the whole world.
WORLD = (-180.0, -60.0, 180.0, 75.0)
#: The key of a dashboard's view (within one data version): country, week asked, today,
#: locale.
ViewKey = tuple[str, str | None, date, str]
#: How a dashboard gets a week's figures (:func:`week_figures`, or kept ones).
FiguresOf = Callable[[RegisterReader, Period], BulletinFigures]


@dataclass
class DashboardView:
    week: Period | None
    extent: tuple[float, float, float, float]
    subtitle: str = ""
    previous_label: str = ""
    figures: list[HeadlineFigure] = field(default_factory=list)
    #: The week's figures by district for the map (None: no week yet).
    choropleth: dict[str, Any] | None = None
    #: The risk layer the map draws (model, cut-off, day computed; None: none stored).
    #: Shown only to callers who may see the layer.
    risk_model: dict[str, str] | None = None


@dataclass(frozen=True)
class DashboardCharts:
    """The dashboard's trend charts of one week."""

    #: The trend chart as SVG markup inside the page (its bars and legend measurable).
    trend_svg: str
    #: The cumulative chart as an image (a ``data:`` URI).
    cumulative_svg: str


def _country(reader: RegisterReader) -> str:
    if reader.country is None:
        raise InvalidRequestError(_("the dashboard shows one country's register"))
    return reader.country


def chosen_week(reader: RegisterReader, week: str | None, today: date) -> Period | None:
    """The week asked for (``2024-W27``), else the last complete week with approved data."""
    if week:
        try:
            return parse_iso_week(week)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from exc
    return latest_complete_week(reader, today)


def district_extent(summariser: Summariser) -> tuple[float, float, float, float]:
    """The box around the country's district shapes, else the country's known extent."""
    shapes = [
        area.geometry
        for area in summariser.places.areas.values()
        if area.level is AdminLevel.DISTRICT and area.geometry is not None
    ]
    if shapes:
        min_x, min_y, max_x, max_y = union_all(shapes).bounds
        return (min_x, min_y, max_x, max_y)
    extent = summariser.places.extent()
    if extent is None:
        return WORLD
    return (extent.min_lon, extent.min_lat, extent.max_lon, extent.max_lat)


def week_figures(reader: RegisterReader, period: Period) -> BulletinFigures:
    """The figures of ``period`` the dashboard shows: its page's and its charts'."""
    return bulletin_figures(reader, period, with_map=False)


def dashboard_view(
    reader: RegisterReader, week: str | None, today: date, figures_of: FiguresOf = week_figures
) -> DashboardView:
    """The dashboard of ``week`` (or of the last complete week) of the reader's country."""
    _country(reader)  # one country at a time, said plainly
    period = chosen_week(reader, week, today)
    summariser = Summariser(reader)
    view = DashboardView(period, district_extent(summariser))
    drawn = drawn_layers(reader)
    if drawn:
        view.risk_model = {
            "model": drawn[0].model,
            "events_before": drawn[0].events_before.isoformat(),
            "predicted_on": drawn[0].predicted_on.isoformat(),
        }
    if period is None:
        return view
    view.choropleth = choropleth_config(district_choropleth(summariser, period, current_locale()))
    figures = figures_of(reader, period)
    previous = figures.previous
    view.subtitle = subtitle_of(figures)
    view.previous_label = _("{label}: {start} to {end}").format(
        label=figures.period.previous().label,
        start=format_day(previous.period_start),
        end=format_day(previous.period_end),
    )
    view.figures = headline(figures)
    return view


def dashboard_charts(
    reader: RegisterReader, week: str | None, today: date, figures_of: FiguresOf = week_figures
) -> DashboardCharts | None:
    """The trend charts of ``week`` (or of the last complete week); None: no week yet."""
    _country(reader)
    period = chosen_week(reader, week, today)
    if period is None:
        return None
    figures = figures_of(reader, period)
    trend = inline_svg(
        trend_figure(figures.trend, _("Last 12 weeks")), "trend",
        _("Devices found and hectares cleared in the last 12 weeks"),
    )  # fmt: skip
    return DashboardCharts(trend, cumulative_chart(figures.cumulative, _("Cumulative by month")))
