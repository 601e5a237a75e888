"""Number conflicts: where two sentences that state one fact give the same thing different values.

Which quantities of two sentences are compared (:func:`conflicting_quantities`):
what both write is set aside, the rest is paired by what it measures, then by
order, then by the words around it; a pair is no conflict where the other
sentence writes the value elsewhere (a different detail of the fact), or where
one value may be the other rounded or hedged (:func:`compatible_values`).
:func:`claim_conflicts` compares the sentences of each claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Span
from .claims import Claim, Sentence
from .numbers import DIGITS, Quantity, number_mentions

CLOSE_REWORDING = 0.4
"""Similarity (each sentence's mean over the claim's others) from which two sentences are
close enough to pair quantities on weaker evidence: bare counts ("rose to 14" and "rose to
13"), the only ones of a unit left between the same words, whole sentences cut into clauses
differently.  Looser claims hold more details of one event side by side, and a bare number
there (a score, a yard line, a tally) too often counts something else than the other's: only
quantities measuring a noun in common are paired there (a threshold read off the ECB+
perturbation benchmark, where rewordings of one sentence score 0.42 and up, against the
claims of real ECB+ events, whose bare-count pairs mostly score under 0.45)."""
COUNT_UNITS = ("count", "rank")
"""Units of numbers that count or rank: with no noun measured, a bare number (paired only in close rewordings)."""
APPROXIMATION = 0.1
"""How far (a share of the estimate) a value may be from one written "about" it and still agree."""
_HEDGES = {
    "about": re.compile(r"\b(?:about|around|roughly|approximately|some|nearly|almost|close to|an estimated)\s+$", re.I),
    "at least": re.compile(r"\b(?:more than|over|at least|upwards of|in excess of)\s+$", re.I),
    "at most": re.compile(r"\b(?:less than|fewer than|under|up to|at most)\s+$", re.I),
}
"""Words before a number that make it a bound or an estimate, not an exact value."""
_WORD = re.compile(r"[^\W\d]+")


@dataclass(frozen=True)
class WholeSentence:
    """A sentence the claims hold as several clauses, put back together."""

    text: str
    span: Span


Conflict = tuple[Quantity, Quantity]
Compared = Sentence | WholeSentence
"""What is compared: its ``text`` and the ``span`` it is written at."""


def claim_conflicts(claims: list[Claim], quantities: dict[int, list[Quantity]]) -> list[tuple[Claim, list[Conflict]]]:
    """Each claim with the conflicting quantities of its sentences, two sources at a time.

    Where one source's sentence is cut into clauses (:func:`.claims.clauses`) and the
    other's is not, or is cut differently, the clause in the claim may have lost the
    number to the clause beside it: such sentences are compared whole as well, where
    close (:data:`CLOSE_REWORDING`).  A conflict is reported with the first claim that finds it.
    """
    clauses: dict[tuple[str, int], list[Sentence]] = {}
    for claim in claims:
        for sentence in claim.sentences:
            clauses.setdefault((sentence.doc.id, sentence.order), []).append(sentence)
    reported: set[frozenset] = set()
    found = []
    for claim in claims:
        new = []
        others = max(1, len(claim.sentences) - 1)
        closeness = [c / others for c in claim.centrality] or [0.0] * len(claim.sentences)
        for i, sa in enumerate(claim.sentences):
            for j, sb in enumerate(claim.sentences[i + 1 :], start=i + 1):
                if sa.doc.id == sb.doc.id:
                    continue
                close = min(closeness[i], closeness[j]) >= CLOSE_REWORDING
                conflicts = conflicting_quantities(sa, quantities[id(sa)], sb, quantities[id(sb)], close)
                parts_a, parts_b = clauses[(sa.doc.id, sa.order)], clauses[(sb.doc.id, sb.order)]
                if close and len(parts_a) != len(parts_b):
                    conflicts += conflicting_quantities(*_whole(parts_a, quantities), *_whole(parts_b, quantities))
                new += [c for c in dict.fromkeys(conflicts) if frozenset(c) not in reported]
                reported |= {frozenset(c) for c in conflicts}
        if new:
            found.append((claim, new))
    return found


def _whole(parts: list[Sentence], quantities: dict[int, list[Quantity]]) -> tuple[WholeSentence, list[Quantity]]:
    """The sentence whose clauses ``parts`` are, and their quantities."""
    doc = parts[0].doc
    # an aside claim lies inside its sentence's span, so the last part to start need not end last
    span = Span(doc.id, min(s.span.start for s in parts), max(s.span.end for s in parts), "sentence")
    return WholeSentence(doc.slice(span), span), [q for s in parts for q in quantities[id(s)]]


def same_thing(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities measure the same thing: one unit, and a noun in common ("5.6-magnitude
    earthquake" and "6.9 -magnitude quake"), or no noun on either side ("$102 million")."""
    if a.unit != b.unit:
        return False
    if a.measure is None or b.measure is None:
        return a.measure is None and b.measure is None
    return bool(a.measure & b.measure)


def conflicting_quantities(
    sentence_a: Compared, found_a: list[Quantity], sentence_b: Compared, found_b: list[Quantity], close: bool = True
) -> list[Conflict]:
    """Pairs of quantities, one of each sentence, that give the same thing different values.

    The sentences (``.text``, ``.span``) state one fact; ``found_a`` and ``found_b``
    are their quantities.  What both write is set aside first (equal values, of the
    same thing first), so that a sentence with several counts of one thing ("two
    bullets struck ...; one bullet entered ...") leaves the one that differs.  The
    rest is paired: a quantity with one counterpart of the same thing on the other
    side, then, where as many remain on each side, in the order they are written; the
    only one of a unit left on each side pairs with the other where it stands between
    the same words ("and six blocked shots" against "and five blocked gunshots").
    Unless the sentences are ``close`` (:data:`CLOSE_REWORDING`), counts are paired
    only where they measure a noun in common.  A pair is no conflict where the other
    sentence writes the value elsewhere: it gives a different detail of the fact
    ("Fourteen people were injured, three of them seriously" against "Three people
    were taken to hospital"); nor where one value may be the other rounded or hedged
    (:func:`compatible_values`).
    """
    left_a, left_b = list(found_a), list(found_b)
    agreements = (
        lambda a, b: a.value == b.value and same_thing(a, b),
        lambda a, b: a.value == b.value and a.unit == b.unit,  # "14 people" and "14 injured"
    )
    for agree in agreements:
        for a in list(left_a):
            partner = next((b for b in left_b if agree(a, b)), None)
            if partner is not None:
                left_a.remove(a)
                left_b.remove(partner)
    pairs = _paired(sentence_a, left_a, sentence_b, left_b)
    if not close:
        pairs = [(a, b) for a, b in pairs if same_thing(a, b) and (a.measure or a.unit not in COUNT_UNITS)]
    compared = {q for pair in pairs for q in pair}
    set_aside = ({*found_a} - {*left_a}) | ({*found_b} - {*left_b})
    written_a = _values_written_besides(sentence_a, set_aside | compared)
    written_b = _values_written_besides(sentence_b, set_aside | compared)
    return [
        (a, b) for a, b in pairs
        if a.value != b.value and a.value not in written_b and b.value not in written_a
        and not compatible_values(_as_written(sentence_a, a), _as_written(sentence_b, b))
    ]



@dataclass(frozen=True)
class WrittenValue:
    """A value as a sentence gives it: how precisely, and whether as a bound or an estimate."""

    value: float
    step: float
    """What the last digit written counts: 1e5 for "3.2 million", 1 for "12" or "twelve"."""
    hedge: str
    """``about``, ``at least``, ``at most`` or ``""`` for a value given as exact."""


def compatible_values(a: WrittenValue, b: WrittenValue) -> bool:
    """Whether two different values may give one figure: one the other rounded ("$3.2 million"
    and "$3.24 million"), or one exact and the other hedged around it ("about 300" and 310,
    "more than 300" and 320).  Two hedged values are compared as written: "about 300" and
    "about 400" disagree; so are two exact ones of one precision ("1,200" and "1,230")."""
    coarse, fine = sorted((a, b), key=lambda w: -w.step)
    if fine.step < coarse.step and round(fine.value / coarse.step) == round(coarse.value / coarse.step):
        return True
    if bool(a.hedge) == bool(b.hedge):
        return False
    hedged, exact = (a, b) if a.hedge else (b, a)
    if hedged.hedge == "at least":
        return exact.value >= hedged.value
    if hedged.hedge == "at most":
        return exact.value <= hedged.value
    return abs(exact.value - hedged.value) <= APPROXIMATION * hedged.value


def _as_written(sentence: Compared, q: Quantity) -> WrittenValue:
    """A quantity's value with the precision and the hedge its sentence gives it."""
    shift = sentence.span.start
    digits = DIGITS.search(sentence.text[q.start - shift : q.end - shift])
    if digits:
        written = float(digits.group().replace(",", ""))
        decimals = len(digits.group().partition(".")[2])
        step = 10.0**-decimals * (q.value / written if written else 1.0)
    else:
        step = 1.0
    before = sentence.text[: q.start - shift]
    hedge = next((name for name, words in _HEDGES.items() if words.search(before)), "")
    return WrittenValue(q.value, step, hedge)


def _paired(
    sentence_a: Compared, left_a: list[Quantity], sentence_b: Compared, left_b: list[Quantity]
) -> list[Conflict]:
    """Quantities of the same thing, one of each side (see :func:`conflicting_quantities`)."""
    pairs = [
        (a, b) for a in left_a for b in left_b
        if same_thing(a, b)
        and sum(same_thing(a, other) for other in left_b) == 1
        and sum(same_thing(other, b) for other in left_a) == 1
    ]
    paired = {q for pair in pairs for q in pair}  # what the loop pairs is of the unit it is done with
    for unit in dict.fromkeys(q.unit for q in left_a):
        of_unit_a = [a for a in left_a if a.unit == unit and a not in paired]
        of_unit_b = [b for b in left_b if b.unit == unit and b not in paired]
        if len(of_unit_a) == len(of_unit_b) == 1 and not same_thing(of_unit_a[0], of_unit_b[0]):
            a, b = of_unit_a[0], of_unit_b[0]
            if _neighbours(sentence_a, a) & _neighbours(sentence_b, b):
                pairs.append((a, b))
        elif len(of_unit_a) == len(of_unit_b):
            pairs += [(a, b) for a, b in zip(of_unit_a, of_unit_b) if same_thing(a, b)]
    return pairs



def _neighbours(sentence: Compared, q: Quantity) -> set[tuple[str, str]]:
    """The words right before and right after a quantity's number, where they say something
    (``("after", "blocked")``; not "and", "the")."""
    shift = sentence.span.start
    before = _WORD.findall(sentence.text[max(0, q.start - shift - 30) : q.start - shift])[-1:]
    after = _WORD.findall(sentence.text[q.end - shift : q.end - shift + 30])[:1]
    return {
        (side, word.lower()) for side, words in (("before", before), ("after", after))
        for word in words if word.lower() not in ENGLISH_STOP_WORDS
    }


def _values_written_besides(sentence: Compared, accounted: set[Quantity]) -> set[float]:
    """Values of the numbers a sentence writes outside the quantities ``accounted`` for."""
    start = sentence.span.start
    return {
        value for a, b, value in number_mentions(sentence.text)
        if not any(q.doc == sentence.span.doc and q.start < start + b and start + a < q.end for q in accounted)
    }
