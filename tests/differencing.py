"""A differencing attack on public outputs, written from what they publish alone.

A reader gathers public outputs of one period, names every figure they show as a
*fact* (``victims/month=2024-02``, ``accidents/district=Tartar/location=inside``…), and
writes down what the outputs' meaning implies: each breakdown adds up to its total, the
months of a year add up to it, a district's killed + injured + unknown outcome are its
victims, women are female victims of the adult age groups, all-time = baseline +
recorded after it… Shown figures are equalities, ``<N`` is 0 to N-1 (docs/disclosure.md:
a zero may be hidden to protect another count), ``withheld`` is N or more, and every
count is non-negative. For each hidden figure, linear programming
(scipy's HiGHS) gives its least and greatest possible value: when only one whole number
lies between them, the attack has worked it out.

Nothing here comes from Demine's own disclosure code: the facts and relations are read
off the outputs, so a relation the rule forgot is one this attack still uses.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

Reading = int | str

#: Breakdowns of victims in the casualty JSON, and the dimension each one is of.
VICTIM_DIMENSIONS = {
    "by_year": "year", "by_month": "month", "by_district": "district",
    "by_device_category": "device", "by_victim_category": "category", "by_sex": "sex",
    "by_age_band": "age", "by_outcome": "outcome", "by_activity": "activity",
}  # fmt: skip
#: Headline keys of the casualty JSON that repeat a breakdown cell.
SINCE_FACTS = {
    "since_total": "victims", "since_killed": "victims/outcome=killed",
    "since_injured": "victims/outcome=injured", "since_unknown_outcome": "victims/outcome=unknown",
    "since_civilians": "victims/category=civilian", "since_children": "victims/age=0-17",
    "since_women": "victims/women", "since_accidents": "accidents",
    "since_unplaced_victims": "unplaced/victims", "since_unplaced_accidents": "unplaced/accidents",
}  # fmt: skip
AFTER_OF_SINCE = {
    "total": "victims", "killed": "victims/outcome=killed", "injured": "victims/outcome=injured",
    "unknown_outcome": "victims/outcome=unknown", "children": "victims/age=0-17",
    "women": "victims/women", "civilians": "victims/category=civilian",
}  # fmt: skip
#: Women are female victims known to be adults (README: "women are female adults").
ADULT_AGES = ("18-59", "60+", "18+")
DISTRICT_COLUMNS = {
    "victims": "victims/district={d}",
    "killed": "victims/district={d}/outcome=killed",
    "injured": "victims/district={d}/outcome=injured",
    "unknown_outcome": "victims/district={d}/outcome=unknown",
    "accidents": "accidents/district={d}",
    "accidents_inside_known_hazard": "accidents/district={d}/location=inside",
    "accidents_outside_known_hazard": "accidents/district={d}/location=outside",
    "accidents_location_unknown": "accidents/district={d}/location=unknown",
}
NATIONAL_COLUMNS = {
    "victims": "victims", "killed": "victims/outcome=killed", "injured": "victims/outcome=injured",
    "unknown_outcome": "victims/outcome=unknown", "children": "victims/age=0-17",
    "women": "victims/women", "civilians": "victims/category=civilian", "accidents": "accidents",
    "accidents_inside_known_hazard": "accidents/location=inside",
    "accidents_outside_known_hazard": "accidents/location=outside",
    "accidents_location_unknown": "accidents/location=unknown",
}  # fmt: skip
#: How the export's files before issue 18 named the national row (among the districts).
LEGACY_NATIONAL = "(national)"


@dataclass
class Output:
    """One public output: each fact it shows and how it reads."""

    name: str
    facts: dict[str, Reading] = field(default_factory=dict)
    #: ``(fact, share of total, decimals)``: a rounded share of the victims.
    shares: list[tuple[str, float, int]] = field(default_factory=list)
    #: ``(after-baseline start, since start)`` as the output states them.
    windows: list[tuple[str | None, str | None]] = field(default_factory=list)
    threshold: int = 5

    def show(self, fact: str, reading: Reading | None) -> None:
        if reading is None:
            return
        before = self.facts.setdefault(fact, reading)
        assert before == reading, f"{self.name} shows {fact} as {before} and {reading}"


def _reading(raw: Any) -> Reading:
    if isinstance(raw, int):
        return raw
    text = str(raw)
    return int(text) if text.lstrip("-").isdigit() else text


def casualty_output(name: str, figures: Mapping[str, Any]) -> Output:
    """The facts of a casualty JSON (``report casualties --public --format json``)."""
    output = Output(name, threshold=int(figures["suppression_threshold"]))
    _casualty_facts(output, figures)
    return output


def _casualty_facts(output: Output, figures: Mapping[str, Any]) -> None:
    for key, dimension in VICTIM_DIMENSIONS.items():
        for cell, reading in figures[key].items():
            output.show(f"victims/{dimension}={cell}", _reading(reading))
    for cell, reading in figures["accidents_by_district"].items():
        output.show(f"accidents/district={cell}", _reading(reading))
    for cell, reading in figures["inside_known_hazard"].items():
        output.show(f"accidents/location={cell}", _reading(reading))
    for key, fact in SINCE_FACTS.items():
        output.show(fact, None if figures[key] is None else _reading(figures[key]))
    if figures["since_civilian_share"] is not None:
        output.shares.append(("victims/category=civilian", figures["since_civilian_share"], 4))
    for name in ("total", "killed", "injured", "children", "women", "unplaced_victims"):
        raw = figures[f"all_time_{name}"]
        output.show(f"all_time/{name}", None if raw is None else _reading(raw))
    baseline = figures["baseline"]
    if baseline is not None:
        for name, raw in baseline["figures"].items():
            output.show(f"baseline/{name}", raw)
    after = figures["after_baseline"]
    if after is not None:
        for name in AFTER_OF_SINCE:
            output.show(f"after/{name}", _reading(after[name]))
        output.windows.append((after["from"], figures["since"]))


def _cell(row: Mapping[str, Any], column: str, threshold: int) -> Reading:
    """A count as its row shows it: a hidden one is empty, its ``_status`` says why (the
    files before issue 18 wrote ``<5`` or ``withheld`` in the count's own cell)."""
    status = row.get(f"{column}_status")
    if status == "suppressed":
        return f"<{threshold}"
    if status == "withheld":
        return "withheld"
    assert row[column] not in (None, ""), f"{column}: empty without a status"
    return _reading(row[column])


def _national_row(output: Output, row: Mapping[str, Any]) -> None:
    for column, fact in NATIONAL_COLUMNS.items():
        if column in row:
            output.show(fact, _cell(row, column, output.threshold))


def _district_rows(output: Output, rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        district = row["district"]
        if district == LEGACY_NATIONAL:
            _national_row(output, row)
            continue
        for column, pattern in DISTRICT_COLUMNS.items():
            output.show(pattern.format(d=district), _cell(row, column, output.threshold))


def export_json_output(document: Mapping[str, Any]) -> Output:
    """The facts of ``public-aggregates.json`` (its district rows and national row)."""
    output = casualty_output("export JSON", document["casualties"])
    _district_rows(output, document["districts"])
    if "national" in document:
        _national_row(output, document["national"])
    return output


def export_csv_output(districts: str, national: str | None, threshold: int) -> Output:
    """The facts of ``public-aggregates.csv`` and ``public-aggregates-national.csv``
    (None: the national row is among the districts, as before issue 18)."""
    output = Output("export CSV", threshold=threshold)
    _district_rows(output, csv.DictReader(io.StringIO(districts)))
    if national is not None:
        (row,) = csv.DictReader(io.StringIO(national))
        assert int(row["suppression_threshold"]) == threshold
        _national_row(output, row)
    return output


def api_output(answer: Mapping[str, Any]) -> Output:
    """The facts of ``/api/public/districts``."""
    output = Output("public district figures", threshold=int(answer["suppression_threshold"]))
    for row in answer["districts"]:
        output.show(f"accidents/district={row['name']}", _reading(row["accidents"]))
    output.show("accidents", _reading(answer["total"]["accidents"]))
    return output


def _relations(facts: set[str]) -> list[tuple[str, list[str]]]:
    """``(total, parts)`` that the outputs' meaning implies, over ``facts`` and the
    figures no output shows (named ``hidden:…``)."""
    relations: list[tuple[str, list[str]]] = []

    def cells(prefix: str) -> list[str]:
        return sorted(f for f in facts if f.startswith(prefix) and "/" not in f[len(prefix) :])

    for dimension in VICTIM_DIMENSIONS.values():
        relations.append(("victims", cells(f"victims/{dimension}=")))
    relations.append(("accidents", cells("accidents/district=")))
    relations.append(("accidents", cells("accidents/location=")))
    years = [f.split("=", 1)[1] for f in cells("victims/year=")]
    months = [f.split("=", 1)[1] for f in cells("victims/month=")]
    for year in years:
        within = [f"victims/month={m}" for m in months if m[:4] == year]
        relations.append((f"victims/year={year}", [*within, f"hidden:year-only={year}"]))
    relations.append(("victims/month=unknown", [f"hidden:year-only={y}" for y in years]))
    for kind, column in (("victims", "outcome"), ("accidents", "location")):
        districts = [f.split("=", 1)[1] for f in cells(f"{kind}/district=")]
        values = [f.split("=", 1)[1] for f in cells(f"{kind}/{column}=")]
        for district in districts:
            parts = [f"{kind}/district={district}/{column}={v}" for v in values]
            relations.append((f"{kind}/district={district}", parts))
        for value in values:
            parts = [f"{kind}/district={d}/{column}={value}" for d in districts]
            relations.append((f"{kind}/{column}={value}", parts))
    sexes = [f.split("=", 1)[1] for f in cells("victims/sex=")]
    ages = [f.split("=", 1)[1] for f in cells("victims/age=")]
    for sex in sexes:
        relations.append((f"victims/sex={sex}", [f"hidden:{sex}/{a}" for a in ages]))
    for age in ages:
        relations.append((f"victims/age={age}", [f"hidden:{s}/{age}" for s in sexes]))
    relations.append(("victims/women", [f"hidden:female/{a}" for a in ages if a in ADULT_AGES]))
    for name in ("total", "killed", "injured", "children", "women"):
        if f"all_time/{name}" in facts and f"baseline/{name}" in facts:
            relations.append((f"all_time/{name}", [f"baseline/{name}", f"after/{name}"]))
    relations.append(("after/total", ["after/killed", "after/injured", "after/unknown_outcome"]))
    return relations


@dataclass
class Attack:
    """What the attack found: every hidden figure with its bounds, and those worked out."""

    hidden: dict[str, tuple[float, float]]
    worked_out: list[str]


def attack(outputs: list[Output], period: list[Output]) -> Attack:
    """Gather ``outputs`` and bound every figure they hide, with the relations between
    every figure the ``period``'s outputs show (true whichever outputs are combined)."""
    shown: dict[str, int] = {}
    bounds: dict[str, tuple[int, int | None]] = {}
    for output in outputs:
        for fact, reading in output.facts.items():
            if isinstance(reading, int):
                shown[fact] = reading
            elif reading == f"<{output.threshold}":
                bounds[fact] = (0, output.threshold - 1)
            else:
                assert reading == "withheld", f"{output.name}: {fact} reads {reading!r}"
                bounds[fact] = (output.threshold, None)
    everything = {fact for output in period for fact in output.facts}
    relations = _relations(everything)
    names = sorted(everything | {p for _, parts in relations for p in parts})
    index = {name: i for i, name in enumerate(names)}
    equalities: list[tuple[dict[int, float], float]] = []
    for total, parts in relations:
        row: dict[int, float] = {index[total]: -1.0}
        for part in parts:
            row[index[part]] = row.get(index[part], 0.0) + 1.0
        equalities.append((row, 0.0))
    for fact, value in shown.items():
        equalities.append(({index[fact]: 1.0}, float(value)))
    windows = {window for output in outputs for window in output.windows}
    for after_from, since in windows:
        for name, fact in AFTER_OF_SINCE.items():
            after = f"after/{name}"
            if after_from == since:  # the same victims: the same figures
                equalities.append(({index[after]: 1.0, index[fact]: -1.0}, 0.0))
                continue
            # Both end on the as-of day: the one starting earlier holds the other's
            # victims and some more (a free unknown, found in no output).
            since_longer = since is None or (after_from is not None and since < after_from)
            longer, shorter = (fact, after) if since_longer else (after, fact)
            between = len(names)
            names.append(f"hidden:between/{name}")
            equalities.append(({index[longer]: -1.0, index[shorter]: 1.0, between: 1.0}, 0.0))
    upper: list[tuple[dict[int, float], float]] = []
    for output in outputs:
        for fact, share, decimals in output.shares:
            # share = round(fact / victims, decimals): fact within half a unit of it.
            slack = 0.5 * 10**-decimals
            victims, cell = index["victims"], index[fact]
            upper.append(({cell: 1.0, victims: -(share + slack)}, 0.0))
            upper.append(({cell: -1.0, victims: share - slack}, 0.0))
    size = len(names)
    a_eq = np.zeros((len(equalities), size))
    b_eq = np.array([value for _, value in equalities])
    for i, (row, _) in enumerate(equalities):
        for j, coefficient in row.items():
            a_eq[i, j] = coefficient
    a_ub = np.zeros((len(upper), size)) if upper else None
    b_ub = np.zeros(len(upper)) if upper else None
    for i, (row, _) in enumerate(upper):
        assert a_ub is not None
        for j, coefficient in row.items():
            a_ub[i, j] = coefficient
    box = [bounds.get(name, (0, None)) for name in names]
    found: dict[str, tuple[float, float]] = {}
    for fact in sorted(bounds):
        if fact in shown:
            found[fact] = (shown[fact], shown[fact])
            continue
        extremes = []
        for sign in (1.0, -1.0):
            objective = np.zeros(size)
            objective[index[fact]] = sign
            result = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                             bounds=box, method="highs")  # fmt: skip
            assert result.status == 0, f"{fact}: {result.message}"
            extremes.append(sign * result.fun)
        found[fact] = (extremes[0], extremes[1])
    worked = [
        fact
        for fact, (low, high) in found.items()
        if math.floor(high + 1e-6) == math.ceil(low - 1e-6)
    ]
    return Attack(found, worked)


def lp_worked_out(
    values: Mapping[Any, int],
    sums: Iterable[tuple[Any, Iterable[Any]]],
    readings: Mapping[Any, Reading],
    threshold: int,
    unpublished: Iterable[Any] = (),
) -> list[Any]:
    """The hidden cells of a table linear programming pins to one value (min == max).

    ``readings`` is every published cell as it reads; ``values`` holds every cell
    (unpublished ones too, free non-negative unknowns to the reader).
    """
    names = list(values)
    index = {name: i for i, name in enumerate(names)}
    rows: list[tuple[dict[int, float], float]] = []
    for total, parts in sums:
        row: dict[int, float] = {index[total]: -1.0}
        for part in parts:
            row[index[part]] = row.get(index[part], 0.0) + 1.0
        rows.append((row, 0.0))
    box: list[tuple[float, float | None]] = [(0, None)] * len(names)
    hidden = []
    for name, reading in readings.items():
        if isinstance(reading, int):
            rows.append(({index[name]: 1.0}, float(reading)))
        elif reading == f"<{threshold}":
            box[index[name]] = (0, threshold - 1)
            hidden.append(name)
        else:
            box[index[name]] = (threshold, None)
            hidden.append(name)
    for name in unpublished:
        box[index[name]] = (0, None)
    a_eq = np.zeros((len(rows), len(names)))
    for i, (row, _) in enumerate(rows):
        for j, coefficient in row.items():
            a_eq[i, j] = coefficient
    b_eq = np.array([value for _, value in rows])
    pinned = []
    for name in hidden:
        extremes = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(names))
            objective[index[name]] = sign
            result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
            assert result.status == 0, f"{name}: {result.message}"
            extremes.append(sign * result.fun)
        if extremes[1] - extremes[0] < 1e-7:
            pinned.append(name)
    return pinned
