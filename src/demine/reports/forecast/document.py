"""The completion forecast as text, HTML, PDF, JSON or XLSX.

Every format says plainly that unknown contamination is not in the forecast, and how
much evidence of it the register holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from demine.analysis.forecast.completion import Completion, CompletionStatus
from demine.analysis.forecast.forecast import NOT_IN_FORECAST, Forecast, ScopeForecast
from demine.analysis.forecast.rates import TEAM_DAYS_PER_TEAM_WEEK
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.places import shown_names
from demine.i18n import _, current_locale, format_number, ngettext
from demine.reports.analysis_format import AnalysisFormat, render_as
from demine.reports.forecast.charts import burndown_chart, rates_chart, timeline_chart
from demine.reports.forecast.sheets import forecast_sheets
from demine.reports.templating import template_environment


def _ha(square_metres: float) -> str:
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 1)


def _day(day: date | None) -> str:
    return "–" if day is None else day.isoformat()


def title() -> str:
    return _("Completion forecast: known hazardous area")


def subtitle(forecast: Forecast) -> str:
    shown = shown_names(forecast.names)
    where = shown.get(forecast.country, forecast.country_name)
    if forecast.district:
        where = f"{shown.get(forecast.district, forecast.district)}, {where}"
    return ngettext(
        "{where}, as of {as_of}; rates of the {weeks} week from {start} to {end}",
        "{where}, as of {as_of}; rates of the {weeks} weeks from {start} to {end}",
        len(forecast.weeks),
    ).format(
        where=where,
        as_of=forecast.as_of.isoformat(),
        weeks=format_number(len(forecast.weeks)),
        start=forecast.weeks[0].start.isoformat(),
        end=forecast.weeks[-1].end.isoformat(),
    )


def warning() -> str:
    return _(NOT_IN_FORECAST)


def evidence_sentence(forecast: Forecast) -> str:
    e = forecast.unknown.total
    return _(
        "Since {since}, {outside} of {located} accidents with a location happened outside "
        "every recorded hazard area ({unrecorded} outside every minefield record too), and "
        "{devices} devices were found outside recorded hazards by work not linked to one."
    ).format(
        since=forecast.unknown.since.isoformat(),
        outside=format_number(e.accidents_outside_hazards),
        located=format_number(e.accidents_located),
        unrecorded=format_number(e.accidents_outside_hazards_and_records),
        devices=format_number(e.devices_outside_hazards),
    )


def completion_sentence(completion: Completion) -> str:
    status = completion.status
    if status is CompletionStatus.RELEASED:
        return _("No known hazardous area remains.")
    if status is CompletionStatus.NO_PROGRESS:
        return _(
            "No land was released in the window: at this rate the {remaining} ha of known "
            "hazardous area would never be released."
        ).format(remaining=_ha(completion.remaining_m2))
    if status is CompletionStatus.BEYOND_HORIZON:
        return _(
            "At {rate} ha a week, the {remaining} ha of known hazardous area would take more "
            "than a century."
        ).format(rate=_ha(completion.rate_m2), remaining=_ha(completion.remaining_m2))
    if completion.latest is None:
        band = _(
            "not later than some date: in at least a tenth of the weeks nothing was released; "
            "{earliest} at the 90th percentile weekly rate"
        ).format(earliest=_day(completion.earliest))
    else:
        band = _(
            "between {earliest} and {latest} at the 90th and 10th percentile weekly rates"
        ).format(earliest=_day(completion.earliest), latest=_day(completion.latest))
    return _(
        "At the mean rate of {rate} ha a week, the {remaining} ha of known hazardous area "
        "would be released by {day} ({band})."
    ).format(
        rate=_ha(completion.rate_m2),
        remaining=_ha(completion.remaining_m2),
        day=_day(completion.completion_date),
        band=band,
    )


def scenario_sentence(forecast: Forecast) -> str | None:
    if not forecast.teams_change:
        return None
    teams = forecast.total.rates.teams
    scenario = forecast.total.scenario
    if scenario is None:
        return _("No team worked in the window, so a scenario with more teams cannot be scaled.")
    return _(
        "With {change} teams ({new} a week instead of {teams}, spread as today's are), "
        "the rate becomes {rate} ha a week and the date {day}."
    ).format(
        change=f"{forecast.teams_change:+d}",
        new=format_number(teams + forecast.teams_change, 1),
        teams=format_number(teams, 1),
        rate=_ha(scenario.rate_m2),
        day=_day(scenario.completion_date),
    )


def known_area_sentence(scope: ScopeForecast) -> str | None:
    released = scope.rates.total_m2
    if released <= 0:
        return None
    change = scope.remaining.total_m2 - scope.remaining_at_window_start_m2
    return _(
        "Over the same weeks the known hazardous area changed by {change} ha while {released} "
        "ha were released: land released outside recorded hazards, or beyond their estimates, "
        "does not bring this date closer."
    ).format(
        change=("+" if change > 0 else "−" if change < 0 else "±") + _ha(abs(change)),
        released=_ha(released),
    )


def method_note() -> str:
    return _(
        "Remaining area: each hazard's estimated area minus the land released by activities "
        "linked to it, never below zero; closed hazards count nothing. Rate: land cancelled, "
        "reduced and cleared per week by all activities. Teams: team-days a week divided by "
        "{days}. See docs/forecast.md."
    ).format(days=format_number(TEAM_DAYS_PER_TEAM_WEEK))


def paragraphs(forecast: Forecast) -> list[str]:
    first = [completion_sentence(forecast.total.current)]
    for sentence in (scenario_sentence(forecast), known_area_sentence(forecast.total)):
        if sentence:
            first.append(sentence)
    return [" ".join(first)]


def completion_cells(completion: Completion | None) -> list[str]:
    """The date and band of a forecast, or what stands instead of a date."""
    if completion is None:
        return ["–", "–", "–"]
    status = completion.status
    if status is CompletionStatus.FORECAST:
        return [
            _day(completion.completion_date),
            _day(completion.earliest),
            _day(completion.latest),
        ]
    word = {
        CompletionStatus.RELEASED: _("none left"),
        CompletionStatus.NO_PROGRESS: _("never at this rate"),
        CompletionStatus.BEYOND_HORIZON: _("over a century"),
    }[status]
    return [word, "–", "–"]


def district_rows(forecast: Forecast) -> list[list[str]]:
    rows = []
    shown = shown_names(forecast.names)
    for scope in forecast.districts:
        current, scenario = scope.current, scope.scenario
        rows.append(
            [
                shown.get(scope.code or "", scope.code or ""),
                _ha(scope.remaining.total_m2),
                _ha(current.rate_m2),
                format_number(scope.rates.teams, 1),
                *completion_cells(current),
                completion_cells(scenario)[0],
            ]
        )
    return rows


def headers() -> list[str]:
    return [
        _("District"), _("Remaining ha"), _("ha a week"), _("Teams"), _("Released by"),
        _("Earliest"), _("Latest"), _("Scenario"),
    ]  # fmt: skip


def render_text(forecast: Forecast) -> str:
    lines = [title(), subtitle(forecast), "", warning(), evidence_sentence(forecast), ""]
    lines += [*paragraphs(forecast), ""]
    lines.append("\t".join(headers()))
    lines += ["\t".join(row) for row in district_rows(forecast)]
    lines += ["", method_note()]
    return "\n".join(lines) + "\n"


def render_html(forecast: Forecast) -> str:
    total = forecast.total
    headline: list[tuple[str, Any]] = [
        (_("Hectares of known hazardous area"), _ha(total.remaining.total_m2)),
        (_("Hectares released a week"), _ha(total.current.rate_m2)),
        (_("Released by"), _day(total.current.completion_date)),
        (_("Teams a week"), format_number(total.rates.teams, 1)),
    ]
    return (
        template_environment()
        .get_template("forecast.html.j2")
        .render(
            locale=current_locale(),
            title=title(),
            subtitle=subtitle(forecast),
            warning=warning(),
            evidence=evidence_sentence(forecast),
            paragraphs=paragraphs(forecast),
            headline=headline,
            headers=headers(),
            rows=district_rows(forecast),
            timeline_svg=timeline_chart(forecast, _("When each district's known area is released")),
            rates_svg=rates_chart(forecast, _("Land released each week")),
            burndown_svg=burndown_chart(forecast, _("Known hazardous area, and its projection")),
            method_note=method_note(),
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_forecast(forecast: Forecast, report_format: AnalysisFormat) -> str | bytes:
    """The forecast in ``report_format`` (bytes for PDF, text otherwise)."""
    return render_as(
        report_format,
        forecast.to_json,
        lambda: render_text(forecast),
        lambda: render_html(forecast),
        forecast_sheets,
    )
