"""The pages everyone starts from: the dashboard, the bulletin and the login form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from demine.analysis.bulletin import bulletin_figures
from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed
from demine.domain.kinds.places import BOUNDARY_CREDIT
from demine.domain.periods import Period
from demine.errors import InvalidRequestError, NotFoundError
from demine.i18n import _
from demine.reports.bulletin.document import ReportFormat, render
from demine.store.data_version import data_version
from demine.store.reader import RegisterReader
from demine.store.reads.map_layers import layer_kind
from demine.web.access import caller
from demine.web.dashboard import (
    chosen_week,
    dashboard_charts,
)
from demine.web.dashboard_kept import kept_figures, kept_view
from demine.web.language import number_symbols
from demine.web.pages import PAGES, environment, needs, safe_next
from demine.web.pages import render as render_page
from demine.web.risk_legend import risk_legend
from demine.web.security import FRAMED_BY_SELF
from demine.web.static_assets import versioned

router = APIRouter(tags=[PAGES], include_in_schema=False)
Operational = Annotated[Principal, Depends(needs(Permission.VIEW_OPERATIONAL))]

#: The dashboard map's layers in drawing order; each is shown to who may read its kind.
MAP_LAYERS = ("districts", "risk", "hazards", "finds", "accidents", "minefields")
#: The dashboard's style sheets and scripts, in the order its page loads them.
DASHBOARD_STYLES = ("/static/vendor/leaflet/leaflet.css",)
DASHBOARD_SCRIPTS = (
    "/static/vendor/leaflet/leaflet.js",
    "/static/vendor/leaflet-vectorgrid/Leaflet.VectorGrid.bundled.min.js",
    "/static/demine-map.js",
    "/static/dashboard-charts.js",
)
#: The map's background layers (``BASEMAP`` in demine-map.js), by name.
BASEMAP_FILES = {
    name: f"/static/basemap/{name}.geojson" for name in ("land", "lakes", "boundaries")
}
#: What the login page has the browser fetch ahead (``<link rel="prefetch">``) while the
#: password is typed, when the dashboard comes next. All are named by their versioned
#: address (web/static_assets.py), so the dashboard then reads them from the browser's
#: cache without asking again, and its map waits only for the register's own layers.
DASHBOARD_AHEAD = (*DASHBOARD_STYLES, *DASHBOARD_SCRIPTS, *BASEMAP_FILES.values())


def _country(request: Request) -> str:
    return str(request.app.state.settings.country)


def _today() -> date:
    return datetime.now(UTC).date()


def _map_words(week: Period | None) -> dict[str, str]:
    return {
        "otherDevices": _("Other devices"),
        "noReport": (_("No operations reported in {week}").format(week=week.label) if week else ""),
        "districts": _("Districts"),
        "hazards": _("Hazard areas"),
        "finds": _("Device finds"),
        "accidents": _("Accidents"),
        "minefields": _("Minefield records"),
        "risk": _("Predicted risk"),
        "riskOf": _("Predicted risk: {risk}"),
        "riskModel": _("Model {model}, events before {day}, computed on {computed}"),
        "riskFactors": _("Pushed most by"),
        "riskCell": _("Cell {cell}"),
        "source": _("Handed over by"),
        "background": _("Background (Natural Earth)"),
        "credit": _(BOUNDARY_CREDIT),
        "devicesFound": _("Devices found"),
        "hectaresCleared": _("Hectares cleared"),
        "since": _("since operations began"),
        "records": _("records in this cell"),
        "devicesInCell": _("devices in this cell"),
        "accidentsInCell": _("accidents in this cell"),
        "SHA": _("Suspected hazardous area"),
        "CHA": _("Confirmed hazardous area"),
        "EOD_SPOT_TASK": _("EOD spot task"),
        "status": _("Status"),
        "category": _("Category"),
        "AP_MINE": _("AP mine"),
        "AT_MINE": _("AT mine"),
        "UXO": _("UXO"),
        "truncated": _("Not every feature is drawn: zoom in to see all."),
        "legend": _("Legend"),
        "aggregated": _("Circles count records near each other; zoom in to see each one."),
        "loadFailed": _("A map layer could not be loaded."),
        # The statuses popups show (hazard areas, then minefield records).
        "status.open": _("open"),
        "status.worked_on": _("worked on"),
        "status.closed": _("closed"),
        "status.received": _("received"),
        "status.under_verification": _("under verification"),
        "status.verified": _("verified"),
        "status.archived": _("archived"),
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, week: str | None = None) -> Response:
    principal = caller(request)
    try:
        with request.app.state.store.read() as connection:
            reader = RegisterReader(connection, _country(request))
            today = _today()
            view = kept_view(request.app.state, reader, data_version(connection), week, today)
    except InvalidRequestError as error:
        return render_page(
            request, "message.html.j2", _("Dashboard"), status=400, reason=error.message
        )
    layers = [name for name in MAP_LAYERS if allowed(principal, layer_kind(name).read_permission)]
    return render_page(
        request,
        "dashboard.html.j2",
        _("Dashboard"),
        view=view,
        map_config={
            "layers": layers,
            "extent": view.extent,
            "numbers": number_symbols(),
            "choropleth": view.choropleth,
            "risk": risk_legend() if "risk" in layers else None,
            "riskModel": view.risk_model if "risk" in layers else None,
            "basemap": {name: versioned(path) for name, path in BASEMAP_FILES.items()},
        },
        words=_map_words(view.week),
        styles=[versioned(path) for path in DASHBOARD_STYLES],
        scripts=[versioned(path) for path in DASHBOARD_SCRIPTS],
    )


@router.get("/dashboard/charts", response_class=HTMLResponse)
def dashboard_charts_part(request: Request, week: str | None = None) -> Response:
    """The dashboard's trend charts, a part of its page the page asks for once its map
    is drawn (204: no week yet)."""
    try:
        with request.app.state.store.read() as connection:
            reader = RegisterReader(connection, _country(request))
            version = data_version(connection)
            figures_of = kept_figures(request.app.state, _country(request), version)
            charts = dashboard_charts(reader, week, _today(), figures_of)
    except InvalidRequestError as error:
        return HTMLResponse(escape(error.message), status_code=400)
    if charts is None:
        return Response(status_code=204)
    part = environment().get_template("dashboard_charts.html.j2").render(charts=charts)
    return HTMLResponse(part)


def _bulletin_week(request: Request, week: str | None) -> Period:
    with request.app.state.store.read() as connection:
        period = chosen_week(RegisterReader(connection, _country(request)), week, _today())
    if period is None:
        raise NotFoundError(_("there are no approved records yet; choose a week (e.g. 2024-W27)"))
    return period


@router.get("/bulletin", response_class=HTMLResponse)
def bulletin_page(request: Request, principal: Operational, week: str | None = None) -> Response:
    try:
        period = _bulletin_week(request, week)
    except (InvalidRequestError, NotFoundError) as error:
        return render_page(
            request, "bulletin.html.j2", _("Bulletin"), status=error.http_status,
            error=error.message, week=week or "",
        )  # fmt: skip
    return render_page(request, "bulletin.html.j2", _("Bulletin"), week=period.label, error=None)


def _rendered(
    request: Request, week: str | None, report_format: ReportFormat
) -> tuple[Period, str | bytes]:
    period = _bulletin_week(request, week)
    with request.app.state.store.read() as connection:
        figures = bulletin_figures(RegisterReader(connection, _country(request)), period)
    return period, render(figures, report_format)


@router.get("/bulletin.html", response_class=HTMLResponse)
def bulletin_html(request: Request, principal: Operational, week: str | None = None) -> Response:
    _period, document = _rendered(request, week, ReportFormat.HTML)
    # Shown inside the bulletin page's frame: framed by this site's pages, no other.
    return HTMLResponse(document, headers=FRAMED_BY_SELF)


@router.get("/bulletin.pdf")
def bulletin_pdf(request: Request, principal: Operational, week: str | None = None) -> Response:
    period, document = _rendered(request, week, ReportFormat.PDF)
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="bulletin-{period.label}.pdf"'},
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    words = {
        "failed": _("Wrong user name or password, or the account is disabled."),
        "throttled": _("Too many failed logins; wait a moment and try again."),
        "error": _("Logging in failed."),
    }
    next_page = safe_next(next)
    ahead = [versioned(path) for path in DASHBOARD_AHEAD] if next_page == "/" else []
    return render_page(
        request, "login.html.j2", _("Log in"), next_page=next_page, words=words, ahead=ahead
    )
