"""Development projects at risk, ranked for tasking: the whole analysis and its JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.ledger import HazardLedger
from demine.analysis.landrelease.read import Register
from demine.analysis.landrelease.released import CLEARING_KINDS
from demine.analysis.projects.assess import DEFAULT_DISTANCE_M, ProjectAssessment, assess_projects
from demine.analysis.projects.explain import ExplainContext, explain
from demine.analysis.projects.footprint import footprint_of
from demine.analysis.projects.ranking import RankedProject, Weights, rank_projects
from demine.analysis.projects.read import read_clearance, read_project_inputs, read_register
from demine.analysis.projects.risk_layer import (
    RiskCrossing,
    RiskLayer,
    crossing,
    hazard_cover,
)
from demine.analysis.projects.tasking import (
    DEFAULT_WINDOW_MONTHS,
    Tasking,
    measure_tasking,
    months_before,
)
from demine.errors import InvalidRequestError
from demine.i18n import _, format_number, ngettext
from demine.store.reader import RegisterReader

_CLEARING = tuple(kind.value for kind in CLEARING_KINDS)


def _m2(value: float) -> float:
    return round(value, 1)


def _days(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 1)


def assessment_json(a: ProjectAssessment, names: Mapping[str, str]) -> dict[str, Any]:
    project, clear_by = a.project, a.clear_by
    effort = a.effort_team_days
    return {
        "id": project.external_id,
        "name": project.name,
        "kind": project.kind.value,
        "district": names.get(project.district, project.district),
        "district_code": project.district,
        "owner": project.owner,
        "priority": project.priority,
        "people_benefiting": project.people_benefiting,
        "planned_start": project.planned_start.isoformat() if project.planned_start else None,
        "buffer_m": project.buffer_m,
        "footprint_m2": _m2(a.footprint_m2),
        "hazardous_sha_m2": _m2(a.sha_m2),
        "hazardous_cha_m2": _m2(a.cha_m2),
        "hazardous_m2": _m2(a.hazardous_m2),
        "hazards": [
            {
                "id": h.key,
                "classification": h.classification.value,
                "status": h.status.value,
                "overlap_m2": _m2(h.overlap_m2),
                "remaining_share": round(h.remaining_share, 4),
                "hazardous_m2": _m2(h.hazardous_m2),
            }
            for h in a.hazards
        ],
        "devices_nearby": a.devices_nearby,
        "device_finds_nearby": a.finds_nearby,
        "accidents_nearby": a.accidents_nearby,
        "minefield_records": list(a.records),
        "effort_team_days": None if effort is None else round(effort, 1),
        "effort_by_district": [
            {
                "district": names.get(e.district, e.district),
                "code": e.district,
                "hazardous_m2": _m2(e.hazardous_m2),
                "cleared_m2_per_team_day": None
                if e.m2_per_team_day is None
                else round(e.m2_per_team_day, 2),
                "productivity_source": e.productivity_source.value,
                "team_days_per_week": round(e.team_days_per_week, 2),
                "effort_team_days": None
                if e.effort_team_days is None
                else round(e.effort_team_days, 1),
                "days": _days(e.days),
            }
            for e in a.efforts
        ],
        "clear_status": a.clear_status.value,
        "earliest_clear_date": clear_by.isoformat() if clear_by else None,
        "starts_before_clear": bool(
            project.planned_start and (clear_by is None or project.planned_start < clear_by)
        ),
    }


@dataclass
class ProjectsAnalysis:
    country: str
    country_name: str
    as_of: date
    distance_m: float
    weights: Weights
    tasking: Tasking
    ranked: list[RankedProject]
    explanations: list[str]
    names: Mapping[str, str]
    hazards: list[HazardLedger]
    districts: list[tuple[str, BaseGeometry]]
    #: The predicted risk layer the projects were checked against (``--risk``), if any,
    #: and what each ranked project crosses of it.
    risk_layer: RiskLayer | None = None
    risk_crossings: list[RiskCrossing] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "country": self.country,
            "as_of": self.as_of.isoformat(),
            "distance_m": self.distance_m,
            "weights": self.weights.to_json(),
            "productivity": self.tasking.to_json(self.names),
            "projects": [
                {
                    **ranked.to_json(),
                    **assessment_json(ranked.assessment, self.names),
                    "explanation": explanation,
                }
                for ranked, explanation in zip(self.ranked, self.explanations, strict=True)
            ],
        }
        if self.risk_layer is not None:
            document["risk_layer"] = {
                ("stored_model" if self.risk_layer.stored else "file"): self.risk_layer.source,
                "threshold": self.risk_layer.threshold,
                "cell_half_size_m": round(self.risk_layer.half_size_m, 1),
            }
            for project, found in zip(document["projects"], self.risk_crossings, strict=True):
                project["high_risk_cells_outside_hazards"] = found.cells
                project["highest_risk_outside_hazards"] = found.highest_risk
        return document


def risk_sentence(found: RiskCrossing, threshold: float) -> str | None:
    """The explanation's sentence about predicted risk no hazard covers, if any."""
    if found.cells == 0 or found.highest_risk is None:
        return None
    return ngettext(
        "It crosses {count} cell of predicted risk {threshold} or more that no hazard "
        "covers (highest {risk}): contamination may lie where no survey has looked.",
        "It crosses {count} cells of predicted risk {threshold} or more that no hazard "
        "covers (highest {risk}): contamination may lie where no survey has looked.",
        found.cells,
    ).format(
        count=found.cells,
        threshold=format_number(threshold, 2),
        risk=format_number(found.highest_risk, 2),
    )


def analyse_projects(
    reader: RegisterReader,
    as_of: date,
    weights: Weights | None = None,
    distance_m: float = DEFAULT_DISTANCE_M,
    months: int = DEFAULT_WINDOW_MONTHS,
    register: Register | None = None,
    risk_layer: RiskLayer | None = None,
) -> ProjectsAnalysis:
    """Assess and rank every live project of the reader's country on ``as_of``; with a
    ``risk_layer``, flag those crossing high-risk cells that no hazard covers."""
    country = reader.country
    if country is None:
        raise InvalidRequestError(_("projects are assessed one country at a time"))
    if distance_m < 0:
        raise InvalidRequestError(_("the distance must not be negative"))
    if months < 1:
        raise InvalidRequestError(_("the productivity window must be at least one month"))
    weights = weights or Weights()
    register = register or read_register(reader)
    inputs = read_project_inputs(reader, register, as_of)
    start = months_before(as_of, months)
    clearance = read_clearance(reader, register, start, as_of, _CLEARING)
    tasking = measure_tasking(clearance, register.places, start, as_of, months)
    ranked = rank_projects(assess_projects(inputs, tasking, as_of, distance_m), weights)
    context = ExplainContext(register.names, months, distance_m, weights, len(ranked))
    explanations = [explain(r, context) for r in ranked]
    crossings: list[RiskCrossing] = []
    if risk_layer is not None:
        cover = hazard_cover([h.geometry for h in inputs.hazards if h.geometry is not None])
        crossings = [
            crossing(footprint_of(r.assessment.project), risk_layer, cover) for r in ranked
        ]
        explanations = [
            explanation if sentence is None else f"{explanation} {sentence}"
            for explanation, sentence in (
                (e, risk_sentence(c, risk_layer.threshold))
                for e, c in zip(explanations, crossings, strict=True)
            )
        ]
    return ProjectsAnalysis(
        country=country,
        country_name=register.country_name,
        as_of=as_of,
        distance_m=distance_m,
        weights=weights,
        tasking=tasking,
        ranked=ranked,
        explanations=explanations,
        names=register.names,
        hazards=inputs.hazards,
        districts=[
            (name, area.geometry)
            for name, area in register.district_geometries()
            if area.geometry is not None
        ],
        risk_layer=risk_layer,
        risk_crossings=crossings,
    )
