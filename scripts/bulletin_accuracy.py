"""Compare the news-item reader with the hand labels of data/bulletins, field by field.

Usage::

    python scripts/bulletin_accuracy.py [--data data/bulletins] [--format text|json]
                                        [--show-differences] [--today YYYY-MM-DD]

Counts per field, for English items and for all items: right (same value), abstained (the
reader left it empty, the label has a value) and wrong (they differ, or the reader gave a
value the label does not have). The seed bulletin has no label and is skipped. Items
without a publication date are read as of ``--today`` (default: the real today), the
last day a week written without its year may fall in.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from demine.ingest.news_items.accuracy import evaluate, format_table

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data" / "bulletins"


def main(argv: list[str] | None = None) -> int:
    """Print the comparison; the exit code is 1 when an English item has a wrong value."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of items and labels.jsonl"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--show-differences", action="store_true", help="also list every abstained or wrong value"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="read items without a publication date as of this day (YYYY-MM-DD)",
    )
    args = parser.parse_args(argv)
    report = evaluate(args.data, today=args.today)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(format_table(report))
        if args.show_differences:
            for difference in report.differences:
                print(
                    f"{difference.file} {difference.field}: {difference.verdict} "
                    f"(label {difference.label!r}, read {difference.read!r})"
                )
    return 1 if report.english.total()["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
