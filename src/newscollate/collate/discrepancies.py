"""Discrepancies: where sources that report the same fact disagree.

Each finding lists its variants side by side; a variant's ``value`` is the
text one source wrote and its support points at every place it was written.

- ``number``: an aligned claim gives different values for the same kind of
  quantity ("14 people" / "12 people"), or related sentences give the same
  share or amount of different things ("70% of imports" / "70% of consumption").
- ``date``: an aligned claim dates the fact differently.
- ``name``: an aligned claim names a different person in the same statement,
  or the same quoted words are attributed to differently named people.
- ``quote``: the same speaker's statement quoted in different words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import Span
from .claims import Claim, Sentence
from .dates import DateMention
from .numbers import Quantity, mentioned_values
from .quotes import Statement

RELATED_SENTENCES = 0.12
"""Cosine similarity above which two sentences of an event are about the same
matter, so that equal shares of different things in them are worth a flag."""
NAME_CLAIM_SIMILARITY = 0.45
"""Names are compared only in claims this tightly aligned: looser paraphrases
legitimately name different people."""


@dataclass
class Variant:
    value: str
    support: list[Span] = field(default_factory=list)


@dataclass
class Discrepancy:
    kind: str
    subject: str
    variants: list[Variant]
    claim: Claim | None = None


def _variants(items: list[tuple[object, str, Span]]) -> list[Variant]:
    """Group ``(key, text, span)`` triples by key; a variant's value is the text
    most of its sources wrote, and its support starts where that text is."""
    groups: dict[object, list[tuple[str, Span]]] = {}
    for key, text, span in items:
        groups.setdefault(key, []).append((text, span))
    variants = []
    for members in groups.values():
        texts = [t for t, _ in members]
        value = max(texts, key=texts.count)
        first = next(span for t, span in members if t == value)
        variants.append(Variant(value, [first] + [span for _, span in members if span is not first]))
    return variants


def number_discrepancies(claims: list[Claim], quantities: dict[int, list[Quantity]], text_of) -> list[Discrepancy]:
    """Different values for one (unit, measured noun) within an aligned claim.

    A value that the other sentence also writes somewhere ("Fourteen people were
    injured, three of them seriously" against "Three people were taken to
    hospital") is a different detail of the same fact, not a contradiction.
    """
    found = []
    for claim in claims:
        if len(claim.sentences) < 2:
            continue
        per_key: dict[tuple, list[tuple[Sentence, Quantity]]] = {}
        ambiguous = set()
        for sentence in claim.sentences:
            keys_here: dict[tuple, int] = {}
            for q in quantities[id(sentence)]:
                key = (q.unit, q.measure)
                keys_here[key] = keys_here.get(key, 0) + 1
                per_key.setdefault(key, []).append((sentence, q))
            ambiguous |= {k for k, n in keys_here.items() if n > 1}
        written = {id(s): mentioned_values(s.text) for s in claim.sentences}
        for key, items in per_key.items():
            if key in ambiguous or len({s.doc.id for s, _ in items}) < 2 or len({q.value for _, q in items}) < 2:
                continue
            besides = {
                id(s): written[id(s)] - {q.value for q in quantities[id(s)] if (q.unit, q.measure) == key}
                for s in claim.sentences
            }
            conflicting = [
                (a, b) for (sa, a) in items for (sb, b) in items
                if sa.doc.id < sb.doc.id and a.value != b.value
                and a.value not in besides[id(sb)] and b.value not in besides[id(sa)]
            ]
            if not conflicting:
                continue
            involved = {id(q) for pair in conflicting for q in pair}
            agreeing = {q.value for _, q in items if id(q) in involved}
            variants = _variants([(q.value, text_of(q.phrase()), q.phrase()) for _, q in items if q.value in agreeing])
            subject = " ".join(sorted(key[1])) if key[1] else key[0].replace("money:", "amount in ")
            found.append(Discrepancy("number", subject, variants, claim))
    return found


def measure_discrepancies(sentences: list[Sentence], similarity: np.ndarray, quantities: dict[int, list[Quantity]], text_of) -> list[Discrepancy]:
    """The same share or amount of different things in related sentences."""
    found: dict[tuple, list[tuple[str, str, Span]]] = {}
    for i, a in enumerate(sentences):
        for j in range(i + 1, len(sentences)):
            b = sentences[j]
            if a.doc.id == b.doc.id or similarity[i, j] < RELATED_SENTENCES:
                continue
            for qa in quantities[id(a)]:
                for qb in quantities[id(b)]:
                    if qa.unit != qb.unit or qa.unit == "count" or qa.value != qb.value:
                        continue
                    if qa.measure and qb.measure and not qa.measure & qb.measure:
                        key = (qa.unit, qa.value)
                        found.setdefault(key, [])
                        for q in (qa, qb):
                            if all(existing.start != q.start or existing.doc != q.doc for _, _, existing in found[key]):
                                found[key].append((q.measure, text_of(q.phrase()), q.phrase()))
    return [
        Discrepancy("number", text_of(Span(items[0][2].doc, items[0][2].start, _number_end(items[0][2], text_of))), _variants(items))
        for items in found.values()
    ]


def _number_end(phrase: Span, text_of) -> int:
    """End of the number itself inside a quantity phrase ("70%" of "70% of imports")."""
    text = text_of(phrase)
    cut = text.find(" of ")
    return phrase.start + (cut if cut > 0 else len(text))


def date_discrepancies(claims: list[Claim], dates: dict[int, list[DateMention]]) -> list[Discrepancy]:
    """An aligned claim whose sentences put the fact on different days, months or years."""
    found = []
    for claim in claims:
        if len(claim.sentences) < 2:
            continue
        for level in ("day", "month", "year"):
            items = []
            for sentence in claim.sentences:
                mentions = [m for m in dates[id(sentence)] if _level(m) == level]
                if len(mentions) == 1:
                    m = mentions[0]
                    key = m.value if m.value else ("weekday", m.weekday) if m.weekday is not None else None
                    if key is None:
                        continue
                    span = Span(sentence.doc.id, sentence.span.start + m.start, sentence.span.start + m.end, "date")
                    items.append((key, m.expression, span, sentence.doc.id))
            keys = {k for k, *_ in items}
            comparable = all(isinstance(k, str) for k in keys) or all(isinstance(k, tuple) for k in keys)
            if len({d for *_, d in items}) >= 2 and len(keys) >= 2 and comparable:
                found.append(Discrepancy("date", level, _variants([(k, t, s) for k, t, s, _ in items]), claim))
                break
    return found


def _level(mention: DateMention) -> str:
    return {"weekday": "day", "week": "day"}.get(mention.granularity, mention.granularity)


def name_discrepancies(claims: list[Claim], persons: dict[int, list[Span]], text_of) -> list[Discrepancy]:
    """A tightly aligned claim naming a different person in each source."""
    found = []
    for claim in claims:
        if len(claim.sentences) < 2 or not claim.centrality:
            continue
        if min(claim.centrality) / (len(claim.sentences) - 1) < NAME_CLAIM_SIMILARITY:
            continue
        names = [(s, [(text_of(p), p) for p in persons[id(s)]]) for s in claim.sentences]
        if any(len(n) != 1 for _, n in names):
            continue
        surnames = [_surname(name) for (_, [(name, _)]) in names]
        if len(set(surnames)) == 1:
            continue
        items = [(surname, name, span) for (_, [(name, span)]), surname in zip(names, surnames)]
        found.append(Discrepancy("name", "person", _variants(items), claim))
    return found


def _surname(name: str) -> str:
    """The last word of a name, possessive dropped: what tells two people apart."""
    words = name.replace("’", "'").lower().split()
    return words[-1].removesuffix("'s") if words else ""


def speaker_discrepancies(statements: list[Statement], text_of) -> list[Discrepancy]:
    """The same quoted words put in the mouths of differently named people."""
    by_names: dict[frozenset, list[tuple[str, str, Span]]] = {}
    for statement in statements:
        for version in statement.versions:
            named = [q for q in version if q.speaker is not None and q.speaker.label == "PERSON"]
            surnames = frozenset(_surname(text_of(q.speaker)) for q in named)
            if len(surnames) > 1:
                items = by_names.setdefault(surnames, [])
                items.extend((_surname(text_of(q.speaker)), text_of(q.speaker), q.speaker) for q in named)
    # one finding per set of names, however many quotations carry it
    return [Discrepancy("name", "speaker", _variants(items)) for items in by_names.values()]


def quote_discrepancies(statements: list[Statement]) -> list[Discrepancy]:
    """Statements quoted in more than one wording."""
    found = []
    for statement in statements:
        if len(statement.versions) < 2:
            continue
        variants = []
        for version in statement.versions:
            first = statement.representative(version)
            variants.append(Variant(first.text, [first.span] + [q.span for q in version if q is not first]))
        found.append(Discrepancy("quote", statement.speaker or "unattributed", variants))
    return found
