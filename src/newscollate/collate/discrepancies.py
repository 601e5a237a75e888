"""Discrepancies: where sources that report the same fact disagree.

Each finding lists its variants side by side; a variant's ``value`` is the
text one source wrote and its support points at every place it was written.

- ``number``: an aligned claim gives different values for the same kind of
  quantity ("14 people" / "12 people"), or related sentences give the same
  share or amount of different things ("70% of imports" / "70% of consumption").
- ``date``: an aligned claim dates the fact differently (another day, weekday,
  length of a stretch of days, month or year), relative dates resolved against
  each document's publication date.
- ``name``: two sentences of an aligned claim (or two near copies alignment left
  apart) that, names aside, are mostly the same words name different people in
  the same slot of the statement ("police arrested Ilka Brandt" / "police
  detained Tomas Ferreira"; a source only against a source of the same role or
  the speaker of the same quotation; see :mod:`.names`), or the same quoted
  words are attributed to differently named people.
- ``quote``: the same speaker's statement quoted in different words.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from ..model import Span
from .claims import Claim, Sentence
from .date_ranges import SUBJECTS, date_level, disagreement, reading
from .dates import DateMention, reporting_date
from .names import UNALIGNED_SAME_WORDS, EventNames, Named, differing_people, surname, unaligned_pairs
from .number_conflicts import claim_conflicts
from .numbers import Quantity, share_or_amount
from .quotes import Quote, Statement

RELATED_SENTENCES = 0.12
"""Cosine similarity above which two sentences of an event are about the same
matter, so that equal shares of different things in them are worth a flag."""

T = TypeVar("T")


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
    """Different values for the same thing measured within an aligned claim.

    Each two sentences of different sources are compared as
    :mod:`.number_conflicts` says: what both write set aside, the rest paired by
    what it measures, then by order; a value the other sentence also writes
    elsewhere is a different detail of the fact, and a value hedged ("about 300")
    or rounded may agree with another, not a contradiction.  One finding per set
    of conflicting quantities (a claim of three sources that give 14, 14 and 12
    people is one finding with two variants).
    """
    found = []
    for claim, pairs in claim_conflicts(claims, quantities):
        position = {doc_id: k for k, doc_id in enumerate(claim.document_ids)}
        for group in _connected(pairs, key=lambda q: q):
            group.sort(key=lambda q: (position[q.doc], q.start))
            variants = _variants([(q.value, text_of(q.phrase()), q.phrase()) for q in group])
            found.append(Discrepancy("number", _quantity_subject(group), variants, claim))
    return found


def _quantity_subject(group: list[Quantity]) -> str:
    """What the quantities measure: the nouns they share ("people"), else their unit ("amount in USD")."""
    measures = [q.measure for q in group if q.measure]
    shared = frozenset.intersection(*measures) if measures else frozenset()
    return " ".join(sorted(shared)) if shared else group[0].unit.replace("money:", "amount in ")


def measure_discrepancies(sentences: list[Sentence], similarity: np.ndarray, quantities: dict[int, list[Quantity]], text_of) -> list[Discrepancy]:
    """The same share or amount of different things in related sentences.

    Only shares and sums of money (:func:`.numbers.share_or_amount`): a count or a size
    names what it measures in other words as often as not ("an eight-year contract",
    "an eight-year offer").
    """
    found: dict[tuple, list[tuple[str, str, Span]]] = {}
    for i, a in enumerate(sentences):
        for j in range(i + 1, len(sentences)):
            b = sentences[j]
            if a.doc.id == b.doc.id or similarity[i, j] < RELATED_SENTENCES:
                continue
            for qa in quantities[id(a)]:
                for qb in quantities[id(b)]:
                    if qa.unit != qb.unit or not share_or_amount(qa) or qa.value != qb.value:
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
    """An aligned claim whose sources date the fact differently: another day or stretch of
    days, weekday, length, month or year (how two dates compare: :mod:`.date_ranges`).

    Two sentences are compared at a level (day, month, year) when each dates the fact
    once there, or when both give the same number of dates and all but one of each
    agree ("jolted the island on Sunday, followed by aftershocks on Monday" against "...
    on Friday, ... on Monday": Sunday against Friday).  Left out: the date of the
    reporting ("said on Tuesday"), which outlets writing on different days legitimately
    differ on, and a date against a date of another role ("arrested on Tuesday" against
    "Sunday's game").  The finding's subject says what differs
    (:data:`.date_ranges.SUBJECTS`); each variant's support points at the date as written.
    """
    found = []
    for claim in claims:
        if len(claim.sentences) < 2:
            continue
        facts = {id(s): fact_dates(s, dates[id(s)]) for s in claim.sentences}
        for level in ("day", "month", "year"):
            subjects, involved = [], {}
            for i, sa in enumerate(claim.sentences):
                for sb in claim.sentences[i + 1 :]:
                    if sa.doc.id == sb.doc.id:
                        continue
                    conflict = _date_conflict(
                        sa, [m for m in facts[id(sa)] if date_level(m) == level],
                        sb, [m for m in facts[id(sb)] if date_level(m) == level],
                    )
                    if conflict:
                        subject, ma, mb = conflict
                        subjects.append(subject)
                        involved[id(ma)] = (sa, ma)
                        involved[id(mb)] = (sb, mb)
            if subjects:
                position = {id(s): k for k, s in enumerate(claim.sentences)}
                items = sorted(involved.values(), key=lambda item: (position[id(item[0])], item[1].start))
                variants = _variants([(reading(m), m.expression, _date_span(s, m)) for s, m in items])
                found.append(Discrepancy("date", min(subjects, key=SUBJECTS.index), variants, claim))
                break
    return found


def _date_conflict(sa: Sentence, dates_a: list[DateMention], sb: Sentence, dates_b: list[DateMention]):
    """``(subject, date of a, date of b)`` where two sentences date their fact differently,
    or None.  Dates the two share are set aside first; one date must be left on each side."""
    if not dates_a or len(dates_a) != len(dates_b):
        return None
    same_reference = sa.doc.meta.published == sb.doc.meta.published

    def same_role(ma: DateMention, mb: DateMention) -> bool:
        return _dates_a_thing(sa, ma) == _dates_a_thing(sb, mb)  # "Sunday's game" vs "arrested on Tuesday"

    left_a, left_b = list(dates_a), list(dates_b)
    # set aside what both say, the same words' reading first, then anything not in conflict
    for agree in (
        lambda ma, mb: same_role(ma, mb) and reading(ma) == reading(mb),
        lambda ma, mb: same_role(ma, mb) and disagreement(ma, mb, same_reference) is None,
    ):
        for ma in list(left_a):
            partner = next((mb for mb in left_b if agree(ma, mb)), None)
            if partner is not None and len(left_a) > 1:
                left_a.remove(ma)
                left_b.remove(partner)
    if len(left_a) != 1 or not same_role(left_a[0], left_b[0]):
        return None
    subject = disagreement(left_a[0], left_b[0], same_reference)
    return (subject, left_a[0], left_b[0]) if subject else None


def fact_dates(sentence: Sentence, mentions: list[DateMention]) -> list[DateMention]:
    """The sentence's dates less those of its reporting ("officials said on Tuesday")."""
    # sentence text offset -> spaCy document offset
    shift = sentence.span.start - sentence.span.data["offset"]
    return [m for m in mentions if not reporting_date(sentence.sent, shift + m.start)]


def _dates_a_thing(sentence: Sentence, mention: DateMention) -> bool:
    """A possessive date ("Sunday's game") dates a thing named, not the clause's fact."""
    return sentence.text[mention.end : mention.end + 2] in ("'s", "\u2019s")


def _date_span(sentence: Sentence, mention: DateMention) -> Span:
    return Span(sentence.doc.id, sentence.span.start + mention.start, sentence.span.start + mention.end, "date")


def name_discrepancies(
    claims: list[Claim], persons: dict[int, list[Span]], text_of, speakers: Sequence[Discrepancy] = ()
) -> list[Discrepancy]:
    """Sources naming different people in the same slot of one statement (which people are
    the same and which slot is the same: :mod:`.names`): two sentences of a claim, or two
    near copies that alignment left apart (a changed name weighs on their similarity).

    ``persons`` are the people each sentence of the event names as part of its fact
    (:func:`~newscollate.collate.stated_persons`).  One finding per claim (or pair of
    unaligned sentences) and set of people standing in one slot; its subject is "speaker"
    where they are the statement's sources, else "person".  Two sources that ``speakers``
    (the findings of :func:`speaker_discrepancies`) already sets against each other are
    left out: the brief reports one difference once.
    """
    names = EventNames(persons, text_of)
    reported = [{(s.doc, surname(text_of(s))) for v in d.variants for s in v.support} for d in speakers]

    def unreported(pairs: list[tuple[Named, Named]]) -> list[tuple[Named, Named]]:
        return [
            (a, b) for a, b in pairs
            if not (a.source and b.source and any({_person(a), _person(b)} <= people for people in reported))
        ]

    found = []
    for claim in claims:
        pairs = [
            pair
            for i, sa in enumerate(claim.sentences)
            for sb in claim.sentences[i + 1 :]
            if sa.doc.id != sb.doc.id
            for pair in differing_people(sa, sb, names)
        ]
        found += _name_findings(unreported(pairs), claim.document_ids, claim, text_of)
    unaligned = [claim.sentences[0] for claim in claims if len(claim.sentences) == 1]
    for a, b in unaligned_pairs(unaligned, names):
        pairs = differing_people(a, b, names, UNALIGNED_SAME_WORDS)
        found += _name_findings(unreported(pairs), [a.doc.id, b.doc.id], None, text_of)
    return found


def _name_findings(
    pairs: list[tuple[Named, Named]], doc_order: list[str], claim: Claim | None, text_of
) -> list[Discrepancy]:
    """One finding per group of people standing in one slot: the mentions ``pairs`` link, with every
    mention of one person in one source ("Varga's lawyers ... Varga's ties"); variants in ``doc_order``."""
    position = {doc_id: k for k, doc_id in enumerate(doc_order)}
    found = []
    for group in _connected(pairs, key=_person):
        group.sort(key=lambda p: (position[p.span.doc], p.span.start))
        items = [(p.surname, text_of(p.span), p.span) for p in group]
        subject = "speaker" if all(p.source for p in group) else "person"
        found.append(Discrepancy("name", subject, _variants(items), claim))
    return found


def _person(named: Named) -> tuple[str, str]:
    """Who a mention names, as the name checks tell people apart: a surname in one document."""
    return named.span.doc, named.surname


def _connected(pairs: list[tuple[T, T]], key: Callable[[T], Hashable]) -> list[list[T]]:
    """The connected components of the items ``pairs`` link, items of one ``key`` being one node:
    each group holds every item paired with any of its members, each item once."""
    group_of: dict[Hashable, list[T]] = {}
    for a, b in pairs:
        group, other = group_of.get(key(a), []), group_of.get(key(b), [])
        if other is not group:
            group += other
        group += [item for item in (a, b) if item not in group]
        for item in group:
            group_of[key(item)] = group
    return list({id(g): g for g in group_of.values()}.values())


def speaker_discrepancies(statements: list[Statement], text_of) -> list[Discrepancy]:
    """The same quoted words put in the mouths of differently named people.

    For "..., he said" the name is this collation's reading of "he": it counts
    only where the document names none of the other people before the quotation
    (where it does, "he" may mean either, and how a sentence before it is worded
    can tip the reading).
    """

    def who(quote: Quote) -> str:
        return surname(text_of(quote.speaker))

    by_names: dict[frozenset, dict[Span, tuple[str, str, Span]]] = {}
    for statement in statements:
        for version in statement.versions:
            named = [q for q in version if q.speaker is not None and q.speaker.label == "PERSON"]
            everyone = {who(q) for q in named}
            named = [q for q in named if not (q.speaker_from_pronoun and q.names_before(everyone - {who(q)}))]
            surnames = frozenset(who(q) for q in named)
            if len(surnames) > 1:
                items = by_names.setdefault(surnames, {})
                for q in named:  # a name written once supports the finding once, however many quotations it speaks
                    items.setdefault(q.speaker, (who(q), text_of(q.speaker), q.speaker))
    # one finding per set of names, however many quotations carry it
    return [Discrepancy("name", "speaker", _variants(list(items.values()))) for items in by_names.values()]


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
