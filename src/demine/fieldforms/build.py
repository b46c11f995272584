"""Building field forms: the XLSForm workbook of each field report, its XForm (made by
``pyxform``, checked by ODK Validate on request) and its media, versioned by content.

The version is a digest of everything the form holds — questions, labels in every
language, choice lists and media — so it changes exactly when a phone needs the new
form (a district added, an organisation renamed, a label translated) and never
otherwise.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from demine.domain.kinds import Kind
from demine.errors import DemineError, NotFoundError
from demine.fieldforms import labels as words
from demine.fieldforms.model import BuiltForm, FormSpec
from demine.fieldforms.questions import NAMESPACE, Row, Sheets
from demine.fieldforms.specs import form_specs
from demine.i18n import _, using_locale
from demine.store.engine import Store
from demine.store.reader import RegisterReader
from demine.store.reads.field_lists import FieldLists, field_lists

logger = logging.getLogger(__name__)

#: Digits of the content digest a version keeps (48 bits: no two versions of a form meet).
VERSION_DIGITS = 12


class FormBuildError(DemineError):
    """A form could not be converted to an XForm, or ODK Validate refused it."""


def build_forms(
    store: Store,
    kinds: Mapping[str, Kind],
    country: str,
    *,
    only: Sequence[str] = (),
    validate: bool = False,
) -> list[BuiltForm]:
    """The field forms of ``country``'s register (those whose kind is in ``only``, when
    given; a kind no form takes is refused, naming the ones that have forms)."""
    specs = select_specs(form_specs(kinds), only)
    lists = read_lists(store, kinds, country)
    return [form_of(spec, lists, kinds, validate=validate) for spec in specs]


def build_form(
    spec: FormSpec, store: Store, kinds: Mapping[str, Kind], country: str, *, validate: bool = False
) -> BuiltForm:
    """The form ``spec`` for ``country``'s register as it is now."""
    return form_of(spec, read_lists(store, kinds, country), kinds, validate=validate)


def select_specs(specs: Sequence[FormSpec], only: Sequence[str]) -> list[FormSpec]:
    """The specs whose kind (or form id) is named in ``only`` (all when it is empty)."""
    if not only:
        return list(specs)
    available = sorted({spec.kind for spec in specs})
    unknown = [name for name in only if name not in available and name not in _ids(specs)]
    if unknown:
        raise NotFoundError(
            _("no field form for {names} (forms exist for: {available})").format(
                names=", ".join(unknown), available=", ".join(available)
            )
        )
    return [spec for spec in specs if spec.kind in only or spec.form_id in only]


def _ids(specs: Sequence[FormSpec]) -> set[str]:
    return {spec.form_id for spec in specs}


def read_lists(store: Store, kinds: Mapping[str, Kind], country: str) -> FieldLists:
    """The register's lists the forms of ``country`` offer (approved records only)."""
    with store.read() as connection:
        return field_lists(RegisterReader(connection, country, kinds=kinds))


def form_of(
    spec: FormSpec, lists: FieldLists, kinds: Mapping[str, Kind], *, validate: bool = False
) -> BuiltForm:
    """The form ``spec`` offering ``lists``: XLSForm, XForm (checked by ODK Validate with
    ``validate``, which needs Java) and media."""
    sheets = Sheets(spec, lists, kinds).build()
    settings = _settings(spec)
    version = content_version(sheets.survey, sheets.choices, settings, sheets.media)
    key = (spec.form_id, version)
    converted = _CONVERTED.get(key)
    if converted is None:
        settings["version"] = version
        workbook = xlsform_bytes(sheets.survey, sheets.choices, [settings])
        converted = (workbook, _convert(spec, workbook))
        logger.info("built form %s version %s", spec.form_id, version)
    if validate and key not in _VALIDATED:
        odk_validate(spec, converted[1])
        _VALIDATED.add(key)
    _remember(key, converted)
    return BuiltForm(spec, version, converted[0], converted[1], dict(sheets.media))


#: Forms converted already, by form id and version: the version is a digest of all the
#: XLSForm holds, so a server answering every phone's request converts each version once.
_CONVERTED: dict[tuple[str, str], tuple[bytes, str]] = {}
_VALIDATED: set[tuple[str, str]] = set()
#: Versions kept (a few per form).
_KEPT = 32


def _remember(key: tuple[str, str], converted: tuple[bytes, str]) -> None:
    _CONVERTED.pop(key, None)
    _CONVERTED[key] = converted
    while len(_CONVERTED) > _KEPT:
        del _CONVERTED[next(iter(_CONVERTED))]


def _settings(spec: FormSpec) -> Row:
    with using_locale("en"):
        title = _(spec.title)
    return {
        "form_title": title,
        "form_id": spec.form_id,
        "name": spec.form_id,
        "default_language": words.DEFAULT_LANGUAGE,
        "namespaces": f'{NAMESPACE[0]}="{NAMESPACE[1]}"',
    }


def content_version(
    survey: list[Row], choices: list[Row], settings: Row, media: Mapping[str, bytes]
) -> str:
    """A digest of everything a form holds (its version leaves itself out)."""
    content = {
        "survey": survey,
        "choices": choices,
        "settings": {key: value for key, value in settings.items() if key != "version"},
        "media": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(media.items())},
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_DIGITS]


def xlsform_bytes(survey: list[Row], choices: list[Row], settings: list[Row]) -> bytes:
    """The XLSForm workbook: sheets survey, choices and settings."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = workbook.create_sheet(title)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _convert(spec: FormSpec, workbook: bytes) -> str:
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        result = convert(workbook, warnings=warnings, pretty_print=True, file_type=".xlsx")
    except PyXFormError as exc:
        raise _build_error(spec, str(exc)) from exc
    for warning in warnings:
        logger.warning("form %s: %s", spec.form_id, warning)
    return str(result.xform)


def odk_validate(spec: FormSpec, xform: str) -> None:
    """Check ``xform`` with ODK Validate (JavaRosa, shipped in pyxform; needs Java).

    pyxform reports a validator that timed out or crashed as a mere warning: here it
    is an error, so a form said to be valid was checked.
    """
    from pyxform.validators.odk_validate import ODKValidateError, check_xform

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{spec.form_id}.xml"
        path.write_text(xform, encoding="utf-8")
        try:
            warnings = check_xform(str(path))
        except (ODKValidateError, OSError) as exc:
            raise _build_error(spec, str(exc)) from exc
    unchecked = [w for w in warnings if not w.startswith("ODK Validate Warnings")]
    if unchecked:
        raise _build_error(spec, "; ".join(unchecked))
    for warning in warnings:
        logger.warning("form %s: %s", spec.form_id, warning)


def _build_error(spec: FormSpec, reason: str) -> FormBuildError:
    return FormBuildError(
        _("The form {form} could not be built: {reason}").format(
            form=spec.form_id, reason=reason.strip()
        )
    )
