"""Field forms built from the register: XLSForm and XForm (ODK, KoboToolbox) for each
field report, with choice lists, constraints and labels in every language Demine speaks.

:mod:`~demine.fieldforms.model` says what a form is, :mod:`~demine.fieldforms.specs`
declares the field reports against the registry.
"""

from demine.fieldforms.model import (
    GEOMETRY_QUESTION,
    GEOPOINT,
    GEOSHAPE,
    GEOTRACE,
    BuiltForm,
    FormSpec,
    RepeatSpec,
)
from demine.fieldforms.specs import FIELD_REPORTS, form_specs

__all__ = [
    "FIELD_REPORTS",
    "GEOMETRY_QUESTION",
    "GEOPOINT",
    "GEOSHAPE",
    "GEOTRACE",
    "BuiltForm",
    "FormSpec",
    "RepeatSpec",
    "form_specs",
]
