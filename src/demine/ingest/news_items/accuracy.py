"""Comparing the news-item reader with hand labels, field by field.

For each field a label gives, a reading is **right** (same value), **abstained** (the
reader left it empty where the label has a value: it gave a reason, and candidates when
it saw some) or **wrong** (both have values and they differ, or the reader gave a value
where the label has none). Both empty is not counted. Districts compare as sets; hectares
to within 0.01. Extra periods are compared in order, on their dates and figures.
Abstentions are also counted with candidates (``abstained_with_candidates``): a reviewer
then picks a value instead of reading the item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from demine.ingest.news_items.model import FIGURE_FIELDS, VICTIM_FIELDS
from demine.ingest.news_items.reader import parse_news_item_file

TOP_FIELDS = ("period_start", "period_end", "kind", *FIGURE_FIELDS, "districts")
EXTRA_FIELDS = ("period_start", "period_end", *FIGURE_FIELDS)
VERDICTS = ("right", "wrong", "abstained")


@dataclass(frozen=True)
class Difference:
    """One field where the reader and the label disagree."""

    file: str
    field: str
    verdict: str
    label: Any
    read: Any


@dataclass
class Tally:
    """Right, missing and wrong counts per field, for one group of items."""

    by_field: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Abstentions that list candidates, per field.
    with_candidates: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, verdict: str, candidates: bool = False) -> None:
        counts = self.by_field.setdefault(name, dict.fromkeys(VERDICTS, 0))
        counts[verdict] += 1
        if verdict == "abstained" and candidates:
            self.with_candidates[name] = self.with_candidates.get(name, 0) + 1

    def total(self) -> dict[str, int]:
        return {v: sum(counts[v] for counts in self.by_field.values()) for v in VERDICTS}

    def labelled(self) -> int:
        """Values the labels give (right, wrong or abstained)."""
        return sum(self.total().values())

    def share_right(self) -> float:
        """Right values as a share of labelled values (0 when nothing is labelled)."""
        return self.total()["right"] / self.labelled() if self.labelled() else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "fields": self.by_field,
            "abstained_with_candidates": self.with_candidates,
            "total": self.total(),
            "share_right": round(self.share_right(), 4),
        }


@dataclass
class AccuracyReport:
    """The tallies for English items and for all items, and every disagreement."""

    english: Tally = field(default_factory=Tally)
    all_items: Tally = field(default_factory=Tally)
    differences: list[Difference] = field(default_factory=list)
    items: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "english": self.english.to_json(),
            "all": self.all_items.to_json(),
            "differences": [d.__dict__ for d in self.differences],
        }


def load_labels(path: Path) -> dict[str, dict[str, Any]]:
    """Hand labels by file name, from a JSON-lines file."""
    labels: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label = json.loads(line)
            labels[label["file"]] = label
    return labels


def evaluate(
    folder: Path, labels_path: Path | None = None, *, today: date | None = None
) -> AccuracyReport:
    """Read every labelled ``*.txt`` item of ``folder`` and compare it with its label.

    ``today`` is the day items without a publication date are read as of (the real today
    when not given): the years a week may be in run up to it.
    """
    labels = load_labels(labels_path or folder / "labels.jsonl")
    report = AccuracyReport()
    for path in sorted(folder.glob("*.txt")):
        label = labels.get(path.name)
        if label is None:
            continue
        parsed = parse_news_item_file(path, today=today)
        read = parsed.to_json()
        report.items += 1
        english = label.get("language") == "en"
        for name, verdict, expected, got, key in _compare_with_keys(read, label):
            reading = parsed.readings.get(key)
            candidates = reading is not None and bool(reading.candidates)
            report.all_items.add(name, verdict, candidates)
            if english:
                report.english.add(name, verdict, candidates)
            if verdict != "right":
                report.differences.append(Difference(path.name, name, verdict, expected, got))
    return report


def compare(
    read: Mapping[str, Any], label: Mapping[str, Any]
) -> Iterable[tuple[str, str, Any, Any]]:
    """(field, verdict, label value, read value) for every field either side gives."""
    for row in _compare_with_keys(read, label):
        yield row[:4]


def _compare_with_keys(
    read: Mapping[str, Any], label: Mapping[str, Any]
) -> Iterable[tuple[str, str, Any, Any, str]]:
    """:func:`compare`'s rows, each with the field's key in the readings."""
    for key, name, expected, got in _fields(read, label):
        for row in _verdict(name, expected, got):
            yield (*row, key)


def _fields(
    read: Mapping[str, Any], label: Mapping[str, Any]
) -> Iterable[tuple[str, str, Any, Any]]:
    """(readings key, compared name, label value, read value) for every field."""
    for name in TOP_FIELDS:
        yield name, name, label.get(name), read.get(name)
    label_victims = label.get("victims") or {}
    read_victims = read.get("victims") or {}
    for name in VICTIM_FIELDS:
        key = f"victims.{name}"
        yield key, key, label_victims.get(name), read_victims.get(name)
    label_extras = label.get("extra_periods") or []
    read_extras = read.get("extra_periods") or []
    for index in range(max(len(label_extras), len(read_extras))):
        expected = label_extras[index] if index < len(label_extras) else {}
        got = read_extras[index] if index < len(read_extras) else {}
        for name in EXTRA_FIELDS:
            key = f"extra_periods[{index}].{name}"
            yield key, f"extra.{name}", expected.get(name), got.get(name)


def _verdict(name: str, expected: Any, got: Any) -> Iterable[tuple[str, str, Any, Any]]:
    if name.endswith("districts"):
        expected = set(expected) if expected else None
        got = set(got) if got else None
    if expected is None and got is None:
        return
    if got is None:
        yield name, "abstained", expected, got
    elif expected is None:
        yield name, "wrong", expected, got
    else:
        yield name, "right" if _same(expected, got) else "wrong", expected, got


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) < 0.01
    return bool(expected == got)


def format_table(report: AccuracyReport) -> str:
    """A plain-text table of the tallies, English items and all items side by side."""
    names = sorted(set(report.all_items.by_field) | set(report.english.by_field), key=_field_order)
    lines = [
        f"{report.items} labelled items; r/w/a = right / wrong / abstained",
        f"{'field':<28}{'English r/w/a':>16}{'all r/w/a':>16}",
    ]
    for name in names:
        lines.append(
            f"{name:<28}{_cell(report.english.by_field.get(name)):>16}"
            f"{_cell(report.all_items.by_field.get(name)):>16}"
        )
    lines.append(
        f"{'TOTAL':<28}{_cell(report.english.total()):>16}{_cell(report.all_items.total()):>16}"
    )
    for title, tally in (("English", report.english), ("all", report.all_items)):
        total = tally.total()
        lines.append(
            f"{title}: {total['right']} right of {tally.labelled()} labelled values "
            f"({tally.share_right():.1%}), {total['wrong']} wrong, {total['abstained']} "
            f"abstained ({sum(tally.with_candidates.values())} with candidates)"
        )
    return "\n".join(lines)


def _cell(counts: Mapping[str, int] | None) -> str:
    counts = counts or dict.fromkeys(VERDICTS, 0)
    return "/".join(str(counts[v]) for v in VERDICTS)


def _field_order(name: str) -> tuple[int, str]:
    group = 0 if "." not in name else (1 if name.startswith("victims.") else 2)
    return group, name
