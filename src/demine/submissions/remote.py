"""Submissions kept on another server: an ODK Central form or a KoboToolbox asset.

Each server lists its submissions; each listed submission is fetched as the XForm
instance ODK Collect would have sent, with its files (photos), so that it is received
exactly as an OpenRosa submission is (:func:`demine.submissions.receive.receive`).

- **ODK Central** (through ``pyodk``): the submissions of a form
  (``GET /v1/projects/{project}/forms/{form}/submissions``), each one's instance as
  Central keeps it (``…/submissions/{instanceId}.xml``: the current version, with its
  ``deprecatedID`` when it was edited) and its attachments (``…/attachments``).
- **KoboToolbox** (API v2, ``Authorization: Token …``): the asset's submissions as JSON
  (``/api/v2/assets/{uid}/data/?format=json``, paged with ``next``), each one's keys the
  questions' group paths like the XLSX export's columns, its repeats lists of such
  objects, its files in ``_attachments`` (``download_url``).

A refused login is an :class:`~demine.errors.AuthenticationError`, an unknown project,
form or asset a :class:`~demine.errors.NotFoundError`, anything else from the server (or
no answer) a :class:`~demine.errors.RemoteServerError`.
"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from demine.errors import AuthenticationError, NotFoundError, RemoteServerError
from demine.fieldforms.model import FormSpec
from demine.i18n import _
from demine.submissions.exports import instance_of

#: Seconds to wait for the other server's answer.
TIMEOUT = 60


@dataclass(frozen=True)
class RemoteSubmission:
    """One submission listed by the other server; its instance and files fetched on demand
    (the files only for a submission not received before)."""

    #: How the other server names it (its instance id or row number), for messages.
    name: str
    instance: Callable[[], bytes]
    files: Callable[[], dict[str, bytes]]
    #: Its earlier versions, oldest first (ODK Central keeps each edit), when the server
    #: keeps them: received first when the one the instance replaces was never received.
    earlier: Callable[[], list[RemoteSubmission]] | None = None


class RemoteForm(Protocol):
    """A form's submissions on another server."""

    #: Where the submissions come from, kept with each (``central:…``, ``kobo:…``).
    source: str

    def submissions(self, spec: FormSpec) -> list[RemoteSubmission]: ...


def _failed(status: int | None, server: str, missing: str) -> Exception:
    """The error for an answer ``status`` (None: no answer) of ``server`` (its name, as
    ``ODK Central (URL)``); ``missing`` is the sentence for a 404."""
    if status in (401, 403):
        return AuthenticationError(
            _("{server} refused the credentials (HTTP {status})").format(
                server=server, status=status
            )
        )
    if status == 404:
        return NotFoundError(missing)
    if status is None:
        return RemoteServerError(_("{server} could not be reached").format(server=server))
    return RemoteServerError(
        _("{server} answered with an error (HTTP {status})").format(server=server, status=status)
    )


def _not_data(server: str) -> RemoteServerError:
    return RemoteServerError(
        _("{server} answered with something other than its data").format(server=server)
    )


class CentralForm:
    """A form of an ODK Central project, read with ``pyodk`` as a Central web user."""

    def __init__(self, url: str, project: int, form_id: str, user: str, password: str) -> None:
        from pyodk._utils.session import Adapter, Session  # pyodk's own session, token in memory
        from pyodk.client import Client
        from pyodk.errors import PyODKError

        self.url, self.project, self.form_id = url.rstrip("/"), project, form_id
        self.source = f"central:{self.url}/projects/{project}/forms/{form_id}"
        self.server = f"ODK Central ({self.url})"  # a name: not translated
        # cache_path None keeps the session token in memory, not in the user's home.
        session = Session(self.url, "v1", user, password, cache_path=None)
        session.mount("http://", Adapter(timeout=TIMEOUT))
        session.mount("https://", Adapter(timeout=TIMEOUT))
        # The config only satisfies Client: the session above is the one used.
        from pyodk._utils.config import CentralConfig, Config

        config = Config(CentralConfig(base_url=self.url, username=user, password=password))
        self._client = Client(config=config, session=session, project_id=project)
        self._error_type = PyODKError
        # pyodk logs each failed request at ERROR with a traceback; Demine says what failed
        # itself (a refused login, an unknown form), once, in the reader's language.
        logging.getLogger("pyodk").setLevel(logging.CRITICAL)

    def _call(self, missing: str, call: Callable[[], Any]) -> Any:
        import requests

        try:
            return call()
        except self._error_type as error:
            response = error.args[1] if len(error.args) > 1 else None
            status = getattr(response, "status_code", None)
            raise _failed(status or 500, self.server, missing) from None
        except ValueError:  # JSON that is not, or not the listing pyodk reads (pydantic)
            raise _not_data(self.server) from None
        except requests.RequestException:
            raise _failed(None, self.server, missing) from None

    def _get(self, path: str, missing: str, **parts: object) -> bytes:
        session = self._client.session
        url = session.urlformat(path, project_id=self.project, form_id=self.form_id, **parts)
        log = logging.getLogger("pyodk.demine")  # quiet, as pyodk's own (see __init__)
        response = self._call(missing, lambda: session.response_or_error("GET", url, log))
        return bytes(response.content)

    def _json(self, path: str, missing: str, **parts: object) -> Any:
        try:
            return json.loads(self._get(path, missing, **parts))
        except ValueError:
            raise _not_data(self.server) from None

    def submissions(self, spec: FormSpec) -> list[RemoteSubmission]:
        missing = _("{server} has no form '{form}' in project {project}").format(
            server=self.server, form=self.form_id, project=self.project
        )
        listed = self._call(
            missing,
            lambda: self._client.submissions.list(form_id=self.form_id, project_id=self.project),
        )
        return [self._submission(item.instanceId) for item in listed]

    def _submission(self, instance_id: str, version: str | None = None) -> RemoteSubmission:
        """The submission ``instance_id`` as Central keeps it now, or its ``version``."""
        path = "projects/{project_id}/forms/{form_id}/submissions/{instance_id}"
        if version is not None:
            path += "/versions/{version}"
        parts = {"instance_id": instance_id, "version": version}
        missing = _("{server} has no submission '{id}', or not all its files").format(
            server=self.server, id=version or instance_id
        )

        def instance() -> bytes:
            return self._get(path + ".xml", missing, **parts)

        def files() -> dict[str, bytes]:
            listed = self._json(path + "/attachments", missing, **parts)
            return {
                item["name"]: self._get(
                    path + "/attachments/{name}", missing, name=item["name"], **parts
                )
                for item in listed
                if item.get("exists")  # a file the phone has not sent yet is listed, not there
            }

        def earlier() -> list[RemoteSubmission]:
            listed = self._json(path + "/versions", missing, **parts)
            older = sorted(
                (item for item in listed if not item.get("current")),
                key=lambda item: str(item.get("createdAt") or ""),
            )
            return [self._submission(instance_id, item["instanceId"]) for item in older]

        return RemoteSubmission(
            version or instance_id, instance, files, None if version else earlier
        )


class KoboAsset:
    """A KoboToolbox asset (a deployed form), read with an API token."""

    def __init__(self, url: str, asset: str, token: str) -> None:
        import requests

        self.url, self.asset = url.rstrip("/"), asset
        self.source = f"kobo:{self.url}/assets/{asset}"
        self.server = f"KoboToolbox ({self.url})"  # a name: not translated
        self._session = requests.Session()
        self._session.headers.update(
            {"Authorization": f"Token {token}", "Accept": "application/json"}
        )

    def _get(self, url: str, missing: str) -> Any:
        import requests

        try:
            response = self._session.get(url, timeout=TIMEOUT)
        except requests.RequestException:
            raise _failed(None, self.server, missing) from None
        if response.status_code != 200:
            raise _failed(response.status_code, self.server, missing)
        return response

    def _rows(self) -> Iterator[Mapping[str, Any]]:
        missing = _("{server} has no asset '{asset}'").format(server=self.server, asset=self.asset)
        url: str | None = f"{self.url}/api/v2/assets/{quote(self.asset)}/data/?format=json"
        while url:
            try:
                page = self._get(url, missing).json()
                rows, url = page["results"], page.get("next")
            except (ValueError, KeyError, TypeError):
                raise _not_data(self.server) from None
            yield from rows

    def submissions(self, spec: FormSpec) -> list[RemoteSubmission]:
        return [self._submission(spec, row) for row in self._rows()]

    def _submission(self, spec: FormSpec, row: Mapping[str, Any]) -> RemoteSubmission:
        name = str(row.get("_uuid") or row.get("_id") or "?")
        missing = _("{server} has no submission '{id}', or not all its files").format(
            server=self.server, id=name
        )

        def files() -> dict[str, bytes]:
            out: dict[str, bytes] = {}
            for attachment in row.get("_attachments") or []:
                file_name = attachment.get("media_file_basename") or posixpath.basename(
                    str(attachment.get("filename") or "")
                )
                if file_name and attachment.get("download_url"):
                    out[file_name] = self._get(attachment["download_url"], missing).content
            return out

        return RemoteSubmission(name, lambda: kobo_instance(spec, row), files)


def _text(value: object) -> str | None:
    """A scalar answer as text; None for lists, objects and empty answers."""
    if value is None or isinstance(value, (list, dict)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def kobo_instance(spec: FormSpec, row: Mapping[str, Any]) -> bytes:
    """The instance a Kobo API v2 submission stands for: its scalar keys read as export
    columns, its lists of objects named after a repeat as that repeat's entries (Kobo's
    own lists, ``_attachments``, ``_geolocation``, ``_notes`` …, are left out)."""
    repeat_names = {repeat.name for repeat in spec.repeats}
    flat: dict[str, str] = {}
    repeats: dict[str, list[dict[str, str]]] = {}
    for key, value in row.items():
        name = key.rpartition("/")[2]
        if isinstance(value, list) and name in repeat_names:
            repeats[name] = [
                {k: t for k, v in entry.items() if (t := _text(v)) is not None}
                for entry in value
                if isinstance(entry, dict)
            ]
        elif (text := _text(value)) is not None:
            flat[key] = text
    return instance_of(spec, flat, repeats, flat.get("__version__", ""))
