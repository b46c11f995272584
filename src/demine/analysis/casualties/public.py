"""The public view of casualty statistics: aggregates only, small counts hidden.

Victim data are health data. A public output carries no record, identifier or
coordinate, only the figures of :meth:`CasualtyStatistics.to_json`, with every
breakdown cell and every count of a subset of people (killed, children, women…) from 1
to ``threshold - 1`` shown as ``"<threshold"``, and complementary cells hidden (as
``"<threshold"`` or ``"withheld"``) so that no hidden cell can be recomputed from a
total (see :mod:`demine.analysis.disclosure`).
Totals (``since_total``, ``since_accidents``, ``all_time_total``) stay exact: they are
what authorities publish.
"""

from __future__ import annotations

from typing import Any

from demine.analysis.casualties.statistics import ACCIDENT_BREAKDOWNS, VICTIM_BREAKDOWNS
from demine.analysis.disclosure import (
    DEFAULT_THRESHOLD,
    WITHHELD,
    Cell,
    is_hidden,
    suppress_breakdown,
    suppress_count,
)

#: Counts of a subset of people, shown alone (no complementary cell is published).
_SINCE_SUBSETS = ("since_women", "since_unplaced_victims", "since_unplaced_accidents")
_ALL_TIME_SUBSETS = ("killed", "injured", "children", "women")
_OUTCOMES = ("killed", "injured", "unknown")


def public_json(figures: dict[str, Any], threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """``figures`` (from ``CasualtyStatistics.to_json``) as they may be published."""
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    public = dict(figures)
    public["public"] = True
    public["suppression_threshold"] = threshold
    for key in (*VICTIM_BREAKDOWNS, *ACCIDENT_BREAKDOWNS):
        public[key] = suppress_breakdown(figures[key], threshold)
    outcome = public["by_outcome"]
    public["since_killed"] = outcome["killed"]
    public["since_injured"] = outcome["injured"]
    public["since_unknown_outcome"] = outcome["unknown"]
    public["since_civilians"] = public["by_victim_category"]["civilian"]
    if is_hidden(public["since_civilians"]):
        # The share times the (exact) total would give the hidden count back.
        public["since_civilian_share"] = None
    public["since_children"] = public["by_age_band"]["0-17"]
    for key in _SINCE_SUBSETS:
        public[key] = suppress_count(figures[key], threshold)
    public["all_time_unplaced_victims"] = suppress_count(
        figures["all_time_unplaced_victims"], threshold
    )
    after = figures["after_baseline"]
    if after is not None:
        public["after_baseline"] = _public_after(figures, after, public, threshold)
        for name in _ALL_TIME_SUBSETS:
            key = f"all_time_{name}"
            recorded: Cell | None = public["after_baseline"][name]
            # Baseline + recorded is published: a hidden recorded part would come back
            # as all-time minus baseline, so the all-time figure is withheld with it.
            public[key] = (
                WITHHELD if is_hidden(recorded) else suppress_count(figures[key], threshold)
            )
    return public


def _public_after(
    figures: dict[str, Any], after: dict[str, Any], public: dict[str, Any], threshold: int
) -> dict[str, Any]:
    result = dict(after)
    if after["from"] == figures["since"]:
        # The same victims as the "since" figures: the same cells must be hidden.
        outcomes = {"killed": public["since_killed"], "injured": public["since_injured"]}
        outcomes["unknown"] = public["since_unknown_outcome"]
        result["children"] = public["since_children"]
        result["women"] = public["since_women"]
        result["civilians"] = public["since_civilians"]
    else:
        outcomes = suppress_breakdown(
            {name: after["unknown_outcome" if name == "unknown" else name] for name in _OUTCOMES},
            threshold,
        )
        for name in ("children", "women", "civilians"):
            result[name] = suppress_count(after[name], threshold)
    result["killed"] = outcomes["killed"]
    result["injured"] = outcomes["injured"]
    result["unknown_outcome"] = outcomes["unknown"]
    return result
