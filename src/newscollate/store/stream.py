"""Streaming new documents of a store into its events (what ``newscollate ingest`` runs).

New documents are cleaned and clustered in batches together with the
store's most recent segments (the window of
:class:`newscollate.group.EventStream`, read back from the store), so they
join the events they report and grow them; only the events this creates,
grows or merges away are collated again and rewritten, every other event
and its brief stays as it was.  Memory is bounded by the window, the batch
and the largest changed events, not by the size of the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Document
from ..pipeline import Corpus, cleaned_batches, run
from .briefs import split_brief
from .rows import batches
from .store import BATCH_SIZE, PERSISTED_LAYERS, Store

Progress = Callable[[str], None]


@dataclass
class StreamResult:
    created_or_changed: int
    merged_away: int
    changed_ids: list[str] = field(default_factory=list)
    """Ids of the events created or changed."""


def stream_into_events(
    store: Store, new_ids: Iterable[str], progress: Progress | None = None, parallel: bool = True
) -> StreamResult:
    """Clean and group the stored documents ``new_ids`` into the store's events, then collate
    and save the events that changed.

    With ``parallel`` the clean stage and the parser use worker processes when the input is
    large enough to gain from them; a caller that runs threads (a web server) passes False,
    since forking a threaded process is not safe.
    """
    from ..group import EventGrouper

    grouper = EventGrouper(mode="stream")
    _seed(store, grouper)
    changed: dict = {}
    removed: set[str] = set()
    ids = list(new_ids)
    # what ingest removed (front matter) is kept; the clean stage adds its own findings to it
    fresh = (list(store.documents(batch, layers=("removed",))) for batch in batches(ids, BATCH_SIZE))
    # the clean stage runs a batch ahead in a worker process when there is more than one batch
    for cleaned in cleaned_batches(fresh, background=parallel and len(ids) > BATCH_SIZE):
        if progress:
            progress(f"grouping {len(cleaned)} new documents")
        corpus = run(cleaned, [grouper])
        store.save_layers(corpus.documents)
        for event in corpus.events:
            changed[event.id] = event
        for event_id in grouper.removed:
            changed.pop(event_id, None)
            removed.add(event_id)
    removed -= set(changed)
    for events in _chunks(list(changed.values())):
        if progress:
            progress(f"collating {len(events)} events")
        _collate_and_save(store, events, removed, parallel)
        removed = set()
    if removed:
        store.update_events([], removed=removed)
    return StreamResult(len(changed), len(removed), list(changed))


def _seed(store: Store, grouper) -> None:
    window = grouper.config.window
    recent = store.recent_segments(window.max_items, window.window_days)
    docs = {doc.id: doc for doc in store.documents({s.doc for _, s in recent}, layers=PERSISTED_LAYERS)}
    members = store.event_segments(event for event, _ in recent)
    for event, segment in recent:
        grouper.stream.seed(docs[segment.doc], segment, event, members[event])


def _chunks(events: list) -> Iterable[list]:
    """Events in groups citing at most about :data:`BATCH_SIZE` documents (one event may cite more)."""
    chunk: list = []
    cited: set[str] = set()
    for event in events:
        docs = set(event.document_ids)
        if chunk and len(cited | docs) > BATCH_SIZE:
            yield chunk
            chunk, cited = [], set()
        chunk.append(event)
        cited |= docs
    if chunk:
        yield chunk


def _collate_and_save(store: Store, events: list, removed: set[str], parallel: bool) -> None:
    from ..brief import build_brief
    from ..collate import Collator
    from ..group import LineageAssigner
    from ..nlp import Annotator

    documents: list[Document] = list(store.documents({s.doc for e in events for s in e.segments}, PERSISTED_LAYERS))
    corpus = Corpus(documents, events)
    for component in (LineageAssigner(), Annotator(n_process=None if parallel else 1), Collator()):
        component(corpus)
    store.update_events(events, split_brief(build_brief(corpus)), removed)
