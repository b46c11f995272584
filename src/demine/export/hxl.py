"""The HXL hashtag row of a kind's CSV export (``demine export --format csv --hxl``).

HXL (the Humanitarian Exchange Language, hxlstandard.org) puts one row of hashtags under
a table's header so that humanitarian tools (libhxl, the HXL Proxy, HDX) know what each
column holds. Each column's tag comes from the registry of kinds: the field's
(:attr:`demine.domain.kinds.Field.hxl`, through
:attr:`~demine.domain.kinds.exchange.ExchangeColumn.hxl` for the derived date columns),
else the kind's own (:attr:`demine.domain.kinds.Kind.hxl`), else one of the columns
every export may add (``wkt``, ``review_status``, ``deleted``). A column with none (a
programme's own field, a date's precision) gets a generic ``#meta+<name>`` rather than
an empty cell, so that no column drops out of an HXL tool's view.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from demine.domain.kinds import Kind
from demine.domain.kinds.exchange import exchange_columns

#: Columns an export writes beside the kind's own.
OTHER_COLUMNS = {
    "wkt": "#geo+wkt",
    "review_status": "#status+review",
    "deleted": "#meta+deleted",
}
#: What HXL accepts as a hashtag or an attribute name.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def generic_hashtag(column: str) -> str:
    """``#meta+<column>``, the column name made a valid HXL attribute."""
    attribute = re.sub(r"[^A-Za-z0-9_]", "_", column)
    if not _NAME.fullmatch(attribute):
        attribute = f"x_{attribute}"
    return f"#meta+{attribute.lower()}"


def column_hashtags(kind: Kind) -> dict[str, str]:
    """The hashtag of every column ``kind``'s exports may write, by column name."""
    tags = {**OTHER_COLUMNS, **kind.hxl}
    for column in exchange_columns(kind):
        tags[column.name] = column.hxl or generic_hashtag(column.name)
    return tags


def hashtag_row(kind: Kind, header: Sequence[str]) -> list[str]:
    """The hashtag under each column of ``header`` (a CSV export's of ``kind``)."""
    tags = column_hashtags(kind)
    return [tags.get(name) or generic_hashtag(name) for name in header]
