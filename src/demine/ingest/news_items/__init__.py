"""Reading published ANAMA news items (not our own bulletins) into structured figures.

A reader of the language of these items, not of particular files: periods, counts by
category, areas cleared, districts and victim statistics, each with the sentence it came
from, and a warning wherever a value could not be read with confidence.
"""

from demine.ingest.news_items.model import (
    ParsedNewsItem,
    ReportFigures,
    ReportKind,
    VictimFigures,
)
from demine.ingest.news_items.reader import parse_news_item, parse_news_item_file

__all__ = [
    "ParsedNewsItem",
    "ReportFigures",
    "ReportKind",
    "VictimFigures",
    "parse_news_item",
    "parse_news_item_file",
]
