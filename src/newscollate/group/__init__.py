"""Group: cluster story segments into events.

A segment (one story of a document; see the clean stage) is represented by
TF-IDF weights over its content lemmas and its named entities.  Segments are
merged by average-linkage agglomerative clustering on cosine similarity, with
one constraint: two segments of the same document never share an event (a
page that glues stories together glues *different* stories).  Similarity
decays with the gap between publication dates: a follow-up weeks later that
shares every name is a different event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..model import Document, Span
from ..nlp import content_lemmas


@dataclass
class Event:
    """Segments judged to report the same real-world event."""

    id: str
    segments: list[Span]
    data: dict = field(default_factory=dict)
    """What the collate stage derives (claims, quotes, ...)."""

    @property
    def document_ids(self) -> list[str]:
        return list(dict.fromkeys(s.doc for s in self.segments))


@dataclass
class GroupConfig:
    merge_threshold: float = 0.12
    """Minimum average cosine similarity between two clusters of segments for
    them to be one event.  Segments of one event share names and topic words
    (similarity 0.2-0.6 on rewrites); different stories that share a famous
    name stay below 0.1."""
    entity_weight: int = 2
    """How many times an entity counts relative to a single content lemma."""
    same_days: float = 3.0
    """Publication dates this many days apart or closer cost nothing (coverage of
    one event spreads over a few days)."""
    half_life_days: float = 7.0
    """Beyond ``same_days``, similarity halves with every this many days more.
    Documents without a publication date are not penalised."""


class EventGrouper:
    """Clusters every document's ``segments`` into :class:`Event` objects."""

    name = "group"

    def __init__(self, config: GroupConfig | None = None) -> None:
        self.config = config or GroupConfig()

    def __call__(self, corpus) -> None:
        units = [(doc, seg) for doc in corpus.documents for seg in doc.spans("segments")]
        if not units:
            corpus.events = []
            return
        bags = [self._features(doc, seg) for doc, seg in units]
        vectors = TfidfVectorizer(analyzer=lambda bag: bag, sublinear_tf=True, norm="l2").fit_transform(bags)
        similarity = (vectors @ vectors.T).toarray() * self._time_decay([doc for doc, _ in units])
        doc_of = [doc.id for doc, _ in units]
        clusters = average_linkage(similarity, doc_of, self.config.merge_threshold)
        events = [Event(event_id([units[i][1] for i in members]), [units[i][1] for i in members]) for members in clusters]
        events.sort(key=lambda e: (-len(e.document_ids), e.segments[0].doc, e.segments[0].start))
        corpus.events = events

    def _time_decay(self, docs: list[Document]) -> np.ndarray:
        days = np.array([d.meta.published.toordinal() if d.meta.published else np.nan for d in docs], dtype=float)
        gap = np.abs(days[:, None] - days[None, :]) - self.config.same_days
        decay = np.power(0.5, np.clip(gap, 0, None) / self.config.half_life_days)
        return np.where(np.isnan(decay), 1.0, decay)

    def _features(self, doc: Document, segment: Span) -> list[str]:
        bag: list[str] = []
        for sentence in doc.spans("sentences"):
            if segment.contains(sentence.start, sentence.end):
                bag.extend(content_lemmas(sentence.data["sent"]))
        for entity in doc.spans("entities"):
            if segment.contains(entity.start, entity.end):
                bag.extend(["ENT:" + doc.slice(entity).lower()] * self.config.entity_weight)
        return bag


def average_linkage(similarity: np.ndarray, groups: list[str], threshold: float) -> list[list[int]]:
    """Agglomerative clustering; members of one ``groups`` value never merge.

    Repeatedly merges the two clusters with the highest mean pairwise
    similarity until none reaches ``threshold``.  Quadratic in the number of
    items, which is fine for the segments of one collation run.
    """
    clusters: list[list[int]] = [[i] for i in range(len(groups))]
    while len(clusters) > 1:
        best, pair = threshold, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                if {groups[i] for i in clusters[a]} & {groups[i] for i in clusters[b]}:
                    continue
                score = float(similarity[np.ix_(clusters[a], clusters[b])].mean())
                if score >= best:
                    best, pair = score, (a, b)
        if pair is None:
            break
        a, b = pair
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    return clusters


def event_id(segments: list[Span]) -> str:
    """A stable id: the same segments always make the same event id."""
    key = "|".join(f"{s.doc}:{s.start}:{s.end}" for s in sorted(segments, key=lambda s: (s.doc, s.start)))
    return "e" + hashlib.blake2b(key.encode(), digest_size=4).hexdigest()
