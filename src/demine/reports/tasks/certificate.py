"""The land release certificate of a completed task, as PDF or HTML, for the district
authority and the land users: the area released by method, in hectares."""

from __future__ import annotations

from datetime import UTC, datetime

from demine.analysis.tasks.certificate import RELEASE_METHODS, ReleaseCertificate
from demine.i18n import _, current_locale, format_number
from demine.reports.formats import DocumentFormat
from demine.reports.tasks.dossier import hectares
from demine.reports.templating import html_to_pdf, template_environment


def method_label(method: str) -> str:
    return {
        "cancelled": _("Cancelled by non-technical survey"),
        "reduced": _("Reduced by technical survey"),
        "cleared": _("Cleared"),
    }[method]


def render_certificate_html(certificate: ReleaseCertificate) -> str:
    task = certificate.task
    return (
        template_environment()
        .get_template("release_certificate.html.j2")
        .render(
            locale=current_locale(),
            title=_("Land release certificate"),
            subtitle=_("Task {key}, {district}").format(
                key=task.external_id, district=certificate.district_name
            ),
            statement=_(
                "The land of the hazardous areas below, tasked to {operator} by task {key} "
                "({method}, {start} to {due}), was released as follows ({total} ha in all)."
            ).format(
                operator=certificate.operator_name,
                key=task.external_id,
                method=task.method.value,
                start=task.planned_start.isoformat(),
                due=task.due_date.isoformat(),
                total=hectares(certificate.total_m2),
            ),
            released=[
                (
                    method_label(method),
                    hectares(certificate.released_m2[method]),
                    format_number(certificate.released_m2[method]),
                )
                for method in RELEASE_METHODS
            ],
            total_ha=hectares(certificate.total_m2),
            total_m2=format_number(certificate.total_m2),
            hazards=[
                [h.external_id, h.name or "", h.classification.value, h.status.value]
                for h in certificate.hazards
            ],
            activities=[
                [
                    a.external_id,
                    a.kind.value,
                    a.organisation,
                    f"{a.start_date.isoformat()} – {a.end_date.isoformat()}",
                    hectares(a.area_cancelled_m2),
                    hectares(a.area_reduced_m2),
                    hectares(a.area_cleared_m2),
                ]
                for a in certificate.activities
            ],
            generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def render_certificate(
    certificate: ReleaseCertificate, document_format: DocumentFormat
) -> str | bytes:
    """The certificate as PDF (bytes) or HTML (text)."""
    page = render_certificate_html(certificate)
    return page if document_format is DocumentFormat.HTML else html_to_pdf(page)
