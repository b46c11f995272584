"""What both databases store alike: text within its declared length and without NUL
characters, whole numbers a PostgreSQL ``integer`` column holds.

SQLite stores a 100,000-character text in a column declared for 100, a NUL character,
and any 64-bit number; PostgreSQL refuses all three. They are refused here, in the
domain, so that an import, the REST API and a form accept the same values whichever
database is behind them, and the refusal names the field instead of failing in the
database driver.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from demine.domain.kinds import Field, FieldType
from demine.domain.records import format_declared_models
from demine.i18n import _, format_number

#: The whole numbers a PostgreSQL ``integer`` column holds (SQLite would store more).
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1

#: Fields whose values are stored as text (codes and lists joined with ``;``).
_TEXT_TYPES = {
    FieldType.TEXT,
    FieldType.CODE,
    FieldType.CODES,
    FieldType.DISTRICTS,
    FieldType.TEXT_LIST,
    FieldType.REFERENCES,
    FieldType.MODEL_COUNTS,
}


def nul_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (a NUL character), or None."""
    if "\x00" in text:
        return _("holds a NUL character (\\x00), which no text may hold")
    return None


def text_problem(text: str, max_length: int | None) -> str | None:
    """Why ``text`` cannot be stored in a column of ``max_length`` characters, or None."""
    problem = nul_problem(text)
    if problem is None and max_length is not None and len(text) > max_length:
        problem = _("{length} characters, more than the {most} allowed").format(
            length=format_number(len(text)), most=format_number(max_length)
        )
    return problem


def integer_problem(value: int) -> str | None:
    """Why ``value`` cannot be stored as a whole number, or None."""
    if INTEGER_MIN <= value <= INTEGER_MAX:
        return None
    return _("{value} is out of range: whole numbers go from {least} to {most}").format(
        value=value, least=format_number(INTEGER_MIN), most=format_number(INTEGER_MAX)
    )


def stored_text(field: Field, value: Any) -> str | None:
    """``value`` of ``field`` (as the entity holds it) as its column holds the text."""
    if value is None or field.type not in _TEXT_TYPES:
        return None
    if field.type is FieldType.MODEL_COUNTS:
        return format_declared_models(tuple(value))
    if isinstance(value, tuple | list):
        return ";".join(part.value if isinstance(part, StrEnum) else str(part) for part in value)
    return value.value if isinstance(value, StrEnum) else str(value)


def bounds_problem(field: Field, value: Any) -> str | None:
    """Why ``value`` of ``field`` cannot be stored on both databases alike, or None."""
    check = bounds_check(field)
    return None if check is None else check(value)


def bounds_check(field: Field) -> Callable[[Any], str | None] | None:
    """The check of ``field``'s values (as the entity holds them), made once per field:
    an import runs it on every value (None: the field's type needs none)."""
    if field.type is FieldType.INTEGER:
        return _check_integer
    if field.type is FieldType.TEXT:
        most = field.max_length

        def check_text(value: Any) -> str | None:
            text = str(value)
            if "\x00" in text or (most is not None and len(text) > most):
                return text_problem(text, most)
            return None

        return check_text
    if field.type in _TEXT_TYPES:

        def check_stored_text(value: Any) -> str | None:
            text = stored_text(field, value)
            return None if text is None else text_problem(text, field.max_length)

        return check_stored_text
    return None


def _check_integer(value: Any) -> str | None:
    if isinstance(value, int) and not INTEGER_MIN <= value <= INTEGER_MAX:
        return integer_problem(value)
    return None
