"""Forecast charts as SVG data URIs (matplotlib, no pyplot state): the completion dates
by district, the weekly rates behind them, and the remaining area burning down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from matplotlib.dates import date2num

from demine.analysis.forecast.completion import Completion, CompletionStatus
from demine.analysis.forecast.forecast import Forecast, ScopeForecast
from demine.analysis.landrelease.released import hectares
from demine.domain.places import shown_names
from demine.i18n import _
from demine.reports.bulletin.palette import HECTARE_COLOUR
from demine.reports.svg import new_figure, svg_data_uri

CURRENT_COLOUR = "#1f4e79"
SCENARIO_COLOUR = "#e67e22"
BAND_COLOUR = "#aed6f1"


def scenario_label(change: int) -> str:
    return _("With {change} teams").format(change=f"{change:+d}")


def _weeks(completion: Completion, day: date | None) -> float | None:
    return None if day is None else (day - completion.as_of).days / 7


def timeline_chart(forecast: Forecast, title: str) -> str:
    """Weeks until each district's known area is released, with the band and scenario."""
    shown = shown_names(forecast.names)
    scopes: list[tuple[str, ScopeForecast]] = [
        (shown.get(s.code or "", s.code or ""), s) for s in forecast.districts
    ]
    figure, axes = new_figure(7.2, 1.0 + 0.28 * max(len(scopes), 2))
    longest = 1.0
    for position, (_name, scope) in enumerate(scopes):
        current = scope.current
        weeks = _weeks(current, current.completion_date)
        if current.status is not CompletionStatus.FORECAST or weeks is None:
            axes.annotate(_("never at this rate") if current.status is not CompletionStatus.RELEASED
                          else _("released"), (0, position), va="center", fontsize=6)  # fmt: skip
            continue
        low = _weeks(current, current.earliest) or weeks
        high = _weeks(current, current.latest)
        axes.barh(position, weeks, color=CURRENT_COLOUR, height=0.6)
        axes.plot([low, high if high is not None else weeks], [position, position],
                  color="black", linewidth=0.8)  # fmt: skip
        longest = max(longest, weeks, high or 0.0)
        if scope.scenario is not None:
            scenario_weeks = _weeks(scope.scenario, scope.scenario.completion_date)
            if scenario_weeks is not None:
                axes.scatter([scenario_weeks], [position], marker="D", s=14,
                             color=SCENARIO_COLOUR, zorder=3)  # fmt: skip
    axes.set_yticks(list(range(len(scopes))), [name for name, _scope in scopes])
    axes.invert_yaxis()
    axes.set_xlim(0, longest * 1.1)
    axes.set_xlabel(
        _("Weeks from {day} (bar: mean rate; line: 90th to 10th percentile rate)").format(
            day=forecast.as_of.isoformat()
        )
    )
    if forecast.teams_change:
        label = scenario_label(forecast.teams_change)
        axes.scatter([], [], marker="D", color=SCENARIO_COLOUR, label=label)
        axes.legend(loc="lower right", fontsize=7)
    axes.set_title(title)
    return svg_data_uri(figure)


def rates_chart(forecast: Forecast, title: str) -> str:
    """Hectares released each week of the window, with the mean and the 10th–90th band."""
    rates = forecast.total.rates
    figure, axes = new_figure(7.2, 2.6)
    positions = list(range(len(rates.weeks)))
    values = [hectares(float(v)) for v in rates.released_m2]
    # The band behind the bars, the mean in front of them.
    axes.axhspan(hectares(rates.low_m2), hectares(rates.high_m2), color=BAND_COLOUR, alpha=0.6,
                 label=_("10th to 90th percentile"), zorder=0)  # fmt: skip
    axes.bar(positions, values, color=HECTARE_COLOUR, width=0.8, label=_("Released per week"),
             zorder=2)  # fmt: skip
    axes.axhline(hectares(rates.mean_m2), color=CURRENT_COLOUR, linewidth=1.2, label=_("Mean"),
                 zorder=3)  # fmt: skip
    step = max(1, len(positions) // 13)
    labels = [week.label for week in rates.weeks]
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
    axes.set_ylabel(_("Hectares released"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    axes.set_title(title)
    return svg_data_uri(figure)


#: matplotlib's conversion of a day to its date-axis number (it ships no type hints).
_date_number: Callable[[datetime], float] = date2num


def _x(day: date) -> float:
    """A day as matplotlib's date number, for a date axis."""
    return float(_date_number(datetime(day.year, day.month, day.day)))


def _projection(completion: Completion) -> tuple[list[float], list[float]] | None:
    end = completion.completion_date
    if completion.status is not CompletionStatus.FORECAST or end is None:
        return None
    return [_x(completion.as_of), _x(end)], [hectares(completion.remaining_m2), 0.0]


def burndown_chart(forecast: Forecast, title: str) -> str:
    """The remaining known area over the window and its projection to zero."""
    figure, axes = new_figure(7.2, 2.8)
    days = [_x(day) for day, _m2 in forecast.history]
    axes.plot(days, [hectares(m2) for _day, m2 in forecast.history], color="#922b21",
              marker="o", markersize=2, label=_("Known hazardous area remaining"))  # fmt: skip
    current = forecast.total.current
    projected = _projection(current)
    if projected is not None:
        axes.plot(*projected, color=CURRENT_COLOUR, linestyle="--", label=_("At the mean rate"))
        for bound in (current.earliest, current.latest):
            if bound is not None:
                axes.plot([_x(current.as_of), _x(bound)], projected[1], color=CURRENT_COLOUR,
                          linewidth=0.6, alpha=0.6)  # fmt: skip
    if forecast.total.scenario is not None:
        scenario = _projection(forecast.total.scenario)
        if scenario is not None:
            label = scenario_label(forecast.teams_change)
            axes.plot(*scenario, color=SCENARIO_COLOUR, linestyle=":", label=label)
    axes.xaxis_date()
    axes.set_ylim(bottom=0)
    axes.set_xlim(right=max([*days, *(projected[0] if projected else [])]) + 3)
    axes.set_ylabel(_("Hectares"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    figure.autofmt_xdate()
    axes.set_title(title)
    return svg_data_uri(figure)
