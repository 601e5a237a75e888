"""Syndication lineage: which reports of one event are copies or rewrites of which.

Four outlets rewriting one wire report are one independent source, not four.
:func:`assign_lineage` gives every document of an event a :class:`Lineage`:

* ``copy``: a near-duplicate of an earlier document: their sets of 5-word
  shingles overlap (Jaccard at least ``COPY_JACCARD``), or one's shingles are
  nearly all inside the other's (``COPY_CONTAINMENT``: trimmed copies, copies
  with page junk the clean stage missed);
* ``rewrite``: most of its sentences (``REWRITE_SHARE`` of its anchor weight)
  match sentences of one earlier document, in the same order; or, reusing no
  other document's text, it credits a wire agency ("told Reuters", "(AP) —")
  and then derives from that wire (``wire`` set, ``derives_from`` None);
* ``rewrite`` of a wire, too: a document that credits no one but relays, as
  coming from unnamed sources ("according to sources familiar with",
  "said two sources", "reportedly"), a statement that another report of the
  event attributes to a wire's sources ("a source told Reuters"): the scoop
  is the wire's, however the relaying outlet reworded it
  (``wire`` set, ``derives_from`` None, evidence ``relayed-sources``);
* ``original``: neither.

*Anchors* are what survives a rewrite, even a translation back into English:
names, numbers and content words.  A rewrite swaps function words, many
common words and verb forms, but keeps the names, the numbers, the rare words
and the order of the facts, sentence by sentence.  An independent report of
the same event shares the names and numbers too, but spreads them over
sentences of its own, in its own order, with details of its own.  So each
anchor is weighted by its rarity within the event (inverse document
frequency: the names every report repeats count for little, a source's own
details for much); two sentences *match* when the shared anchors carry most
of the weight of the lighter sentence; and a document is a rewrite of another
when its matched sentences, aligned monotonically with the source's (a split
sentence may match one source sentence twice, a merged one two in a row),
carry most of its weight.

*Earlier* is by publication date.  For equal or unknown dates: when one text
lies inside the other (nearly all its prose sentences match), the fuller one
is the source (the full text of a trimmed copy); else the one whose own
wording (the anchors the other lacks) other reports of the event use more
often, as a rewrite swaps the usual words for synonyms of its own; then the
one with more content the other lacks, the longer one, the one given first.
Each document derives from at most one other, always an earlier one, so
lineage never has a cycle.

Speed: every segment is read once (:mod:`.anchors`: integer token ids, kept in
the document's :mod:`.readings`, so an event compared again as it grows, batch
after batch, does not read its documents again, and a worker process may read
them ahead); all
sentence pairs of an event are compared at once with one sparse product; only
pairs of documents above the unordered match share are aligned in order, and
only near-copies have their shingles hashed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..model import Document, Span
from .anchors import NAME, NUMBER, Unit, distinct, local_ids
from .readings import reading

COPY_JACCARD = 0.8
"""Shingle Jaccard similarity from which two texts are copies (copies with junk lines: 0.8-1.0;
rewrites of one report stay below 0.3)."""
COPY_CONTAINMENT = 0.9
"""Share of a text's shingles found in a longer one from which it is a (trimmed) copy of it."""
COPY_SHARE = 0.8
"""Shingles are compared only when this share of one of two texts' anchor weight has matching sentences in the
other (a copy matches nearly everywhere; a reworded rewrite does not)."""
SENTENCE_MATCH = 0.6
"""Two sentences match when their shared anchors carry this share of the lighter one's weight
(a sentence and its translated rewrite: 0.6-1.0; sentences of independent reports: mostly below 0.5)."""
SENTENCE_MIN_SHARED = 3
"""... and they share at least this many distinct anchors."""
REWRITE_SHARE = 0.6
"""Share of a text's anchor weight in sentences aligned, in order, with one earlier text, from which
the text is a rewrite of it."""
REWRITE_MIN_SENTENCES = 2
"""A rewrite has at least this many aligned sentences: one shared quote is not a rewrite."""
SAME_SOURCE_MARGIN = 0.05
"""A document is attributed to its source's own source when it matches that one about as well (within
this margin): a copy of a copy derives from the first text."""
NAME_WEIGHT = 3.0
"""Names and numbers survive any rewrite, a translation too: they weigh this many times a content word."""
OWN_MARGIN = 0.1
"""Share of the larger text's prose weight from which one text has content the other lacks."""
USUAL_MARGIN = 0.02
"""Between two texts of equal content and date, the source is the one whose own wording is more usual
in the event by more than this (see :meth:`_Event.usual`)."""
PROSE_MIN_WORDS = 4
"""Anchors from which a sentence ending in . ! or ? counts as the report's own content (when deciding
which of two documents is the source)."""
MAX_EVIDENCE = 3
"""Sentence pairs kept as evidence per document."""


@dataclass
class Lineage:
    """Where one document's report of an event comes from.

    ``role``: ``original``, ``copy`` or ``rewrite``.  ``derives_from``: the
    id of the document it was copied or rewritten from, else ``None`` (an
    original, or a rewrite of a wire report no document of the event holds).
    ``wire``: the wire agency its lineage traces to (its source's, else its
    own credit), else ``None``.  ``evidence``: a few dicts, each with a
    ``kind`` (``shingles``, ``sentence`` or ``wire-credit``), the ``span``
    (``{"doc", "start", "end"}`` in this document) and, for reused text, the
    ``source`` span it matches.  ``similarity``: for a copy the shingle
    similarity (0-1), for a text rewrite the share of its anchor weight in
    aligned sentences, else 0.
    """

    role: str = "original"
    derives_from: str | None = None
    wire: str | None = None
    evidence: list[dict] = field(default_factory=list)
    similarity: float = 0.0


_COUNT_UNIT = float(2**24)
_UNNAMED_SOURCES = re.compile(
    r"\b(?:according to|cited by|citing)\b[^.;]{0,40}\bsources?\b"
    r"|\bsources?\b[^.;]{0,60}\b(?:said|say|says|told|suggested|familiar with|asked not to be|speaking on condition)\b"
    r"|\b(?:said|told)\b[^.;]{0,25}\bsources?\b"
    r"|\bpeople (?:familiar with|with knowledge of)\b|\breportedly\b",
    re.IGNORECASE,
)
"""Attribution to unnamed sources: the language of a scoop, passed on by whoever relays it."""


class _Event:
    """Every pairwise comparison of an event's units, computed at once with sparse products."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        n = len(units)
        ids, vocab = local_ids(np.concatenate([u.ids for u in units]) if units else np.empty(0, dtype=np.uint64))
        kinds = np.concatenate([u.kinds for u in units]) if units else np.empty(0, dtype=np.int8)
        lengths = np.array([k for u in units for k in u.lengths], dtype=np.int64)
        per_unit = np.array([len(u.lengths) for u in units], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(per_unit)])
        self.unit_of = np.repeat(np.arange(n), per_unit)
        m, vocab = len(lengths), max(vocab, 1)
        sentence = np.repeat(np.arange(m), lengths)
        anchor = kinds > 0
        key = distinct(sentence[anchor] * vocab + ids[anchor])
        rows, cols = key // vocab, key % vocab
        unit_words = distinct(self.unit_of[rows] * vocab + cols)
        self.df = np.bincount(unit_words % vocab, minlength=vocab)
        self.words = np.split(unit_words % vocab, np.searchsorted(unit_words, np.arange(1, n) * vocab))
        df = self.df
        idf = np.log((1 + n) / (1 + df)) + 1
        name_cols = np.zeros(vocab, dtype=bool)
        name_cols[ids[(kinds == NAME) | (kinds == NUMBER)]] = True
        weight = idf[cols] * np.where(name_cols[cols], NAME_WEIGHT, 1.0)
        self.mass = np.bincount(rows, weight, minlength=m)
        self.anchor_count = np.bincount(rows, minlength=m)
        # One product gives both the shared weight and the shared count: each entry carries its weight
        # plus _COUNT_UNIT, far above any sum of weights, so the count is the quotient.
        # built from their index arrays (``key`` is sorted by sentence, then word): no COO sorting
        tagged = sparse.csr_matrix((weight + _COUNT_UNIT, cols, np.searchsorted(rows, np.arange(m + 1))), shape=(m, vocab))
        by_word = np.argsort(cols, kind="stable")
        binary_t = sparse.csr_matrix((np.ones(len(rows)), rows[by_word], np.searchsorted(cols[by_word], np.arange(vocab + 1))), shape=(vocab, m))
        product = tagged @ binary_t
        r, c = np.repeat(np.arange(m), np.diff(product.indptr)), product.indices
        count = np.floor(product.data * (1 / _COUNT_UNIT))
        shared = product.data - count * _COUNT_UNIT
        score = shared / np.maximum(np.minimum(self.mass[r], self.mass[c]), 1e-9)
        keep = (count >= SENTENCE_MIN_SHARED) & (score >= SENTENCE_MATCH) & (self.unit_of[r] != self.unit_of[c])
        r, c, score = r[keep], c[keep], score[keep]
        order = np.lexsort((c, r, self.unit_of[c], self.unit_of[r]))
        self.match_r, self.match_c, self.match_score = r[order], c[order], score[order]
        self.match_pair = self.unit_of[self.match_r] * n + self.unit_of[self.match_c]
        matched = np.zeros((m, n), dtype=bool)  # sentence x unit: it has a match there
        matched[self.match_r, self.unit_of[self.match_c]] = True
        indicator = sparse.csr_matrix((np.ones(m), np.arange(m), self.starts), shape=(n, m))
        prose = np.array([p for u in units for p in u.prose], dtype=bool) & (self.anchor_count >= PROSE_MIN_WORDS)
        self.unit_mass = indicator @ self.mass
        self.prose_mass = indicator @ (self.mass * prose)
        self.share = (indicator @ (matched * self.mass[:, None])) / np.maximum(self.unit_mass[:, None], 1e-9)
        """share[a, b]: share of unit a's anchor weight in sentences with a match in unit b (any order)."""
        self.own = indicator @ (~matched * (self.mass * prose)[:, None])
        """own[a, b]: anchor weight of unit a's prose sentences without a match in unit b."""
        self._shingles: dict[int, np.ndarray] = {}

    def shingles(self, u: int) -> np.ndarray:
        """The unit's shingles, hashed on first use: only pairs whose sentences match need them."""
        if u not in self._shingles:
            self._shingles[u] = self.units[u].shingles()
        return self._shingles[u]

    def aligned(self, a: int, b: int) -> tuple[float, list[tuple[int, int, float]]]:
        """The heaviest monotone alignment of unit a's sentences with matches in unit b: its share of a's
        weight and its (sentence of a, sentence of b, score) pairs, numbered within each unit.  a's
        sentences each align once, in order; b's may repeat (a split sentence) or be skipped."""
        lo, hi = np.searchsorted(self.match_pair, [a * len(self.units) + b, a * len(self.units) + b + 1])
        rows = (self.match_r[lo:hi] - self.starts[a]).tolist()
        cols = (self.match_c[lo:hi] - self.starts[b]).tolist()
        scores = self.match_score[lo:hi].tolist()
        mass = self.mass[self.starts[a] : self.starts[a + 1]].tolist()
        best_to: list[tuple[float, tuple]] = [(0.0, ())] * int(self.starts[b + 1] - self.starts[b])
        k = 0
        while k < len(rows):
            i, end = rows[k], k
            while end < len(rows) and rows[end] == i:
                end += 1
            extended = [(best_to[cols[e]][0] + mass[i], best_to[cols[e]][1] + ((i, cols[e], scores[e]),), cols[e]) for e in range(k, end)]
            for weight, path, j in extended:
                for jj in range(j, len(best_to)):
                    if best_to[jj][0] >= weight:
                        break
                    best_to[jj] = (weight, path)
            k = end
        weight, path = best_to[-1] if best_to else (0.0, ())
        return float(weight / max(self.unit_mass[a], 1e-9)), list(path)

    def earlier(self, b: int, a: int) -> bool:
        """Whether unit b comes before unit a (see the module docstring)."""
        da, db = self.units[a].published, self.units[b].published
        if da and db and da != db:
            return db < da
        scale = max(self.prose_mass[a], self.prose_mass[b])
        own_a, own_b = self.own[a, b], self.own[b, a]
        if min(own_a, own_b) <= OWN_MARGIN * scale < abs(own_a - own_b):
            return own_b > own_a  # one text lies inside the other
        usual_a, usual_b = self.usual(a, b), self.usual(b, a)
        if abs(usual_a - usual_b) > USUAL_MARGIN:
            return usual_b > usual_a
        if abs(own_a - own_b) > OWN_MARGIN * scale:
            return own_b > own_a
        if abs(self.prose_mass[a] - self.prose_mass[b]) > 0.01 * scale:
            return self.prose_mass[b] > self.prose_mass[a]
        return b < a

    def usual(self, a: int, b: int) -> float:
        """Share of unit a's distinct anchors missing from unit b that another document of the event uses
        (0.5 for none missing: a text inside another says nothing by its words)."""
        own = np.setdiff1d(self.words[a], self.words[b], assume_unique=True)
        return (np.count_nonzero(self.df[own] >= 2) + 0.5) / (own.size + 1)  # smoothed: a few words prove little


def _relations(event: _Event) -> dict[int, dict[int, tuple[str, float, list]]]:
    """For each unit a, the earlier units b it reuses enough text of: ('copy' | 'rewrite', similarity, pairs).
    Shingles are compared only for pairs whose sentences already match."""
    found: dict[int, dict[int, tuple[str, float, list]]] = {a: {} for a in range(len(event.units))}
    for x, y in zip(*np.nonzero(np.triu(np.maximum(event.share, event.share.T) >= REWRITE_SHARE, 1))):
        b, a = (int(x), int(y)) if event.earlier(int(x), int(y)) else (int(y), int(x))
        if event.share[a, b] < REWRITE_SHARE:
            continue
        if max(event.share[a, b], event.share[b, a]) >= COPY_SHARE:
            small, large = event.shingles(a), event.shingles(b)
            shared = np.intersect1d(small, large, assume_unique=True).size
            jaccard = shared / max(small.size + large.size - shared, 1)
            contained = shared / max(small.size, 1) if small.size <= large.size else 0.0
            if jaccard >= COPY_JACCARD or contained >= COPY_CONTAINMENT:
                found[a][b] = ("copy", max(jaccard, contained), [])
                continue
        share, pairs = event.aligned(a, b)
        if share >= REWRITE_SHARE and len(pairs) >= REWRITE_MIN_SENTENCES:
            found[a][b] = ("rewrite", share, pairs)
    return found


def assign_lineage(units: list[tuple[Document, Span]]) -> dict[str, Lineage]:
    """The :class:`Lineage` of each document of one event, by document id.

    ``units`` holds each document's segment reporting the event; the
    segment's ``removed`` spans are left out of its text.  A document may
    appear once.
    """
    seen = set()
    for doc, _ in units:
        if doc.id in seen:
            raise ValueError(f"document {doc.id} appears twice in one event; give one segment per document")
        seen.add(doc.id)
    event = _Event([reading(doc, span).unit for doc, span in units])
    candidates = _relations(event)
    return _lineages(event, candidates, _choose_parents(candidates))


def _choose_parents(candidates: dict[int, dict[int, tuple]]) -> dict[int, int]:
    """Strongest relations first, never closing a cycle; then each points past a source it equals."""
    edges = sorted(((rel[1], rel[0] == "copy", -b, a, b) for a, found in candidates.items() for b, rel in found.items()), reverse=True)
    parent: dict[int, int] = {}
    for _, _, _, a, b in edges:
        if a not in parent and a not in _ancestors(parent, b):
            parent[a] = b
    changed = True
    while changed:
        changed = False
        for a, b in parent.items():
            up = parent.get(b)
            if up is not None and up in candidates[a] and a not in _ancestors(parent, up):
                if candidates[a][up][1] >= candidates[a][b][1] - SAME_SOURCE_MARGIN:
                    parent[a] = up
                    changed = True
    return parent


def _ancestors(parent: dict[int, int], unit: int) -> list[int]:
    """The unit and the units it derives from, nearest first."""
    chain = [unit]
    while unit in parent:
        unit = parent[unit]
        chain.append(unit)
    return chain


def _lineages(event: _Event, candidates, parent: dict[int, int]) -> dict[str, Lineage]:
    units = event.units
    result: dict[int, Lineage] = {}
    for u in sorted(range(len(units)), key=lambda u: len(_ancestors(parent, u))):
        unit = units[u]
        credit = unit.credits[0] if unit.credits else None
        evidence = [{"kind": "wire-credit", "wire": credit.wire, "span": unit.ref(credit.start, credit.end)}] if credit else []
        if u in parent:
            source = parent[u]
            role, similarity, pairs = candidates[u][source]
            wire = result[source].wire or (credit.wire if credit else None)
            lineage = Lineage(role, units[source].doc_id, wire, _reuse_evidence(unit, units[source], pairs) + evidence, round(similarity, 4))
        elif credit:
            lineage = Lineage("rewrite", None, credit.wire, evidence)
        else:
            lineage = Lineage()
        result[u] = lineage
    for u, lineage in result.items():
        if lineage.role == "original" and (relayed := _relayed_scoop(event, u, result)):
            result[u] = relayed
    return {units[u].doc_id: result[u] for u in range(len(units))}


def _relayed_scoop(event: _Event, u: int, found: dict[int, Lineage]) -> Lineage | None:
    """The lineage of unit u if it relays, from unnamed sources, a statement that a wire-sourced
    unit makes (see the module docstring), else None."""
    unit = event.units[u]
    mine = (event.match_r >= event.starts[u]) & (event.match_r < event.starts[u + 1])
    for r, c, score in zip(event.match_r[mine], event.match_c[mine], event.match_score[mine]):
        v = int(event.unit_of[c])
        wire = found[v].wire if v != u else None
        if not wire or found[v].role == "original":
            continue
        a, b = unit.sentences[int(r - event.starts[u])]
        if _UNNAMED_SOURCES.search(unit.text, a, b):
            source = event.units[v]
            evidence = {"kind": "relayed-sources", "span": unit.ref(a, b), "source": source.ref(*source.sentences[int(c - event.starts[v])]), "score": round(float(score), 4)}
            return Lineage("rewrite", None, wire, [evidence], 0.0)
    return None


def _reuse_evidence(unit: Unit, source: Unit, pairs: list[tuple[int, int, float]]) -> list[dict]:
    if not pairs:
        return [{"kind": "shingles", "span": unit.ref(0, len(unit.text.rstrip())), "source": source.ref(0, len(source.text.rstrip()))}]
    strongest = sorted(sorted(pairs, key=lambda p: -p[2])[:MAX_EVIDENCE])
    return [
        {"kind": "sentence", "span": unit.ref(*unit.sentences[i]), "source": source.ref(*source.sentences[j]), "score": round(s, 4)}
        for i, j, s in strongest
    ]


def independent_sources(lineage: dict[str, Lineage], doc_ids) -> tuple[int, list[str]]:
    """How many independent sources the documents ``doc_ids`` are, and the wires among them.

    Each document counts as its lineage root (following ``derives_from``):
    an original without a wire once, all documents whose root traces to one
    wire once per wire.  Documents without a lineage count as their own root.
    """
    roots: set[tuple[str, str]] = set()
    wires: set[str] = set()
    for doc_id in doc_ids:
        seen = {doc_id}
        root = doc_id
        while root in lineage and lineage[root].derives_from and lineage[root].derives_from not in seen:
            root = lineage[root].derives_from
            seen.add(root)
        wire = lineage[root].wire if root in lineage else None
        roots.add(("wire", wire) if wire else ("doc", root))
        if wire:
            wires.add(wire)
    return len(roots), sorted(wires)
