"""Collate: what the documents of one event say, who says it, and where they differ.

For each event the :class:`Collator` aligns sentences into claims, finds
discrepancies, quotations with their speakers, a timeline and the entities,
and stores them as an :class:`EventCollation` in ``event.data["collation"]``.
Everything it reports is a span of a source document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Span
from .claims import Claim, Sentence, align, attribution_tokens, event_sentences, similarity_matrix
from .dates import clause_tense, find_dates
from .discrepancies import (
    Discrepancy,
    date_discrepancies,
    measure_discrepancies,
    name_discrepancies,
    number_discrepancies,
    quote_discrepancies,
    speaker_discrepancies,
)
from .entities import Entity, collect_entities
from .lede import lede_claims
from .names import acting_subjects
from .numbers import Quantity, quantities
from .quotes import Statement, find_quotes, group_quotes
from .timeline import TimelineEntry, build_timeline

__all__ = ["Collator", "CollateConfig", "EventCollation", "collate_event"]


@dataclass
class CollateConfig:
    align_threshold: float = 0.3
    """Minimum TF-IDF cosine similarity for two sentences of different documents
    to state the same claim.  Rewrites of one sentence score 0.35-0.8; related
    but different facts of one event mostly stay under 0.25."""
    group_threshold: float = 0.22
    """Minimum mean similarity between the sentences of two claims for them to
    merge once one of their pairs passes ``align_threshold``."""
    lede_size: int = 3
    """Claims the brief opens with (see :mod:`.lede`)."""


@dataclass
class EventCollation:
    title: Span | None
    claims: list[Claim] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    lede: list[Claim] = field(default_factory=list)
    """The claims the brief opens with, most important first (see :mod:`.lede`)."""


class Collator:
    """Collates every event of the corpus (see :func:`collate_event`)."""

    name = "collate"

    def __init__(self, config: CollateConfig | None = None) -> None:
        self.config = config or CollateConfig()

    def __call__(self, corpus) -> None:
        docs = corpus.by_id()
        for event in corpus.events:
            event.data["collation"] = collate_event(docs, event.segments, self.config, event.data.get("lineage"))


def collate_event(
    docs: dict[str, Document], segments: list[Span], config: CollateConfig, lineage: dict | None = None
) -> EventCollation:
    """What the ``segments`` (one event's) say; ``lineage`` (document id -> :class:`~newscollate.group.Lineage`)
    lets the lede prefer claims of more independent sources."""
    sentences = event_sentences(docs, segments)
    similarity = similarity_matrix(sentences)
    claims = align(sentences, similarity, config.align_threshold, config.group_threshold)

    def text_of(span: Span) -> str:
        return docs[span.doc].slice(span)

    numbers = {id(s): sentence_quantities(s) for s in sentences}
    dates = {id(s): sentence_dates(s) for s in sentences}
    persons = {id(s): stated_persons(s) for s in sentences}
    quotes = [q for seg in segments for q in find_quotes(docs[seg.doc], seg)]
    statements = group_quotes(quotes)
    speakers = speaker_discrepancies(statements, text_of)
    discrepancies = [
        *number_discrepancies(claims, numbers, text_of),
        *measure_discrepancies(sentences, similarity, numbers, text_of),
        *date_discrepancies(claims, dates),
        *name_discrepancies(claims, persons, text_of, speakers),
        *speakers,
        *quote_discrepancies(statements),
    ]
    return EventCollation(
        title=event_title(docs, segments, claims),
        claims=claims,
        discrepancies=discrepancies,
        statements=statements,
        timeline=build_timeline(claims, dates),
        entities=collect_entities(docs, segments),
        lede=lede_claims(claims, sentences, similarity, lineage or {}, config.lede_size),
    )


def sentence_quantities(sentence: Sentence) -> list[Quantity]:
    """The quantities of a sentence's fact: not those of an aside that is a claim of its own
    ("Northwind Freight, which employs 3,000 people, said ...": see :func:`.claims.asides`),
    which are compared with that claim's sentences, once."""
    return [q for q in quantities(sentence.doc, sentence.span) if sentence.states(q.start)]


def stated_persons(sentence: Sentence) -> list[Span]:
    """People a sentence names as part of its fact, not as its source: in "..., according
    to deckhand X" or "X said ...", X tells the fact and may differ between outlets.

    The subject of a verb of saying that reports nothing, but acts on a thing named (no
    clause or quotation of what was said: "X announced major changes", "X asked the court to
    free Y"), is part of the fact."""
    sent, offset = sentence.sent, sentence.span.data["offset"]
    framed = {offset + sent.doc[i].idx for i in attribution_tokens(sent) - acting_subjects(sentence)}
    return [
        e for e in sentence.doc.spans("entities")
        if e.label == "PERSON" and sentence.states(e.start) and e.end <= sentence.span.end and e.start not in framed
    ]


def sentence_dates(sentence: Sentence):
    """Date expressions of a sentence, each resolved with its own clause's tense; not those of
    an aside that is a claim of its own (see :func:`.claims.asides`)."""
    sent = sentence.sent
    # sentence text offset -> spaCy document offset
    shift = sentence.span.start - sentence.span.data["offset"]
    found = find_dates(sentence.text, sentence.doc.meta.published, lambda at: clause_tense(sent, shift + at))
    return [m for m in found if sentence.states(sentence.span.start + m.start)]


def event_title(docs: dict[str, Document], segments: list[Span], claims: list[Claim]) -> Span | None:
    """A headline a source wrote, else the best-supported claim's sentence.

    Of several headlines, the one of the document that shares the most claims
    with the others: the version closest to what every outlet reported.
    """
    shared = {seg.doc: 0 for seg in segments}
    for claim in claims:
        if len(claim.sentences) > 1:
            for doc_id in claim.document_ids:
                shared[doc_id] += 1
    titles = [
        (shared[seg.doc], -index, title)
        for index, seg in enumerate(segments)
        for title in docs[seg.doc].spans("title")
        if seg.contains(title.start, title.end)
    ]
    if titles:
        return max(titles, key=lambda t: t[:2])[2]
    if claims:
        return claims[0].representative.span
    return segments[0] if segments else None
