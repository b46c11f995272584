"""Ranking projects for tasking: four criteria, each scaled 0–1, weighted as asked.

- priority: 1 for priority 1 (most urgent) down to 0 for priority 5;
- people: people benefiting, over the most any project serves (unknown counts as 0);
- contamination: hazardous area in the footprint, over the largest any project holds;
- effort: 1 minus the clearance effort over the largest any project needs (a project
  with no known hazard scores 1; one whose effort cannot be estimated scores 0).

The score is the weighted mean of the four; ranks run from 1 (score highest), ties
going to the more urgent priority, then to the identifier.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from demine.analysis.projects.assess import ProjectAssessment
from demine.domain.projects import HIGHEST_PRIORITY, LOWEST_PRIORITY
from demine.errors import InvalidRequestError
from demine.i18n import _

CRITERIA = ("priority", "people", "contamination", "effort")


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts (any non-negative numbers; only ratios matter)."""

    priority: float = 1.0
    people: float = 1.0
    contamination: float = 1.0
    effort: float = 1.0

    def __post_init__(self) -> None:
        values = [getattr(self, name) for name in CRITERIA]
        if any(value < 0 for value in values):
            raise InvalidRequestError(_("weights must not be negative"))
        if sum(values) <= 0:
            raise InvalidRequestError(_("at least one weight must be above zero"))

    @classmethod
    def parse(cls, text: str | None) -> Weights:
        """``priority=2,people=1,contamination=1,effort=0.5``; criteria left out keep 1."""
        if not text or not text.strip():
            return cls()
        given: dict[str, float] = {}
        for item in (part.strip() for part in text.split(",") if part.strip()):
            name, _equals, value = item.partition("=")
            name = name.strip().lower()
            if name not in CRITERIA:
                accepted = ", ".join(CRITERIA)
                raise InvalidRequestError(
                    _("unknown weight '{name}' (accepted: {accepted})").format(
                        name=name, accepted=accepted
                    )
                )
            try:
                given[name] = float(value)
            except ValueError:
                raise InvalidRequestError(
                    _("weight {name}: '{value}' is not a number").format(name=name, value=value)
                ) from None
        return cls(**given)

    def to_json(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class RankedProject:
    assessment: ProjectAssessment
    rank: int
    score: float
    scores: dict[str, float]

    def contributions(self, weights: Weights) -> dict[str, float]:
        """Each criterion's part of the score."""
        total = sum(getattr(weights, name) for name in CRITERIA)
        return {name: getattr(weights, name) * self.scores[name] / total for name in CRITERIA}

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "scores": {name: round(value, 4) for name, value in self.scores.items()},
        }


def _fraction(value: float, largest: float) -> float:
    return value / largest if largest > 0 else 0.0


def criterion_scores(assessments: list[ProjectAssessment]) -> list[dict[str, float]]:
    """The four criteria of each project, scaled 0–1 (see the module docstring)."""
    most_people = max((a.project.people_benefiting or 0 for a in assessments), default=0)
    most_area = max((a.hazardous_m2 for a in assessments), default=0.0)
    efforts = [a.effort_team_days for a in assessments]
    most_effort = max((e for e in efforts if e is not None), default=0.0)
    span = LOWEST_PRIORITY - HIGHEST_PRIORITY
    scores = []
    for assessment, effort in zip(assessments, efforts, strict=True):
        project = assessment.project
        effort_score = 0.0 if effort is None else 1.0 - _fraction(effort, most_effort)
        scores.append(
            {
                "priority": (LOWEST_PRIORITY - project.priority) / span,
                "people": _fraction(project.people_benefiting or 0, most_people),
                "contamination": _fraction(assessment.hazardous_m2, most_area),
                "effort": effort_score,
            }
        )
    return scores


def rank_projects(assessments: list[ProjectAssessment], weights: Weights) -> list[RankedProject]:
    """Projects in rank order, each with its score and criterion scores."""
    total = sum(getattr(weights, name) for name in CRITERIA)
    scored = []
    for assessment, scores in zip(assessments, criterion_scores(assessments), strict=True):
        score = sum(getattr(weights, name) * scores[name] for name in CRITERIA) / total
        scored.append((assessment, score, scores))
    scored.sort(key=lambda s: (-round(s[1], 9), s[0].project.priority, s[0].project.external_id))
    return [
        RankedProject(assessment, rank, score, scores)
        for rank, (assessment, score, scores) in enumerate(scored, start=1)
    ]
