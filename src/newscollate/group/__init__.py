"""Group: story segments into events, and each event's syndication lineage.

Two components, run after the clean stage (they need its ``segments`` and
``removed`` layers, not the NLP stage):

* :class:`EventGrouper` clusters segments into :class:`Event` objects, either
  all at once (``mode="batch"``) or as batches arriving over time
  (``mode="stream"``: the component keeps a bounded window of recent segments
  between calls, see :mod:`.stream`); :mod:`.cluster` says how.
* :class:`LineageAssigner` gives each document of an event a role
  (``original``, ``copy``, ``rewrite``) and what it derives from, see
  :mod:`.lineage`; a brief counts independent sources from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..model import Document, Span
from .cluster import ClusterConfig, cluster_segments
from .lineage import Lineage, assign_lineage, independent_sources
from .stream import EventStream, StreamUpdate, WindowConfig, event_id

__all__ = [
    "ClusterConfig",
    "Event",
    "EventGrouper",
    "EventStream",
    "GroupConfig",
    "Lineage",
    "LineageAssigner",
    "WindowConfig",
    "cluster_segments",
    "event_id",
    "group_components",
    "independent_sources",
]

Mode = Literal["batch", "stream"]


@dataclass
class Event:
    """Segments judged to report the same real-world event."""

    id: str
    segments: list[Span]
    data: dict = field(default_factory=dict)
    """What later stages derive: ``lineage`` (document id -> :class:`Lineage`), claims, quotes..."""

    @property
    def document_ids(self) -> list[str]:
        return list(dict.fromkeys(s.doc for s in self.segments))


@dataclass(frozen=True)
class GroupConfig:
    cluster: ClusterConfig = ClusterConfig()
    window: WindowConfig = WindowConfig()


class EventGrouper:
    """Sets ``corpus.events``: the events holding the corpus's segments.

    In batch mode these are all events of the corpus.  In stream mode the
    grouper remembers earlier calls: the events returned are those this call
    created or changed, with all their segments still in memory (earlier
    documents included), and ``self.removed`` lists ids merged away.
    """

    name = "group"

    def __init__(self, config: GroupConfig | None = None, mode: Mode = "batch") -> None:
        if mode not in ("batch", "stream"):
            raise ValueError(f"mode must be 'batch' or 'stream', not {mode!r}")
        self.config = config or GroupConfig()
        self.mode = mode
        self.stream = EventStream(self.config.cluster, self.config.window) if mode == "stream" else None
        self.removed: list[str] = []

    def __call__(self, corpus) -> None:
        units = [(doc, seg) for doc in corpus.documents for seg in doc.spans("segments")]
        unbounded = WindowConfig(max_items=len(units) or 1, window_days=float("inf"))
        stream = self.stream or EventStream(self.config.cluster, unbounded)
        update: StreamUpdate = stream.add(units)
        self.removed = update.removed
        events = [Event(event, list(segments)) for event, segments in update.changed.items()]
        own = corpus.by_id()
        corpus.context = {doc.id: doc for doc, _, _ in stream.window if doc.id not in own}
        known = corpus.cited()
        for event in events:
            event.segments.sort(key=lambda s: (_published_key(known.get(s.doc)), s.doc, s.start))
        events.sort(key=lambda e: (-len(e.document_ids), e.segments[0].doc, e.segments[0].start))
        corpus.events = events


class LineageAssigner:
    """Sets ``event.data["lineage"]`` for every event: document id -> :class:`Lineage`.

    Documents of an event that neither the corpus nor its context holds
    (stream mode: earlier batches that left the window) are left out of the
    comparison.
    """

    name = "lineage"

    def __call__(self, corpus) -> None:
        docs = corpus.cited()
        for event in corpus.events:
            # one segment per document: its longest in the event (in stream mode an event may
            # hold a segment that left the window and, later, another of the same page)
            longest: dict[str, Span] = {}
            for s in event.segments:
                if s.doc in docs and (s.doc not in longest or len(s) > len(longest[s.doc])):
                    longest[s.doc] = s
            units = [(docs[doc_id], s) for doc_id, s in longest.items()]
            if len(units) == 1:
                event.data["lineage"] = {units[0][0].id: Lineage()}
            else:
                event.data["lineage"] = assign_lineage(units) if units else {}


def group_components(mode: Mode = "batch", config: GroupConfig | None = None) -> list:
    """The group stage's components: event clustering, then lineage."""
    return [EventGrouper(config, mode), LineageAssigner()]


def _published_key(doc: Document | None) -> int:
    return doc.meta.published.toordinal() if doc is not None and doc.meta.published else 0
