"""Security headers on every response: pages, API answers, static files and errors.

The pages load scripts only from this site (no inline script: data handed to scripts
travels in ``<script type="application/json">`` blocks, which are not run), may not be
framed by another site (clickjacking of the approve and disable buttons), and the
browser may not guess a content type other than the one declared. Styles may be set
inline because Leaflet, the map legend and Swagger UI set ``style`` attributes.

A response that already carries a header keeps it: ``/docs`` allows its one inline
script by hash, and the bulletin document may be framed by the bulletin page.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(
    *,
    frame_ancestors: str = "'none'",
    script_hashes: tuple[str, ...] = (),
    odk_web_forms: bool = False,
) -> str:
    """The Content-Security-Policy of Demine's responses.

    ``odk_web_forms`` is for the page running ODK Web Forms: it may compile WebAssembly
    (``'wasm-unsafe-eval'``, which allows no JavaScript ``eval``: the engine parses XPath
    with a WebAssembly parser) and use the fonts its bundle carries as ``data:`` URLs.
    """
    wasm = ("'wasm-unsafe-eval'",) if odk_web_forms else ()
    fonts = ("font-src 'self' data:",) if odk_web_forms else ()
    scripts = " ".join(("'self'", *wasm, *(f"'sha256-{digest}'" for digest in script_hashes)))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            # Charts and map sheets are SVG data URIs; Swagger UI draws icons the same way.
            "img-src 'self' data:",
            *fonts,
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )


def security_headers(*, https: bool = False) -> dict[str, str]:
    """The headers every response carries (HSTS too when the site is served over HTTPS)."""
    headers = {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


#: What a document framed by Demine's own pages (the bulletin) answers with instead.
FRAMED_BY_SELF = {
    "Content-Security-Policy": content_security_policy(frame_ancestors="'self'"),
    "X-Frame-Options": "SAMEORIGIN",
}


class SecurityHeaders:
    """ASGI middleware adding :func:`security_headers` to every HTTP response."""

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.headers = security_headers(https=https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
