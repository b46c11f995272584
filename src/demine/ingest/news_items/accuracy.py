"""Comparing the news-item reader with hand labels, field by field.

For each field a label gives, a reading is **right** (same value), **missing** (the
reader gave nothing where the label has a value) or **wrong** (both have values and they
differ, or the reader gave a value where the label has none). Both empty is not counted.
Districts compare as sets; hectares to within 0.01. Extra periods are compared in order,
on their dates and figures.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demine.ingest.news_items.model import FIGURE_FIELDS, VICTIM_FIELDS
from demine.ingest.news_items.reader import parse_news_item_file

TOP_FIELDS = ("period_start", "period_end", "kind", *FIGURE_FIELDS, "districts")
EXTRA_FIELDS = ("period_start", "period_end", *FIGURE_FIELDS)
VERDICTS = ("right", "missing", "wrong")


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

    def add(self, name: str, verdict: str) -> None:
        counts = self.by_field.setdefault(name, dict.fromkeys(VERDICTS, 0))
        counts[verdict] += 1

    def total(self) -> dict[str, int]:
        return {v: sum(counts[v] for counts in self.by_field.values()) for v in VERDICTS}

    def to_json(self) -> dict[str, Any]:
        return {"fields": self.by_field, "total": self.total()}


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


def evaluate(folder: Path, labels_path: Path | None = None) -> AccuracyReport:
    """Read every labelled ``*.txt`` item of ``folder`` and compare it with its label."""
    labels = load_labels(labels_path or folder / "labels.jsonl")
    report = AccuracyReport()
    for path in sorted(folder.glob("*.txt")):
        label = labels.get(path.name)
        if label is None:
            continue
        read = parse_news_item_file(path).to_json()
        report.items += 1
        english = label.get("language") == "en"
        for name, verdict, expected, got in compare(read, label):
            report.all_items.add(name, verdict)
            if english:
                report.english.add(name, verdict)
            if verdict != "right":
                report.differences.append(Difference(path.name, name, verdict, expected, got))
    return report


def compare(
    read: Mapping[str, Any], label: Mapping[str, Any]
) -> Iterable[tuple[str, str, Any, Any]]:
    """(field, verdict, label value, read value) for every field either side gives."""
    for name in TOP_FIELDS:
        yield from _verdict(name, label.get(name), read.get(name))
    label_victims = label.get("victims") or {}
    read_victims = read.get("victims") or {}
    for name in VICTIM_FIELDS:
        yield from _verdict(f"victims.{name}", label_victims.get(name), read_victims.get(name))
    label_extras = label.get("extra_periods") or []
    read_extras = read.get("extra_periods") or []
    for index in range(max(len(label_extras), len(read_extras))):
        expected = label_extras[index] if index < len(label_extras) else {}
        got = read_extras[index] if index < len(read_extras) else {}
        for name in EXTRA_FIELDS:
            yield from _verdict(f"extra.{name}", expected.get(name), got.get(name))


def _verdict(name: str, expected: Any, got: Any) -> Iterable[tuple[str, str, Any, Any]]:
    if name.endswith("districts"):
        expected = set(expected) if expected else None
        got = set(got) if got else None
    if expected is None and got is None:
        return
    if got is None:
        yield name, "missing", expected, got
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
        f"{report.items} labelled items",
        f"{'field':<28}{'English r/m/w':>16}{'all r/m/w':>16}",
    ]
    for name in names:
        lines.append(
            f"{name:<28}{_cell(report.english.by_field.get(name)):>16}"
            f"{_cell(report.all_items.by_field.get(name)):>16}"
        )
    lines.append(
        f"{'TOTAL':<28}{_cell(report.english.total()):>16}{_cell(report.all_items.total()):>16}"
    )
    return "\n".join(lines)


def _cell(counts: Mapping[str, int] | None) -> str:
    counts = counts or dict.fromkeys(VERDICTS, 0)
    return "/".join(str(counts[v]) for v in VERDICTS)


def _field_order(name: str) -> tuple[int, str]:
    group = 0 if "." not in name else (1 if name.startswith("victims.") else 2)
    return group, name
