"""An XForm instance read: which form and version, its ids, its answers and repeats.

The instance is shaped by the field forms' contract (:mod:`demine.fieldforms.model`):
its root element is the form id (with ``id`` and ``version`` attributes), each question
is named after its registry field, each repeat after its child kind, and ``meta`` holds
ODK's ``instanceID`` and, on an edited submission, ``deprecatedID``. Groups other than
repeats and ``meta`` are looked through: a question inside a group is read by its name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # the types only: parsing is defusedxml's
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from demine.errors import InvalidRequestError
from demine.i18n import _

#: The longest instance id kept (ODK's are ``uuid:`` and 36 characters).
MAX_ID_LENGTH = 200


class MalformedSubmission(InvalidRequestError):
    """A submission that is no readable XForm instance (nothing of it is stored)."""


@dataclass(frozen=True)
class Instance:
    """One submission's answers, by question name (empty answers left out)."""

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str | None
    answers: dict[str, str]
    #: Each repeat's entries, by the repeat's name, in the order they were filled.
    repeats: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


def _meta(root: ET.Element, name: str) -> str | None:
    for element in root.iter():
        if _local(element.tag) == name and element.text and element.text.strip():
            return element.text.strip()
    return None


def _answers(element: ET.Element, repeats: frozenset[str]) -> dict[str, str]:
    """The leaf answers under ``element``, looking through groups, not into repeats."""
    answers: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name == "meta" or name in repeats:
            continue
        if len(child):
            answers.update(_answers(child, repeats))
        elif child.text and child.text.strip():
            answers[name] = child.text.strip()
    return answers


def _repeat_entries(root: ET.Element, name: str, repeats: frozenset[str]) -> list[dict[str, str]]:
    return [
        answers
        for element in root.iter()
        if _local(element.tag) == name and element is not root
        for answers in [_answers(element, repeats)]
        if answers
    ]


def read_instance(xml: bytes | str, repeats: frozenset[str] = frozenset()) -> Instance:
    """The instance ``xml`` holds (``repeats``: the names of its form's repeat groups).

    Raises :class:`MalformedSubmission` for XML that does not parse (or tries entity
    tricks), an instance without form id or ``instanceID``.
    """
    try:
        root = fromstring(xml)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise MalformedSubmission(
            _("the submission is not well-formed XML: {error}").format(error=error)
        ) from None
    form_id = root.get("id") or ""
    instance_id = _meta(root, "instanceID")
    if not form_id:
        raise MalformedSubmission(_("the submission names no form (no id on its root element)"))
    if instance_id is None:
        raise MalformedSubmission(_("the submission has no meta/instanceID"))
    deprecated_id = _meta(root, "deprecatedID")
    if len(instance_id) > MAX_ID_LENGTH or len(deprecated_id or "") > MAX_ID_LENGTH:
        raise MalformedSubmission(_("the submission's instanceID is too long"))
    return Instance(
        form_id=form_id,
        version=root.get("version") or "",
        instance_id=instance_id,
        deprecated_id=deprecated_id,
        answers=_answers(root, repeats),
        repeats={name: _repeat_entries(root, name, repeats) for name in sorted(repeats)},
    )
