"""The districts an item assigns its finds or clearance to, or none with the candidates.

Districts are taken from the sentences that report the work of the reports with figures
(in an item without figures, also from sentences about incidents). Sentences about work
still going on, call-centre statistics and incidents are kept apart. The field is left
empty, with every name seen listed, when a district named (alone before "district", or
in a list of districts) is one the gazetteer does not know (the list would come out
short), or when a sentence of a report with
figures names districts both where work was done and where it goes on (or where calls
came from): which names are which is unclear.
"""

from __future__ import annotations

from demine.i18n import _
from demine.ingest.news_items.model import Candidate, FieldReading
from demine.ingest.news_items.reports import DistrictMention, DistrictRole, Report
from demine.ingest.news_items.text import span_of


def read_districts(reports: list[Report]) -> tuple[tuple[str, ...], list[str], FieldReading | None]:
    """(districts, the sentences they came from, the field's reading or ``None``)."""
    field_only = any(report.has_figures for report in reports)
    kept_roles = (DistrictRole.WORK,) if field_only else (DistrictRole.WORK, DistrictRole.INCIDENT)
    mentions = sorted(
        (m for report in reports for m in report.districts if m.role in kept_roles),
        key=lambda mention: mention.sentence_index,
    )
    names = tuple(dict.fromkeys(mention.district for mention in mentions))
    sentences = list(dict.fromkeys(mention.sentence for mention in mentions))
    unknown = [name for report in reports for name in report.unknown_names]
    unclear = [
        m
        for report in reports
        if report.has_figures
        for m in report.districts
        if m.role is DistrictRole.UNCLEAR
    ]
    if not names and not unknown and not unclear:
        return (), [], None
    candidates = _parts(mentions) + _parts(unclear)
    if unknown:
        listed = ", ".join(f"'{u.name}'" for u in unknown)
        reason = _("district names not in the gazetteer: {names}").format(names=listed)
        unknown_candidates = tuple(
            Candidate(u.name, span_of(u.sentence, u.start, u.end)) for u in unknown
        )
        return (), [], FieldReading(None, candidates=candidates + unknown_candidates, reason=reason)
    if unclear:
        listed = ", ".join(dict.fromkeys(m.district for m in unclear))
        reason = _(
            "one sentence names districts of work done and of work going on (or of calls): {names}"
        ).format(names=listed)
        return (), [], FieldReading(None, candidates=candidates, reason=reason)
    parts = _parts(mentions)
    span = (min(p.span[0] for p in parts), max(p.span[1] for p in parts))
    reading = FieldReading(
        names, span, 1.0, reason=_("named where finds or clearance are reported"), parts=parts
    )
    return names, sentences, reading


def _parts(mentions: list[DistrictMention]) -> tuple[Candidate, ...]:
    return tuple(Candidate(m.district, span_of(m.sentence, m.start, m.end)) for m in mentions)
