"""A task's dossier as HTML or PDF, for the operator's team and the programme's staff.

It names places, hazards and minefield records (operational, not for publication) but
no victim: accidents are shown by date, place and device only, and free text that may
name people stays withheld.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from demine.analysis.tasks.dossier import TaskDossier
from demine.analysis.tasks.priority import suggested_priority
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.kinds import KINDS
from demine.domain.withheld import withhold
from demine.i18n import _, current_locale, format_number
from demine.reports.formats import DocumentFormat
from demine.reports.tasks.charts import task_map
from demine.reports.templating import html_to_pdf, template_environment


def hectares(square_metres: float | None) -> str:
    if square_metres is None:
        return "–"
    return format_number(square_metres / SQUARE_METRES_PER_HECTARE, 2)


def _metres(distance: float) -> str:
    return _("on the hazard") if distance == 0 else format_number(distance) + " m"


def task_facts(dossier: TaskDossier) -> list[tuple[str, str]]:
    task = dossier.task
    return [
        (_("Operator"), task.organisation),
        (_("Team"), task.team or "–"),
        (_("Method"), task.method.value),
        (_("Assets"), ", ".join(a.value for a in task.assets) or "–"),
        (_("District"), dossier.district_name(task.district)),
        (_("Planned start"), task.planned_start.isoformat()),
        (_("Due date"), task.due_date.isoformat()),
        (_("Priority"), _priority(dossier)),
        (_("Status"), task.status.value),
        (_("Activities"), ", ".join(task.activities) or "–"),
    ]


def _priority(dossier: TaskDossier) -> str:
    if dossier.task.priority is not None:
        return str(dossier.task.priority)
    suggested = suggested_priority(dossier.projects)
    if suggested is None:
        return "–"
    return _("none given; {priority} suggested by the projects needing its hazards").format(
        priority=suggested
    )


def hazard_rows(dossier: TaskDossier) -> list[list[Any]]:
    hazards = KINDS["hazards"]
    rows = []
    for hazard in dossier.hazards:
        # Evidence is free text that may name people: shown only with the victim-data grant.
        evidence = withhold(hazards, {"evidence": hazard.evidence}, None)["evidence"]
        rows.append(
            [
                hazard.external_id,
                hazard.name or "",
                hazard.classification.value,
                hazard.status.value,
                hazard.recorded_on.isoformat(),
                ", ".join(c.value for c in hazard.contamination) or "–",
                hectares(hazard.estimated_area_m2),
                hectares(hazard.remaining_area_m2),
                evidence if evidence is not None else "–",
            ]
        )
    return rows


def render_dossier_html(dossier: TaskDossier) -> str:
    task = dossier.task
    return (
        template_environment()
        .get_template("task_dossier.html.j2")
        .render(
            locale=current_locale(),
            title=_("Task dossier {key}").format(key=task.external_id),
            subtitle=_("{method} by {operator} in {district}, {start} to {due}").format(
                method=task.method.value,
                operator=task.organisation,
                district=dossier.district_name(task.district),
                start=task.planned_start.isoformat(),
                due=task.due_date.isoformat(),
            ),
            facts=task_facts(dossier),
            map_svg=task_map(dossier),
            hazards=hazard_rows(dossier),
            changes=[
                [c.changed_on.isoformat(), c.hazard, c.status.value, c.reason or ""]
                for c in dossier.changes
            ],
            activities=[
                [
                    n.record.external_id,
                    n.record.kind.value,
                    n.record.organisation,
                    f"{n.record.start_date.isoformat()} – {n.record.end_date.isoformat()}",
                    hectares(n.record.area_cancelled_m2),
                    hectares(n.record.area_reduced_m2),
                    hectares(n.record.area_cleared_m2),
                    _metres(n.distance_m),
                ]
                for n in dossier.earlier_activities
            ],
            accidents=[
                [
                    n.record.external_id,
                    n.record.occurred.isoformat(),
                    dossier.district_name(n.record.district),
                    n.record.device_category.value if n.record.device_category else "–",
                    n.record.device_model or "–",
                    _metres(n.distance_m),
                ]
                for n in dossier.accidents
            ],
            records=[
                [
                    r.external_id,
                    r.source,
                    r.received_on.isoformat(),
                    r.record_type.value,
                    r.status.value,
                ]
                for r in dossier.records
            ],
            nearby=format_number(dossier.nearby_m),
            projects=[
                [n.rank, n.project, n.name, n.priority, ", ".join(n.hazards)]
                for n in dossier.projects
            ],
            safety_notes=task.safety_notes,
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_dossier(dossier: TaskDossier, document_format: DocumentFormat) -> str | bytes:
    """The dossier as HTML (text) or PDF (bytes)."""
    page = render_dossier_html(dossier)
    return page if document_format is DocumentFormat.HTML else html_to_pdf(page)
