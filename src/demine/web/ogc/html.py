"""HTML views of OGC API documents (the ``html`` conformance class)."""

from __future__ import annotations

import json
from typing import Any

from demine.i18n import current_locale
from demine.reports.templating import template_environment_for
from demine.web.ogc.responses import json_default

_environment = template_environment_for(__file__)


def render_html(path: str, document: Any) -> str:
    """A page for any OGC API document: links, collections, or features with a map."""
    is_features = isinstance(document, dict) and document.get("type") == "FeatureCollection"
    is_feature = isinstance(document, dict) and document.get("type") == "Feature"
    features = document.get("features", []) if is_features else [document] if is_feature else []
    features = [_named_for_reader(feature, current_locale()) for feature in features]
    columns: list[str] = []
    for feature in features:
        for name in feature.get("properties", {}):
            if name not in columns:
                columns.append(name)
    return _environment.get_template("ogc.html.j2").render(
        path=path,
        document=document,
        features=features,
        columns=columns,
        geojson=_script_json({"type": "FeatureCollection", "features": features}),
    )


def _named_for_reader(feature: dict[str, Any], language: str) -> dict[str, Any]:
    """A district read in the page's language: its ``name_az``/``name_ru`` shown as its
    name (the JSON items keep the canonical ``name``)."""
    properties = feature.get("properties") or {}
    local = properties.get(f"name_{language}")
    if not local:
        return feature
    return {**feature, "properties": {**properties, "name": local}}


def _script_json(value: Any) -> str:
    """JSON to hand to the page's script in a ``<script type="application/json">`` block:
    ``<``, ``>`` and ``&`` escaped, so no value can close the block."""
    text = json.dumps(value, default=json_default)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
