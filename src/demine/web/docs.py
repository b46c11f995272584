"""``/docs``: Swagger UI over the OpenAPI document, from the vendored copy (no CDN).

The page FastAPI builds starts Swagger UI with one inline script; the page's
Content-Security-Policy allows that script alone, by its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from demine.web.security import content_security_policy

router = APIRouter(include_in_schema=False)

SWAGGER_UI = "/static/vendor/swagger-ui"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """The base64 SHA-256 of each inline script of ``html``, as CSP names them."""
    return tuple(
        base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        for script in _INLINE_SCRIPT.findall(html)
    )


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Demine – API",
        swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
        swagger_favicon_url="data:,",
        # No validator badge: it would be fetched from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode("utf-8")
    policy = content_security_policy(script_hashes=inline_script_hashes(html))
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
