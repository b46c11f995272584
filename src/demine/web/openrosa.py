"""The OpenRosa API's documents, independent of the web framework.

What ODK Collect, Enketo and ODK Web Forms read: the form list (``xformsList``), a
form's media manifest (``xformsManifest``) and the ``OpenRosaResponse`` message every
submission and every error is answered with — each with ``X-OpenRosa-Version: 1.0``.
Errors carry a clear message in the client's own format (ODK Collect shows it); an
anonymous caller is asked for HTTP Basic credentials (401 and ``WWW-Authenticate``),
which is how ODK Collect learns to send them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote
from xml.sax.saxutils import escape

from demine.errors import AuthenticationError, DemineError, Forbidden
from demine.fieldforms.model import BuiltForm
from demine.i18n import _

PREFIX = "/openrosa"
OPENROSA_VERSION = "1.0"
XML = "text/xml; charset=utf-8"
REALM = 'Basic realm="Demine", charset="UTF-8"'
_LIST = "http://openrosa.org/xforms/xformsList"
_MANIFEST = "http://openrosa.org/xforms/xformsManifest"
_RESPONSE = "http://openrosa.org/http/response"


@dataclass(frozen=True)
class Answer:
    """An OpenRosa answer: status, XML body and headers."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = XML

    def all_headers(self) -> dict[str, str]:
        return {"X-OpenRosa-Version": OPENROSA_VERSION, **self.headers}


def is_openrosa(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def md5_hash(content: bytes | str) -> str:
    """A file's hash as OpenRosa lists it (``md5:`` and hexadecimal digits)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return "md5:" + hashlib.md5(data, usedforsecurity=False).hexdigest()


def form_url(base: str, form: BuiltForm, what: str) -> str:
    return f"{base}{PREFIX}/forms/{quote(form.spec.form_id, safe='')}/{what}"


def form_list(forms: Sequence[BuiltForm], base: str, titles: Mapping[str, str]) -> Answer:
    """The ``xformsList`` of ``forms`` (``titles``: each form's title in the caller's
    language, by form id)."""
    items = []
    for form in forms:
        form_id = form.spec.form_id
        manifest = (
            f"<manifestUrl>{escape(form_url(base, form, 'manifest'))}</manifestUrl>"
            if form.media
            else ""
        )
        items.append(
            "<xform>"
            f"<formID>{escape(form_id)}</formID>"
            f"<name>{escape(titles.get(form_id, form.spec.title))}</name>"
            f"<version>{escape(form.version)}</version>"
            f"<hash>{md5_hash(form.xform)}</hash>"
            f"<downloadUrl>{escape(form_url(base, form, 'form.xml'))}</downloadUrl>"
            f"{manifest}"
            "</xform>"
        )
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{_LIST}">{"".join(items)}</xforms>'
    )
    return Answer(200, body)


def manifest(form: BuiltForm, base: str) -> Answer:
    """The ``xformsManifest`` of ``form``'s media files."""
    files = "".join(
        "<mediaFile>"
        f"<filename>{escape(name)}</filename>"
        f"<hash>{md5_hash(content)}</hash>"
        f"<downloadUrl>{escape(form_url(base, form, 'media/' + quote(name, safe='')))}"
        "</downloadUrl>"
        "</mediaFile>"
        for name, content in sorted(form.media.items())
    )
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{_MANIFEST}">{files}</manifest>'
    )
    return Answer(200, body)


def message(
    status: int, text: str, *, nature: str = "", headers: Mapping[str, str] | None = None
) -> Answer:
    """An ``OpenRosaResponse`` carrying ``text`` (``nature="error"`` for errors)."""
    attribute = f' nature="{escape(nature)}"' if nature else ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{_RESPONSE}" items="0">'
        f"<message{attribute}>{escape(text)}</message></OpenRosaResponse>"
    )
    return Answer(status, body, dict(headers or {}))


def error_answer(error: DemineError, *, anonymous: bool) -> Answer:
    """The OpenRosa answer to ``error``; an anonymous caller refused is asked to log in."""
    if (isinstance(error, AuthenticationError) and error.http_status == 401) or (
        anonymous and isinstance(error, Forbidden)
    ):
        text = (
            error.message
            if isinstance(error, AuthenticationError)
            else _("log in with your Demine user name and password, or a device token")
        )
        return message(401, text, nature="error", headers={"WWW-Authenticate": REALM})
    return message(error.http_status, error.message, nature="error")
