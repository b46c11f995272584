"""Development projects at risk, ranked for tasking, as text, HTML, PDF, JSON or XLSX."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from demine.analysis.projects.analysis import ProjectsAnalysis
from demine.analysis.projects.ranking import CRITERIA
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.places import shown_names
from demine.i18n import _, current_locale, format_number
from demine.reports.analysis_format import AnalysisFormat, render_as
from demine.reports.projects.charts import criterion_name, projects_map, score_chart
from demine.reports.projects.sheets import projects_sheets
from demine.reports.templating import template_environment


def _ha(square_metres: float) -> str:
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 2)


def title() -> str:
    return _("Development projects: contamination, clearance effort and tasking order")


def subtitle(analysis: ProjectsAnalysis) -> str:
    return _("{country}, as of {as_of}").format(
        country=shown_names(analysis.names).get(analysis.country, analysis.country_name),
        as_of=analysis.as_of.isoformat(),
    )


def method_sentences(analysis: ProjectsAnalysis) -> list[str]:
    tasking = analysis.tasking
    national = tasking.national.m2_per_team_day
    weights = ", ".join(
        f"{criterion_name(name)} {format_number(getattr(analysis.weights, name), 2)}"
        for name in CRITERIA
    )
    return [
        _(
            "Hazardous area is measured in each footprint (the project's shape widened by its "
            "working buffer), in metres, counting the share of each hazard not yet released."
        ),
        _(
            "Effort uses the area cleared per team-day by clearance activities that ended "
            "after {start} and by {end} in the hazard's district ({national} nationally); "
            "the dates assume all of the district's current clearance teams work on the project."
        ).format(
            start=tasking.start.isoformat(),
            end=tasking.end.isoformat(),
            national=_("none timed")
            if national is None
            else _("{rate} m²").format(rate=format_number(national)),
        ),
        _(
            "Devices and accidents are counted within {distance} m. Ranking weights: {weights}."
        ).format(distance=format_number(analysis.distance_m), weights=weights),
    ]


def _date(day: Any) -> str:
    return "–" if day is None else str(day.isoformat())


def project_rows(analysis: ProjectsAnalysis) -> list[dict[str, Any]]:
    rows = []
    shown = shown_names(analysis.names)
    for ranked, explanation in zip(analysis.ranked, analysis.explanations, strict=True):
        a = ranked.assessment
        project = a.project
        effort = a.effort_team_days
        rows.append(
            {
                "cells": [
                    format_number(ranked.rank),
                    project.name,
                    shown.get(project.district, project.district),
                    format_number(project.priority),
                    "–"
                    if project.people_benefiting is None
                    else format_number(project.people_benefiting),
                    _ha(a.cha_m2),
                    _ha(a.sha_m2),
                    format_number(a.devices_nearby),
                    format_number(a.accidents_nearby),
                    "–" if effort is None else format_number(effort),
                    _date(a.clear_by),
                    _date(project.planned_start),
                    format_number(ranked.score, 2),
                ],
                "explanation": explanation,
                "late": a.clear_by is None
                or (project.planned_start is not None and project.planned_start < a.clear_by),
            }
        )
    return rows


def headers() -> list[str]:
    return [
        _("Rank"), _("Project"), _("District"), _("Priority"), _("People"), _("CHA ha"),
        _("SHA ha"), _("Devices nearby"), _("Accidents nearby"), _("Team-days"), _("Clear by"),
        _("Planned start"), _("Score"),
    ]  # fmt: skip


def render_text(analysis: ProjectsAnalysis) -> str:
    lines = [title(), subtitle(analysis), ""]
    for ranked, explanation in zip(analysis.ranked, analysis.explanations, strict=True):
        project = ranked.assessment.project
        lines.append(f"{ranked.rank}. {project.name} ({project.external_id})")
        lines.append(f"   {explanation}")
    if not analysis.ranked:
        lines.append(_("No development project is registered."))
    lines += ["", *method_sentences(analysis)]
    return "\n".join(lines) + "\n"


def render_html(analysis: ProjectsAnalysis) -> str:
    at_risk = [r for r in analysis.ranked if r.assessment.hazardous_m2 > 0]
    effort = sum(r.assessment.effort_team_days or 0.0 for r in analysis.ranked)
    return (
        template_environment()
        .get_template("projects.html.j2")
        .render(
            locale=current_locale(),
            title=title(),
            subtitle=subtitle(analysis),
            headline=[
                (_("Projects"), format_number(len(analysis.ranked))),
                (_("With known hazards in their footprint"), format_number(len(at_risk))),
                (
                    _("Hectares of hazard in footprints"),
                    _ha(sum(r.assessment.hazardous_m2 for r in analysis.ranked)),
                ),
                (_("Clearance team-days needed"), format_number(effort)),
            ],
            headers=headers(),
            rows=project_rows(analysis),
            map_svg=projects_map(analysis, subtitle(analysis)),
            score_svg=score_chart(analysis, _("What makes up each project's score")),
            method=method_sentences(analysis),
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_projects(analysis: ProjectsAnalysis, report_format: AnalysisFormat) -> str | bytes:
    """The projects analysis in ``report_format`` (bytes for PDF, text otherwise)."""
    return render_as(
        report_format,
        analysis.to_json,
        lambda: render_text(analysis),
        lambda: render_html(analysis),
        projects_sheets,
    )
