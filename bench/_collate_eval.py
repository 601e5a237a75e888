"""Running newscollate on fixed clusters of documents, and scoring its brief for bench/collate.py.

Everything scored is read from the brief (``newscollate.brief/1``, see
docs/brief-schema.md): claims' and discrepancies' support spans, not the
pipeline's internal objects.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from newscollate.brief import build_brief
from newscollate.clean import default_cleaners
from newscollate.collate import Collator
from newscollate.group import Event, LineageAssigner
from newscollate.model import Document
from newscollate.nlp import Annotator
from newscollate.pipeline import Corpus


def collate_clusters(
    documents: list[Document], clusters: list[list[int]], timings: dict[str, float] | None = None
) -> dict:
    """The brief of ``documents`` with event ``c<i>`` holding every segment of the documents ``clusters[i]`` names.

    The group stage is replaced by the given clusters (it could split what the
    benchmark needs collated as one event); the other stages run as in
    :func:`newscollate.pipeline.default_components`.  A document may be in
    several clusters: it is cleaned and annotated once.  ``timings`` gets the
    seconds of the ``nlp`` and ``collate`` stages.
    """
    corpus = Corpus(documents)
    for component in default_cleaners():
        component(corpus)
    corpus.events = [
        Event(f"c{i}", [s for k in members for s in sorted(documents[k].spans("segments"), key=lambda s: s.start)])
        for i, members in enumerate(clusters)
    ]
    LineageAssigner()(corpus)
    for stage in (Annotator(), Collator()):
        started = time.perf_counter()
        stage(corpus)
        if timings is not None:
            timings[stage.name] = timings.get(stage.name, 0.0) + time.perf_counter() - started
    return build_brief(corpus)


def overlaps(span: dict, doc: str, start: int, end: int) -> bool:
    return span["doc"] == doc and span["start"] < end and start < span["end"]


def signature(discrepancy: dict) -> tuple[str, tuple[str, ...]]:
    """A discrepancy's kind and variant values: what tells one finding from another across pairs."""
    return discrepancy["kind"], tuple(v["value"] for v in discrepancy["variants"])


@dataclass
class PerturbationScore:
    """What a brief event reported about one injected change."""

    detected: bool
    true_positives: Counter = field(default_factory=Counter)
    """Reported discrepancies of the change's kind that cite the changed characters, by kind."""
    false_positives: Counter = field(default_factory=Counter)
    """Every other reported discrepancy, by its kind."""
    unmatched: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """The false positives: kind and variant values."""


def score_perturbation(event: dict, kind: str, doc: str, changed: Iterable[tuple[int, int]]) -> PerturbationScore:
    """A discrepancy of ``kind`` with a variant citing (overlapping) a changed span of ``doc`` is a true positive."""
    changed = list(changed)
    score = PerturbationScore(False)
    for found in event["discrepancies"]:
        cites = any(overlaps(s, doc, a, b) for v in found["variants"] for s in v["support"] for a, b in changed)
        if found["kind"] == kind and cites:
            score.true_positives[kind] += 1
            score.detected = True
        else:
            score.false_positives[found["kind"]] += 1
            score.unmatched.append(signature(found))
    return score


# --- claim alignment ---------------------------------------------------------------------------------

Sentence = tuple[str, int]
"""A document id and the index of one of its gold sentences."""


def predicted_pairs(
    event: dict, sentence_of: dict[str, list[tuple[int, int]]], scored: set[Sentence]
) -> set[frozenset]:
    """Pairs of scored sentences of different documents that one claim's support joins.

    ``sentence_of`` gives each document's gold sentences as character spans; a
    support span belongs to the gold sentence holding its start.
    """
    pairs = set()
    for claim in event["claims"]:
        members = set()
        for span in claim["support"]:
            spans = sentence_of.get(span["doc"], [])
            index = next((i for i, (a, b) in enumerate(spans) if a <= span["start"] < b), None)
            if index is not None and (span["doc"], index) in scored:
                members.add((span["doc"], index))
        pairs |= {frozenset(p) for p in combinations(sorted(members), 2) if p[0][0] != p[1][0]}
    return pairs


def gold_pairs(instances: dict[Sentence, set[str]]) -> set[frozenset]:
    """Pairs of sentences of different documents that mention one instance."""
    by_instance: dict[str, list[Sentence]] = {}
    for sentence, found in instances.items():
        for instance in found:
            by_instance.setdefault(instance, []).append(sentence)
    return {
        frozenset((a, b))
        for members in by_instance.values()
        for a, b in combinations(sorted(members), 2)
        if a[0] != b[0]
    }


def one_per_document_ceiling(gold: set[frozenset]) -> int:
    """The most gold pairs claims can hold when a claim takes one sentence per document.

    Claims then join the sentences of two documents one to one, so for each
    pair of documents at most a maximum matching of their gold pairs is found.
    """
    by_docs: dict[tuple[str, str], list[tuple[Sentence, Sentence]]] = {}
    for pair in gold:
        a, b = sorted(pair)
        by_docs.setdefault((a[0], b[0]), []).append((a, b))
    return sum(_max_matching(edges) for edges in by_docs.values())


def _max_matching(edges: list[tuple[Sentence, Sentence]]) -> int:
    """Size of a maximum bipartite matching (augmenting paths; the graphs have tens of nodes)."""
    neighbours: dict[Sentence, list[Sentence]] = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
    partner: dict[Sentence, Sentence] = {}

    def augment(a: Sentence, seen: set[Sentence]) -> bool:
        for b in neighbours[a]:
            if b not in seen:
                seen.add(b)
                if b not in partner or augment(partner[b], seen):
                    partner[b] = a
                    return True
        return False

    return sum(augment(a, set()) for a in neighbours)


def prf(found: int, predicted: int, gold: int) -> dict[str, float]:
    precision = found / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
