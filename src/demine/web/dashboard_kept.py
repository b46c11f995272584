"""The dashboard's views and weeks' figures kept in the server while the register is
unchanged: made once per data version, week, day and language, for the page, its charts
and the server's warm-up alike (:mod:`demine.web.warm_up`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from demine.analysis.bulletin import BulletinFigures
from demine.domain.periods import Period
from demine.i18n import current_locale
from demine.store.reader import RegisterReader
from demine.web.dashboard import DashboardView, FiguresOf, ViewKey, dashboard_view, week_figures
from demine.web.versioned_cache import VersionedCache

#: Views and figures kept per process (a week and a few languages each).
KEPT = 16


def new_caches(state: Any) -> None:
    """Give an application's ``state`` its (empty) dashboard caches."""
    state.dashboard_views = VersionedCache[ViewKey, DashboardView](KEPT)
    state.dashboard_figures = VersionedCache[tuple[str, Period, str], BulletinFigures](KEPT)


def kept_figures(state: Any, country: str, version: int) -> FiguresOf:
    """A week's dashboard figures, made once for the page and its charts while the
    register is unchanged (the charts are asked for right after the page)."""
    kept: VersionedCache[tuple[str, Period, str], BulletinFigures] = state.dashboard_figures

    def figures_of(reader: RegisterReader, period: Period) -> BulletinFigures:
        key = (country, period, current_locale())
        return kept.get_or_make(version, key, lambda: week_figures(reader, period))

    return figures_of


def kept_view(
    state: Any, reader: RegisterReader, version: int, week: str | None, today: date
) -> DashboardView:
    """The dashboard's view of ``week`` (None: the last complete one) at ``version``."""
    country = str(reader.country)
    views: VersionedCache[ViewKey, DashboardView] = state.dashboard_views
    return views.get_or_make(
        version,
        (country, week, today, current_locale()),
        lambda: dashboard_view(reader, week, today, kept_figures(state, country, version)),
    )
