"""Fact-preserving rewrites of a news text, for bench/collate.py.

A rewrite (:func:`rewrite`) rewords each sentence with ``bench/_paraphrase.py``
(thesaurus synonyms, function words, attributions and passives moved) but
leaves the *facts* exactly as written: people's names, numbers with the noun
phrase they count ("86 arrests" stays, not "86 detains"), date words and
quotations (marks included) are masked before the rewording and put back
after it.  Sentences are reworded one by one, never split or merged, so each
sentence of the rewrite has one counterpart in the source.

A change (:class:`Target`, found by ``bench/_perturb.py``) replaces characters
of masked facts: rendering the rewrite with it (:meth:`Rewrite.render`) gives
the changed copy and where the change now lies, the rest of the copy being the
plain rewrite.  :func:`spacy_parser` reads what both modules need of a text
with the project's spaCy model.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from _paraphrase import reword

MASK = re.compile("\ue000(\\d+)\ue001")
NUMERIC_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
MASKED_LABELS = NUMERIC_LABELS | {"PERSON", "UNSURE_PERSON", "DATE", "TIME"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
WEEKDAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b(?!s\b)")
MONTH_DAY = re.compile(rf"\b{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)|\b(\d{{1,2}})(?:st|nd|rd|th)? {MONTH}")
QUOTATION = re.compile(r"\"[^\"\n]+(?:\"|$)|“[^”\n]+(?:”|$)", re.MULTILINE)
"""A quotation within a line; one left open runs to the line's end (the quote goes on in the next)."""
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\ue000\"“])")
LOCATIVE = re.compile(r"\b(?:in|at|near|the)\s+$", re.IGNORECASE)
REPORTING_LEMMAS = {"say", "tell", "announce", "confirm", "report", "state", "add", "disclose", "reveal", "declare",
                    "describe", "explain", "write", "note", "insist", "claim", "warn"}  # fmt: skip

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Parsed:
    """What the rewrite and the finders need of a text, as character spans."""

    sentences: Spans
    entities: list[tuple[int, int, str]]
    """``(start, end, label)``: spaCy's labels, PERSON split into PERSON and UNSURE_PERSON."""
    measured: Spans = field(default_factory=list)
    """Noun phrases holding a number ("86 arrests"): what the number counts is part of the fact."""
    reporting: Spans = field(default_factory=list)
    """Dates of a report rather than of the fact ("said on Friday")."""
    sources: Spans = field(default_factory=list)
    """People given as the source of a statement ("X said", "according to X")."""


@dataclass(frozen=True)
class Target:
    """One controlled change: ``replacements[i]`` takes the place of ``text[spans[i][0]:spans[i][1]]``."""

    kind: str
    spans: tuple[tuple[int, int], ...]
    replacements: tuple[str, ...]
    sentence: tuple[int, int]
    """The source sentence holding the change."""
    case: str = ""
    """A coarse class of the change for the report ("weekday", "quotation of 20+ words", ...)."""


@dataclass(frozen=True)
class Rewrite:
    """A reworded text with its facts masked: placeholder ``i`` stands for ``source[regions[i]]``."""

    source: str
    template: str
    regions: tuple[tuple[int, int], ...]

    def render(self, target: Target | None = None) -> tuple[str, Spans]:
        """The rewrite (with ``target``'s change) and the spans of the changed characters in it."""
        changes = sorted(zip(target.spans, target.replacements)) if target else []
        if not all(any(a <= start and end <= b for a, b in self.regions) for (start, end), _ in changes):
            raise ValueError("a change outside the kept characters would be lost: pass its target to rewrite()")
        out: list[str] = []
        changed: Spans = []
        length = last = 0

        def emit(piece: str) -> None:
            nonlocal length
            out.append(piece)
            length += len(piece)

        for match in MASK.finditer(self.template):
            emit(self.template[last : match.start()])
            start, end = self.regions[int(match.group(1))]
            for (a, b), new in changes:
                if start <= a and b <= end:
                    emit(self.source[start:a])
                    changed.append((length, length + len(new)))
                    emit(new)
                    start = b
            emit(self.source[start:end])
            last = match.end()
        emit(self.template[last:])
        return "".join(out), changed


def rewrite(text: str, parsed: Parsed, rng: random.Random, rate: float, targets: Iterable[Target] = ()) -> Rewrite:
    """Every sentence of ``text`` reworded at ``rate`` with its facts kept (see the module docstring).

    The characters of ``targets`` are kept too (a surname the model did not tag), so that the
    rewrite renders with any of them.
    """
    regions = _merge(
        [(a, b) for a, b, label in parsed.entities if label in MASKED_LABELS]
        + parsed.measured
        + [m.span() for pattern in (WEEKDAY, MONTH_DAY, QUOTATION) for m in pattern.finditer(text)]
        + [span for target in targets for span in target.spans]
    )
    masked, last = [], 0
    for i, (a, b) in enumerate(regions):
        masked.append(text[last:a] + f"\ue000{i}\ue001")
        last = b
    masked.append(text[last:])
    lines = []
    for line in "".join(masked).split("\n"):
        sentences = SENTENCE_BREAK.split(line.strip())
        lines.append(" ".join(reword(s, rng, rate) for s in sentences if s))
    return Rewrite(text, "\n".join(lines), tuple(regions))


def _merge(spans: Iterable[tuple[int, int]]) -> Spans:
    """Overlapping or touching spans joined, in text order."""
    merged: Spans = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def spacy_parser() -> Callable[[str], Parsed]:
    """A function reading a text's :class:`Parsed` with the project's spaCy model, one line at a time.

    A PERSON entity stays one only when the model tags all its words proper
    nouns, none an acronym, and it does not follow "in", "at", "near" or "the"
    (the small model takes ships, towns and sentence-initial words for people);
    the others are labelled ``UNSURE_PERSON``: kept in rewrites, never renamed.
    """
    from newscollate.nlp import load_model

    nlp = load_model()

    def parse(text: str) -> Parsed:
        parsed = Parsed([], [], [], [], [])
        start = 0
        lines = text.split("\n")
        for line, doc in zip(lines, nlp.pipe(lines)):
            parsed.sentences.extend((start + s.start_char, start + s.end_char) for s in doc.sents if s.text.strip())
            for e in doc.ents:
                span, label = (start + e.start_char, start + e.end_char), e.label_
                if label == "PERSON" and not _surely_a_person(e, line):
                    label = "UNSURE_PERSON"
                elif label == "PERSON" and _tells(e):
                    parsed.sources.append(span)
                elif label == "DATE" and _reports(e):
                    parsed.reporting.append(span)
                parsed.entities.append((*span, label))
            numbered = [c for c in doc.noun_chunks if any(t.like_num for t in c)]
            parsed.measured.extend((start + c.start_char, start + c.end_char) for c in numbered)
            start += len(line) + 1
        return parsed

    return parse


def _surely_a_person(entity, line: str) -> bool:
    """Not a common word, an acronym (the ship "MV Gibe") or a place ("in Bandar Abbas")."""
    names_only = all(t.pos_ == "PROPN" and not (t.is_upper and len(t) > 1) for t in entity)
    return names_only and not LOCATIVE.search(line[: entity.start_char])


def _tells(person) -> bool:
    """A person given as a statement's source: the subject of a verb of saying, or "according to X"."""
    head = person.root
    while head.dep_ in ("appos", "compound", "flat") and head.head is not head:
        head = head.head  # "spokesman Harlan Boll said": the phrase's head is "spokesman"
    if head.dep_ in ("nsubj", "nsubjpass"):
        return head.head.lemma_.lower() in REPORTING_LEMMAS
    return head.dep_ == "pobj" and head.head.lower_ == "to" and head.head.head.lower_ == "according"


def _reports(date_entity) -> bool:
    """A date a verb of saying governs, directly or through a preposition: "said Friday", "told us on Friday"."""
    head = date_entity.root.head
    if head.pos_ == "ADP":
        head = head.head
    return head.lemma_.lower() in REPORTING_LEMMAS
