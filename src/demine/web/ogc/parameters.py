"""The query parameters of OGC API – Features requests, read or refused.

Every parameter is applied or refused with a message saying why (never ignored):
``f`` (``json`` or ``html``), ``bbox``, ``datetime``, ``limit`` (capped at
:data:`MAX_LIMIT`, as the standard asks, rather than refused), ``offset``,
``properties`` (only those properties), ``sortby`` (``name``, ``+name``, ``-name``)
and one equality filter per queryable property (``?district=AZ-AGD``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from demine.domain.kinds import FieldType, Kind
from demine.domain.kinds.exchange import ColumnType, ExchangeColumn, exchange_columns
from demine.domain.vocab import DatePrecision, parse_code
from demine.i18n import _
from demine.store.reads.features import FeatureQuery, queryables
from demine.store.spatial import BBox
from demine.web.ogc.collections import DateWindow

#: Features per page when the request does not say (GDAL always says).
DEFAULT_LIMIT = 1_000
#: The most features a page holds; a larger ``limit`` is capped to it.
MAX_LIMIT = 10_000
#: The formats every endpoint answers in.
FORMATS = ("json", "html")
#: Parameters of an items request besides the queryable properties.
ITEM_PARAMETERS = frozenset({"bbox", "datetime", "limit", "offset", "f", "properties", "sortby"})


class ParameterError(ValueError):
    """A parameter that cannot be applied (the message says which and why)."""


def check_format(parameters: Mapping[str, str], accepted: tuple[str, ...] = FORMATS) -> None:
    """Refuse an ``f`` other than those ``accepted`` (``json`` or ``html``)."""
    chosen = parameters.get("f")
    if chosen is not None and chosen not in accepted:
        raise ParameterError(
            _("unknown format f={value} (accepted: {accepted})").format(
                value=chosen, accepted=", ".join(accepted)
            )
        )


def refuse_unknown(parameters: Mapping[str, str], accepted: frozenset[str] | set[str]) -> None:
    """Refuse the parameters not in ``accepted``, naming them."""
    unknown = sorted(set(parameters) - set(accepted))
    if unknown:
        raise ParameterError(_("unknown parameter(s): {names}").format(names=", ".join(unknown)))


def parse_datetime(text: str) -> DateWindow:
    """An RFC 3339 instant or interval (``a/b``, ``../b``, ``a/..``) as a date window."""

    def day(part: str) -> date | None:
        part = part.strip()
        if part in ("", ".."):
            return None
        try:
            if "T" in part:
                return datetime.fromisoformat(part.replace("Z", "+00:00")).date()
            return date.fromisoformat(part)
        except ValueError:
            raise ParameterError(
                _("'{part}' is not an RFC 3339 date or date-time").format(part=part)
            ) from None

    if "/" in text:
        first, last = text.split("/", 1)
        window = DateWindow(day(first), day(last))
        if window.start and window.end and window.end < window.start:
            raise ParameterError(_("datetime interval ends before it starts"))
        return window
    instant = day(text)
    if instant is None:
        raise ParameterError(_("datetime needs a date or an interval"))
    return DateWindow(instant, instant)


@dataclass(frozen=True)
class ItemsRequest:
    """An items request as read: the query, and the properties to show (None: all)."""

    query: FeatureQuery
    properties: tuple[str, ...] | None


def _whole(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ParameterError(
            _("{name} must be a whole number, not '{value}'").format(name=name, value=text)
        ) from None


def _names(kind: Kind, text: str) -> tuple[str, ...]:
    """The property names of ``properties=a,b`` (refused when ``kind`` has none such)."""
    known = {column.name for column in exchange_columns(kind)}
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ParameterError(_("unknown property(ies): {names}").format(names=", ".join(unknown)))
    return names


def _sort(kind: Kind, text: str) -> tuple[tuple[str, bool], ...]:
    """``sortby=a,-b``: each queryable property, descending when prefixed by ``-``."""
    usable = queryables(kind)
    keys: list[tuple[str, bool]] = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-").strip()
        if name not in usable:
            raise ParameterError(
                _("cannot sort by '{name}' (sortable: {names})").format(
                    name=name, names=", ".join(usable)
                )
            )
        keys.append((name, descending))
    return tuple(keys)


def filter_value(column: ExchangeColumn, text: str) -> Any:
    """The value a filter on ``column`` compares with, read as the column's type."""
    described = column.field
    try:
        if column.type is ColumnType.INTEGER:
            return int(text)
        if column.type is ColumnType.DECIMAL:
            return float(text)
        if column.type is ColumnType.DATE:
            return date.fromisoformat(text)
        if column.type is ColumnType.BOOLEAN:
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        if column.derived:
            return parse_code(DatePrecision, text).value
        if described.type is FieldType.CODE and described.vocabulary is not None:
            return parse_code(described.vocabulary, text).value
    except ValueError:
        raise ParameterError(
            _("'{value}' is not a value of {name} ({type})").format(
                value=text, name=column.name, type=column.type.value
            )
        ) from None
    return text


def items_request(kind: Kind, parameters: Mapping[str, str]) -> ItemsRequest:
    """Read an items request's parameters for a collection of ``kind``."""
    usable = queryables(kind)
    columns = {column.name for column in exchange_columns(kind)}
    not_queryable = sorted((set(parameters) & columns) - set(usable) - ITEM_PARAMETERS)
    if not_queryable:
        raise ParameterError(
            _("cannot filter on {names} (queryable: {queryable})").format(
                names=", ".join(not_queryable), queryable=", ".join(usable)
            )
        )
    refuse_unknown(parameters, ITEM_PARAMETERS | set(usable))
    check_format(parameters)
    if "datetime" in parameters and kind.dates is None:
        raise ParameterError(
            _("collection '{id}' has no temporal property; datetime cannot be applied").format(
                id=kind.collection
            )
        )
    limit = _whole("limit", parameters.get("limit", str(DEFAULT_LIMIT)))
    offset = _whole("offset", parameters.get("offset", "0"))
    if limit < 1 or offset < 0:
        raise ParameterError(_("limit must be at least 1 and offset at least 0"))
    try:
        bbox = BBox.parse(parameters["bbox"]) if "bbox" in parameters else None
    except ValueError as exc:
        raise ParameterError(str(exc)) from None
    window = parse_datetime(parameters["datetime"]) if "datetime" in parameters else None
    equals = {
        name: filter_value(usable[name], text)
        for name, text in parameters.items()
        if name in usable and name not in ITEM_PARAMETERS
    }
    query = FeatureQuery(
        bbox=bbox,
        start=window.start if window else None,
        end=window.end if window else None,
        equals=equals,
        sort=_sort(kind, parameters.get("sortby", "")),
        limit=min(limit, MAX_LIMIT),
        offset=offset,
    )
    shown = _names(kind, parameters["properties"]) if "properties" in parameters else None
    return ItemsRequest(query, shown)
