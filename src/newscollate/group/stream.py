"""Streaming event clustering over a bounded window of recent segments.

Documents arrive in batches (an ``ingest`` run, a crawl shard).  Each batch is
clustered together with the *window*: the most recent segments already
assigned, at most ``max_items`` of them and none published more than
``window_days`` before the newest.  Re-clustering the window with the batch
code (:func:`.cluster.cluster_segments`) rather than assigning each arrival
once lets a later report correct an early guess (the first two reports of a
story may look like two events until the third links them), and gives the
same events as batch mode whenever the window holds the whole stream.

Event ids are stable: a cluster takes the id of the event most of its
earlier members belonged to (the earliest such event on a tie); only a
cluster of newcomers gets a new id.  Segments leave the window but stay in
their event, so an event outlives its window presence; memory is bounded by
the window, plus the membership lists of events still present in it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.sparse import csr_matrix

from ..model import Document, Span
from .cluster import ClusterConfig, close_pairs, cluster_segments, tfidf, without_common
from .features import segment_lines
from .minhash import LSHIndex, jaccard
from .readings import SIGNATURE_SIZE, Reading, counts_matrix, reading


@dataclass(frozen=True)
class WindowConfig:
    max_items: int = 4000
    """Segments kept for re-clustering; a day of a large national news output."""
    window_days: float = 10.0
    """Segments published this many days before the newest one leave the window."""


NEAR_DUPLICATE = 0.8
"""MinHash Jaccard similarity of 5-word shingles from which a new segment is a copy of a window
segment (a syndicated copy whose page junk the clean stage removed: 0.9-1.0; rewrites: below 0.3)."""


@dataclass(eq=False)
class _Item:
    doc: Document
    segment: Span
    reading: Reading
    event: str
    source: _Item | None = None
    """The window segment this one is a near-duplicate of: it follows that one's event."""
    embedding: np.ndarray | None = None

    @property
    def signature(self) -> np.ndarray:
        return self.reading.signature

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc.id, self.segment.start, self.segment.end)


@dataclass
class StreamUpdate:
    """What one batch changed: events that gained or lost segments, and ids merged away."""

    changed: dict[str, list[Span]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)


class EventStream:
    """Assigns batches of segments to events that persist across batches."""

    def __init__(self, cluster: ClusterConfig | None = None, window: WindowConfig | None = None) -> None:
        self.cluster_config = cluster or ClusterConfig()
        self.window_config = window or WindowConfig()
        self._window: list[_Item] = []
        self._members: dict[str, list[Span]] = {}
        """Every segment of each event still present in the window."""
        self._seen: dict[tuple[str, int, int], None] = {}
        """Recently added segments, oldest first (a dict keeps insertion order)."""
        self._copies = LSHIndex(NEAR_DUPLICATE, SIGNATURE_SIZE, max_items=self.window_config.max_items * 4)
        """Signatures of the window's clustered segments, to find copies before clustering."""
        self._by_key: dict[tuple[str, int, int], _Item] = {}

    @property
    def window(self) -> list[tuple[Document, Span, str]]:
        """The segments being re-clustered, with their event ids, oldest first."""
        return [(item.doc, item.segment, item.event) for item in self._window]

    def seed(self, doc: Document, segment: Span, event: str, members: list[Span] | None = None) -> None:
        """Put a segment assigned earlier (e.g. read back from a store) into the window."""
        item = _Item(doc, segment, reading(doc, segment), event)
        self._window.append(item)
        self._index(item)
        self._seen[item.key] = None
        self._members.setdefault(event, list(members or []))
        if segment not in self._members[event]:
            self._members[event].append(segment)

    def add(self, units: list[tuple[Document, Span]]) -> StreamUpdate:
        """Cluster ``units`` with the window.

        A segment seen before (the same text arriving again: same document id)
        is skipped; the ids of the last ``max_items`` documents are remembered.
        """
        fresh = []
        for doc, seg in units:
            key = (doc.id, seg.start, seg.end)
            if key in self._seen:
                continue
            self._seen[key] = None
            item = _Item(doc, seg, reading(doc, seg), "")
            item.source = self._near_duplicate(item)
            if item.source is None:
                self._index(item)
            fresh.append(item)
        while len(self._seen) > self.window_config.max_items * 4:
            del self._seen[next(iter(self._seen))]
        originals = [item for item in fresh if item.source is None]
        clustered = [item for item in self._window if item.source is None]
        every = clustered + originals
        counts = counts_matrix([item.reading for item in every])
        vectors = tfidf(counts)
        chosen, links = self._affected(vectors, clustered)
        items = [every[i] for i in chosen]
        groups = cluster_segments(
            counts[chosen],
            [item.doc.id for item in items],
            [item.doc.meta.published for item in items],
            self.cluster_config,
            self._embeddings(items) if self.cluster_config.embedding_share else None,
            settled=[item.event or None for item in items],
            vectors=vectors[chosen],
            links=links,
        )
        update = StreamUpdate()
        before = {id(item): item.event for item in self._window}
        taken: set[str] = set()
        for group in sorted(groups, key=lambda g: min(g)):
            members = [items[i] for i in group]
            votes = Counter(item.event for item in members if item.event)
            earlier = [e for e, _ in sorted(votes.items(), key=lambda kv: (-kv[1], _first_seen(kv[0], members)))]
            event = next((e for e in earlier if e not in taken), None) or event_id([m.segment for m in members])
            if event in taken or (not votes and event in self._members):
                event = event_id([m.segment for m in members], whole=True)
            taken.add(event)
            for item in members:
                item.event = event
        copies = [item for item in self._window + fresh if item.source is not None]
        for item in copies:
            item.event = item.source.event
        self._apply(items + copies, before, update)
        self._window += fresh
        self._evict()
        return update

    def _index(self, item: _Item) -> None:
        self._copies.add(item.key, item.signature)
        self._by_key[item.key] = item

    def _near_duplicate(self, item: _Item) -> _Item | None:
        """The clustered window segment ``item`` is a copy of (MinHash-LSH, then the estimated
        Jaccard similarity), never a segment of the same document."""
        for key in self._copies.query(item.signature):
            found = self._by_key.get(key)
            if found is not None and found.doc.id != item.doc.id and jaccard(item.signature, found.signature) >= NEAR_DUPLICATE:
                return found
        return None

    def _affected(self, vectors: csr_matrix, clustered: list[_Item]) -> tuple[np.ndarray, tuple | None]:
        """Rows to cluster again: the new segments (after the ``clustered`` window segments),
        and every window segment of each event that one of them links to (the rest of the
        window cannot change); and the links among those rows (see ``cluster_segments``):
        the new segments' own, and each window event's members in a chain, as they were
        linked when the event was made."""
        n, old = vectors.shape[0], len(clustered)
        if old == 0 or old == n:
            return np.arange(n), None
        cfg = self.cluster_config
        days = np.array([_ordinal(item.doc) for item in clustered] + [np.nan] * (n - old), dtype=float)
        pruned = without_common(vectors)
        new_rows, linked, new_sims = close_pairs(pruned[old:], pruned[:old], cfg.block_similarity, days[old:], days[:old], cfg)
        touched = {clustered[j].event for j in np.unique(linked)}
        kept = [j for j, item in enumerate(clustered) if item.event in touched]
        chosen = np.array(kept + list(range(old, n)), dtype=np.int64)
        position = np.full(n, -1, dtype=np.int64)
        position[chosen] = np.arange(len(chosen))
        among_new = close_pairs(pruned[old:], pruned[old:], cfg.block_similarity, days[old:], days[old:], cfg)
        last_of: dict[str, int] = {}
        chain_rows, chain_cols = [], []
        for j in kept:
            event = clustered[j].event
            if event in last_of:
                chain_rows.append(last_of[event])
                chain_cols.append(position[j])
            last_of[event] = position[j]
        rows = np.concatenate([position[new_rows + old], position[among_new[0] + old], np.array(chain_rows, dtype=np.int64)])
        cols = np.concatenate([position[linked], position[among_new[1] + old], np.array(chain_cols, dtype=np.int64)])
        sims = np.concatenate([new_sims, among_new[2], np.ones(len(chain_rows))])
        return chosen, (rows, cols, sims)

    @staticmethod
    def _embeddings(items: list[_Item]) -> np.ndarray:
        from .embed import default_embedder

        missing = [item for item in items if item.embedding is None]
        if missing:
            texts = ["\n".join(segment_lines(item.doc, item.segment)) for item in missing]
            for item, row in zip(missing, default_embedder().embed(texts)):
                item.embedding = row
        return np.stack([item.embedding for item in items])

    def _apply(self, items: list[_Item], before: dict[int, str], update: StreamUpdate) -> None:
        for item in items:
            old = before.get(id(item))
            if old == item.event:
                continue
            if old is not None:
                self._members[old].remove(item.segment)
                update.changed[old] = self._members[old]
            self._members.setdefault(item.event, []).append(item.segment)
            update.changed[item.event] = self._members[item.event]
        for event in [e for e, segs in update.changed.items() if not segs]:
            del update.changed[event]
            self._members.pop(event, None)
            update.removed.append(event)

    def _evict(self) -> None:
        """Drop the oldest documents (all segments of each) beyond the window's bounds."""
        cfg = self.window_config
        dates = [item.doc.meta.published for item in self._window if item.doc.meta.published]
        newest = max(dates, default=None)
        keep = [
            item
            for item in self._window
            if newest is None or item.doc.meta.published is None or _days(item.doc.meta.published, newest) <= cfg.window_days
        ]
        if len(keep) > cfg.max_items:
            cut = len(keep) - cfg.max_items
            while 0 < cut < len(keep) and keep[cut].doc.id == keep[cut - 1].doc.id:
                cut += 1
            keep = keep[cut:]
        present = {item.event for item in keep}
        kept = {id(item) for item in keep}
        for item in self._window:
            if id(item) not in kept and self._by_key.get(item.key) is item:
                del self._by_key[item.key]
                self._copies.remove(item.key)
        self._window = keep
        for event in [e for e in self._members if e not in present]:
            del self._members[event]


def event_id(segments: list[Span], whole: bool = False) -> str:
    """A stable id from the event's founding segment (the first one), or from all of them
    (``whole``) when a split leaves the founding segment in a second event."""
    ordered = sorted(segments, key=lambda s: (s.doc, s.start)) if whole else segments[:1]
    key = "|".join(f"{s.doc}:{s.start}:{s.end}" for s in ordered)
    return "e" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()


def _ordinal(doc: Document) -> float:
    return doc.meta.published.toordinal() if doc.meta.published else np.nan


def _first_seen(event: str, members: list[_Item]) -> int:
    return next(i for i, item in enumerate(members) if item.event == event)


def _days(earlier: date, later: date) -> int:
    return (later - earlier).days
