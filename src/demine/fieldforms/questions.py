"""The XLSForm sheets of a field form: its questions (survey) and choice lists, each
question read from its registry field and each list from the register.

Choice lists that change with the register and may be long (settlements, hazards,
device models) are CSV media (``select_one_from_file``), filtered by the district or
category chosen; short ones are in the form. Personal data never goes into a list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from demine.domain.kinds import Field, FieldType, Kind
from demine.domain.rules import MAX_QUANTITY_PER_FIND
from demine.domain.vocabulary_labels import label_msgid
from demine.fieldforms import labels as words
from demine.fieldforms.model import GEOMETRY_QUESTION, FormSpec, RepeatSpec
from demine.i18n import LANGUAGES, _, format_number
from demine.store.reads.field_lists import Box, FieldLists, Place

Row = dict[str, str]

#: Age bands a form offers when the age is not known (accepted by the victims' rules).
AGE_BANDS = ("0-17", "18-59", "60+")
#: Text fields naming a device model, with the field giving its category.
MODEL_FIELDS = {"model": "category", "device_model": "device_category"}
#: A namespace of Demine's own bind attributes (``demine:sensitive``).
NAMESPACE = ("demine", "https://demine.org/xforms")


@dataclass
class Sheets:
    """The survey, choices and media of one form, built question by question."""

    spec: FormSpec
    lists: FieldLists
    kinds: Mapping[str, Kind]
    survey: list[Row] = field(default_factory=list)
    choices: list[Row] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)
    _lists_made: set[str] = field(default_factory=set)

    def build(self) -> Sheets:
        kind = self.kinds[self.spec.kind]
        self._fields(kind, self.spec.fields, self.spec.sensitive)
        self._geometry(kind, self.spec.geometry)
        for repeat in self.spec.repeats:
            self._repeat(repeat)
        return self

    # -- questions ------------------------------------------------------------------

    def _fields(self, kind: Kind, names: tuple[str, ...], sensitive: tuple[str, ...]) -> None:
        asked = [kind.field(name) for name in names]
        asked += [f for f in kind.fields if f.custom is not None and f.name not in names]
        for described in asked:
            row = self._question(kind, described, asked)
            if described.name in sensitive:
                row.update(words.in_every_language("hint", words.translated(words.SENSITIVE_HINT)))
                row[f"bind::{NAMESPACE[0]}:sensitive"] = "true"
            self.survey.append(row)

    def _repeat(self, repeat: RepeatSpec) -> None:
        kind = self.kinds[repeat.kind]
        label = words.REPEATS.get(repeat.kind, kind.title)
        self.survey.append(
            {
                "type": "begin_repeat",
                "name": repeat.name,
                **words.in_every_language("label", words.translated(label)),
            }
        )
        self._fields(kind, repeat.fields, repeat.sensitive)
        self._geometry(kind, repeat.geometry)
        self.survey.append({"type": "end_repeat", "name": repeat.name})

    def _geometry(self, kind: Kind, question: str | None) -> None:
        if question is None:
            return
        label = words.KIND_QUESTIONS.get(
            (kind.name, GEOMETRY_QUESTION), words.QUESTIONS["geometry"]
        )
        row: Row = {
            "type": question,
            "name": GEOMETRY_QUESTION,
            **words.in_every_language("label", words.translated(label)),
        }
        if self.lists.bounds is not None:
            row["constraint"] = _inside(self.lists.bounds)
            row.update(_message(words.OUTSIDE_COUNTRY, _box_values(self.lists.bounds), 2))
        self.survey.append(row)

    def _question(self, kind: Kind, described: Field, asked: list[Field]) -> Row:
        row: Row = {"name": described.name, **self._label(kind, described)}
        if described.required and described.name not in self.spec.fixed:
            row["required"] = "yes"
        row.update(self._type(kind, described, {f.name for f in asked}))
        return row

    def _label(self, kind: Kind, described: Field) -> Row:
        custom = described.custom
        if custom is not None:
            return {words.language_column("label", lang): custom.label(lang) for lang in LANGUAGES}
        msgid = words.KIND_QUESTIONS.get(
            (kind.name, described.name), words.QUESTIONS.get(described.name, described.help)
        )
        row = words.in_every_language("label", words.translated(msgid))
        if described.name == "district" and kind.infer_district and not described.required:
            row.update(words.in_every_language("hint", words.translated(words.DISTRICT_HINT)))
        elif described.name in words.HINTS:
            row.update(
                words.in_every_language("hint", words.translated(words.HINTS[described.name]))
            )
        return row

    def _type(self, kind: Kind, described: Field, asked: set[str]) -> Row:
        name, kind_type = described.name, described.type
        if kind_type is FieldType.REFERENCE:
            return self._reference(described, asked)
        if kind_type in (FieldType.CODE, FieldType.CODES) and described.vocabulary is not None:
            select = "select_one" if kind_type is FieldType.CODE else "select_multiple"
            return {"type": f"{select} {self._vocabulary(described)}"}
        if kind_type is FieldType.BOOLEAN:
            self._list("yes_no", [(code, words.CODES[code]) for code in ("true", "false")])
            return {"type": "select_one yes_no"}
        if kind_type in (FieldType.DAY, FieldType.EVENT_DATE):
            return self._date(kind, described, asked)
        if kind_type is FieldType.INTEGER:
            return self._integer(name)
        if kind_type is FieldType.DECIMAL:
            return {"type": "decimal", "constraint": ". >= 0", **_message(words.NOT_NEGATIVE)}
        if name in MODEL_FIELDS and MODEL_FIELDS[name] in asked:
            return self._models(MODEL_FIELDS[name])
        if name == "age_band":
            self._list("age_bands", [(band, "") for band in AGE_BANDS])
            return {"type": "select_one age_bands", "relevant": "${age} = ''"}
        row = {"type": "text"}
        if described.free_text:
            row["appearance"] = "multiline"
        if described.max_length is not None:
            row["constraint"] = f"string-length(.) <= {described.max_length}"
            row.update(_message(words.TOO_LONG, {"most": described.max_length}))
        return row

    def _integer(self, name: str) -> Row:
        if name == "quantity":
            constraint = f". >= 1 and . <= {MAX_QUANTITY_PER_FIND}"
            return {"type": "integer", "constraint": constraint,
                    **_message(words.QUANTITY, {"most": MAX_QUANTITY_PER_FIND})}  # fmt: skip
        if name == "age":
            return {"type": "integer", "constraint": ". >= 0 and . <= 120", **_message(words.AGE)}
        return {"type": "integer", "constraint": ". >= 0", **_message(words.NOT_NEGATIVE)}

    def _date(self, kind: Kind, described: Field, asked: set[str]) -> Row:
        dates = kind.dates
        if (
            dates is not None
            and described.name == dates.latest
            and dates.earliest != dates.latest
            and dates.earliest in asked
        ):
            constraint = f". >= ${{{dates.earliest}}} and . <= today()"
            return {"type": "date", "constraint": constraint, **_message(words.AFTER_START)}
        return {"type": "date", "constraint": ". <= today()", **_message(words.NOT_IN_FUTURE)}

    # -- choice lists ---------------------------------------------------------------

    def _reference(self, described: Field, asked: set[str]) -> Row:
        lists = self.lists
        by_district = "district" in asked and described.name != "district"
        if described.references == "admin-areas" and described.level == "district":
            if lists.districts:
                self._places("districts", lists.districts)
                return {"type": "select_one districts"}
        elif described.references == "admin-areas" and described.level == "settlement":
            rows = [(p.code, p.name, p.district or "") for p in lists.settlements]
            return self._file("settlements", ("district",), rows, by_district)
        elif described.references == "organisations" and lists.organisations:
            named = [(code, f"{code} — {name}") for code, name in lists.organisations]
            self._list("organisations", named, translate=False)
            return {"type": "select_one organisations"}
        elif described.references == "hazards":
            rows = [
                (h.external_id, f"{h.external_id} — {h.name}" if h.name else h.external_id,
                 h.district or "")
                for h in lists.hazards
            ]  # fmt: skip
            return self._file("hazards", ("district",), rows, by_district)
        return {"type": "text"}

    def _models(self, category: str) -> Row:
        rows = [(model, model, found_category) for found_category, model in self.lists.models]
        row = self._file("models", ("category",), rows, filtered=False)
        row["choice_filter"] = f"category = ${{{category}}}"
        return row

    def _vocabulary(self, described: Field) -> str:
        assert described.vocabulary is not None
        codes = [code.value for code in described.vocabulary]
        only = self.spec.only.get(described.name)
        name = described.vocabulary.__name__.lower().replace(".", "_")
        if only is not None:
            codes, name = [code for code in codes if code in only], f"{described.name}_choices"
        custom = described.custom
        if custom is not None and name not in self._lists_made:
            self._lists_made.add(name)
            choice_labels = {choice.code: choice for choice in custom.choices}
            for code in codes:
                labelled = {"list_name": name, "name": code}
                labelled.update(
                    {
                        words.language_column("label", lang): choice_labels[code].label(lang)
                        for lang in LANGUAGES
                    }
                )
                self.choices.append(labelled)
        if custom is None:
            vocabulary = described.vocabulary.__name__ if described.vocabulary else ""
            self._list(name, [(code, label_msgid(vocabulary, code) or "") for code in codes])
        return name

    def _places(self, name: str, places: Sequence[Place]) -> None:
        """A list of places, each named in every language as the register names it."""
        if name in self._lists_made:
            return
        self._lists_made.add(name)
        for place in places:
            row = {"list_name": name, "name": place.code}
            row.update(
                {words.language_column("label", lang): place.name_in(lang) for lang in LANGUAGES}
            )
            self.choices.append(row)

    def _list(self, name: str, choices: list[tuple[str, str]], *, translate: bool = True) -> None:
        """Add a choice list once (a label of "" reads as the code itself)."""
        if name in self._lists_made:
            return
        self._lists_made.add(name)
        for code, label in choices:
            row = {"list_name": name, "name": code}
            if translate and label:
                row.update(words.in_every_language("label", words.translated(label)))
            else:
                row.update(
                    {words.language_column("label", lang): label or code for lang in LANGUAGES}
                )
            self.choices.append(row)

    def _file(
        self, name: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], filtered: bool
    ) -> Row:
        """A choice list as CSV media (``name,label,<columns>``)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("name", "label", *columns))
        writer.writerows(rows)
        self.media[f"{name}.csv"] = buffer.getvalue().encode("utf-8")
        row = {"type": f"select_one_from_file {name}.csv"}
        if filtered:
            row["choice_filter"] = f"{columns[0]} = ${{{columns[0]}}} or ${{{columns[0]}}} = ''"
        return row


def _message(msgid: str, values: Mapping[str, float] | None = None, decimals: int = 0) -> Row:
    """A constraint message in every language, its numbers written the language's way."""

    def text() -> str:
        shown = {key: format_number(value, decimals) for key, value in (values or {}).items()}
        return _(msgid).format(**shown)

    return words.in_every_language("constraint_message", text)


def _box_values(box: Box) -> dict[str, float]:
    west, south, east, north = box
    return {"west": west, "south": south, "east": east, "north": north}


def _inside(box: Box) -> str:
    """The first point of a geopoint, geotrace or geoshape inside ``box`` (XPath splits
    the answer at spaces: latitude, longitude, altitude, accuracy; then the next point)."""
    west, south, east, north = (round(value, 6) for value in box)
    lat, lon = "number(selected-at(., 0))", "number(selected-at(., 1))"
    return f"{lat} >= {south} and {lat} <= {north} and {lon} >= {west} and {lon} <= {east}"
