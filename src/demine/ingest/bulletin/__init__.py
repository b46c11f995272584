"""Reading published ANAMA news items (bulletins) into structured figures.

A reader of the language of these items, not of particular files: periods, counts by
category, areas cleared, districts and victim statistics, each with the sentence it came
from, and a warning wherever a value could not be read with confidence.
"""

from demine.ingest.bulletin.model import (
    ParsedBulletin,
    ReportFigures,
    ReportKind,
    VictimFigures,
)
from demine.ingest.bulletin.reader import parse_bulletin, parse_bulletin_file

__all__ = [
    "ParsedBulletin",
    "ReportFigures",
    "ReportKind",
    "VictimFigures",
    "parse_bulletin",
    "parse_bulletin_file",
]
