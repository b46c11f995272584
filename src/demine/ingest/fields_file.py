"""Reading a programme's fields file: the fields it adds to kinds without code.

The file (TOML, or YAML when PyYAML is installed) holds one table per kind, and in it
one table per field::

    [hazards.terrain]
    type = "choice"                  # text, integer, decimal, date, choice, multiple_choice
    required = false
    help = "Lie of the land"
    label = { en = "Terrain", az = "Relyef", ru = "Рельеф" }

    [hazards.terrain.choices]
    flat = { en = "Flat", az = "Düz", ru = "Равнина" }
    hilly = "Hilly"                  # English only

It is read once when a command or the web application starts
(``DEMINE_FIELDS_FILE`` or ``demine --fields FILE``); any problem stops the start with
a :class:`~demine.errors.ConfigurationError` naming the file, the field and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from demine.domain.kinds import KINDS, Kind
from demine.domain.kinds.custom import LANGUAGES, Choice, CustomField, CustomType, extended_kinds
from demine.errors import ConfigurationError
from demine.i18n import _

#: A field's or a choice's name: what a file's column header and a JSON key can hold.
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: Names a record already uses besides its fields (files, APIs, tables).
RESERVED = frozenset(
    {"id", "wkt", "example", "country", "geometry", "custom", "review_status", "review_note",
     "version", "deleted", "deleted_at", "created_by", "updated_at", "import_batch_id"}
)  # fmt: skip
_SETTINGS = ("type", "required", "help", "label", "choices")
_CHOICE_TYPES = (CustomType.CHOICE, CustomType.MULTIPLE_CHOICE)


def programme_kinds(path: Path | None) -> dict[str, Kind]:
    """The registry's kinds as the fields file at ``path`` extends them (``None``: as
    they are)."""
    if path is None:
        return dict(KINDS)
    return extended_kinds(KINDS, read_fields_file(path))


def read_fields_file(path: Path) -> tuple[CustomField, ...]:
    """Every field ``path`` adds, checked against the registry."""
    content = _content(path)
    fields: list[CustomField] = []
    for kind_name, table in content.items():
        if kind_name not in KINDS:
            raise _error(
                path,
                _("unknown kind '{kind}' (accepted: {kinds})").format(
                    kind=kind_name, kinds=", ".join(KINDS)
                ),
            )
        if not isinstance(table, Mapping) or not table:
            raise _error(path, _("'{kind}' must be a table of fields").format(kind=kind_name))
        for name, described in table.items():
            where = f"{kind_name}.{name}"
            try:
                fields.append(_custom_field(KINDS[kind_name], str(name), described))
            except ValueError as problem:
                message = _("field '{field}': {problem}").format(field=where, problem=problem)
                raise _error(path, message) from None
    return tuple(fields)


def _error(path: Path, problem: str) -> ConfigurationError:
    return ConfigurationError(_("fields file {file}: {problem}").format(file=path, problem=problem))


def _content(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _error(path, _("no such file")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, _("cannot be read ({reason})").format(reason=exc)) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml(path, text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(path, _("not valid TOML ({reason})").format(reason=exc)) from None


def _yaml(path: Path, text: str) -> Mapping[str, Any]:
    try:
        import yaml
    except ImportError:
        raise _error(path, _("YAML needs PyYAML installed; write the file in TOML")) from None
    try:
        content = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _error(path, _("not valid YAML ({reason})").format(reason=exc)) from None
    if content is None:
        return {}
    if not isinstance(content, Mapping):
        raise _error(path, _("must hold one table of fields per kind"))
    return content


def _custom_field(kind: Kind, name: str, described: Any) -> CustomField:
    """One field, or :class:`ValueError` saying what is wrong with it."""
    if not _NAME.match(name):
        raise ValueError(_("a name is lower-case letters, digits and _, starting with a letter"))
    if name in RESERVED:
        raise ValueError(_("the name is reserved (a column every record has)"))
    if any(name in (f.name, f.stored_column) for f in kind.fields):
        raise ValueError(_("the name is taken by a field of {kind}").format(kind=kind.name))
    if not isinstance(described, Mapping):
        raise ValueError(_("must be a table (type, required, help, label, choices)"))
    unknown = [key for key in described if key not in _SETTINGS]
    if unknown:
        raise ValueError(
            _("unknown setting '{setting}' (accepted: {settings})").format(
                setting=unknown[0], settings=", ".join(_SETTINGS)
            )
        )
    field_type = _type(described.get("type"))
    required = described.get("required", False)
    if not isinstance(required, bool):
        raise ValueError(_("required must be true or false"))
    help_text = described.get("help", "")
    if not isinstance(help_text, str):
        raise ValueError(_("help must be a text"))
    return CustomField(
        kind=kind.name,
        name=name,
        type=field_type,
        help=help_text,
        required=required,
        choices=_choices(field_type, described.get("choices")),
        labels=_labels(described.get("label", {}), "label"),
    )


def _type(value: Any) -> CustomType:
    accepted = ", ".join(t.value for t in CustomType)
    if value is None:
        raise ValueError(_("no type (accepted: {types})").format(types=accepted))
    try:
        return CustomType(str(value).strip().lower().replace(" ", "_"))
    except ValueError:
        raise ValueError(
            _("type '{type}' is not one of {types}").format(type=value, types=accepted)
        ) from None


def _choices(field_type: CustomType, value: Any) -> tuple[Choice, ...]:
    if field_type not in _CHOICE_TYPES:
        if value is not None:
            raise ValueError(_("only choice and multiple_choice fields have choices"))
        return ()
    if not value:
        raise ValueError(_("a {type} field needs choices").format(type=field_type.value))
    if isinstance(value, list):
        value = {str(code): {} for code in value}
    if not isinstance(value, Mapping):
        raise ValueError(_("choices must be a table of codes and their labels, or a list"))
    choices = []
    for code, labels in value.items():
        if not _NAME.match(str(code)):
            raise ValueError(
                _(
                    "choice '{code}': a code is lower-case letters, digits and _, "
                    "starting with a letter"
                ).format(code=code)
            )
        choices.append(Choice(str(code), _labels(labels, f"choice '{code}'")))
    return tuple(choices)


def _labels(value: Any, what: str) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str):
        return (("en", value),)
    if not isinstance(value, Mapping):
        raise ValueError(
            _("{what}: labels must be a table of languages ({languages})").format(
                what=what, languages=", ".join(LANGUAGES)
            )
        )
    for language, label in value.items():
        if language not in LANGUAGES:
            raise ValueError(
                _("{what}: labels in '{language}' (accepted: {languages})").format(
                    what=what, language=language, languages=", ".join(LANGUAGES)
                )
            )
        if not isinstance(label, str) or not label.strip():
            raise ValueError(
                _("{what}: the '{language}' label must be a text").format(
                    what=what, language=language
                )
            )
    return tuple((str(language), str(label)) for language, label in value.items())
