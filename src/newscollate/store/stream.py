"""Streaming new documents of a store into its events (what ``newscollate ingest`` runs).

New documents are cleaned and clustered in batches together with the
store's most recent segments (the window of
:class:`newscollate.group.EventStream`, read back from the store), so they
join the events they report and grow them; only the events this creates,
grows or merges away are collated again and rewritten, every other event
and its brief stays as it was.  Memory is bounded by the window, the batch
and the largest changed events, not by the size of the store.

A crash (a kill, a power cut) at any point loses nothing: every write is one
transaction (a batch of documents, a batch's layers, a unit of events with the
events it took segments from, see :func:`_write_units`), and a document is
streamed until an event cites it, so the next stream (the next ``ingest``)
groups what the crashed one had stored but not yet written into events.
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

    Documents an interrupted ingest left in no event are streamed too, and a document an event
    cites already is not streamed again, so streaming after a crash completes what the crashed
    run began.  Holds the store's stream lock (:meth:`Store.streaming`) throughout.

    With ``parallel`` the clean stage and the parser use worker processes when the input is
    large enough to gain from them; a caller that runs threads (a web server) passes False,
    since forking a threaded process is not safe.
    """
    with store.streaming():
        return _stream(store, _pending(store, new_ids), progress, parallel)


def _pending(store: Store, new_ids: Iterable[str]) -> list[str]:
    """What to stream: ``new_ids``, after the stored documents an earlier ingest left in no
    event (it was killed before writing their events: a rerun finds them already stored, so
    nothing else would ever group them); never a document an event cites already."""
    pending = dict.fromkeys(store.ids_in_no_event())
    new = {doc_id: None for doc_id in new_ids if doc_id in pending}
    return [doc_id for doc_id in pending if doc_id not in new] + list(new)


def _stream(store: Store, ids: list[str], progress: Progress | None, parallel: bool) -> StreamResult:
    from ..group import EventGrouper

    grouper = EventGrouper(mode="stream")
    owners = _seed(store, grouper)
    changed: dict = {}
    removed: set[str] = set()
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
    for events, merged in _chunks(_write_units(list(changed.values()), removed, owners)):
        if progress:
            progress(f"collating {len(events)} events")
        _collate_and_save(store, events, merged, parallel)
    return StreamResult(len(changed), len(removed), list(changed))


def _seed(store: Store, grouper) -> dict[tuple[str, int, int], str]:
    """Put the store's recent segments into ``grouper``'s window; return the stored event of
    every segment of their events (only those can be regrouped)."""
    window = grouper.config.window
    recent = store.recent_segments(window.max_items, window.window_days)
    docs = {doc.id: doc for doc in store.documents({s.doc for _, s in recent}, layers=PERSISTED_LAYERS)}
    members = store.event_segments(event for event, _ in recent)
    for event, segment in recent:
        grouper.stream.seed(docs[segment.doc], segment, event, members[event])
    return {(s.doc, s.start, s.end): event for event, segments in members.items() for s in segments}


def _write_units(events: list, removed: set[str], owners: dict[tuple[str, int, int], str]) -> list[tuple[list, set]]:
    """The changed events and the ids merged away, in units that must be written in one
    transaction: an event with every stored event it took a segment from (one merged into it,
    one it split from).  Written apart, a crash between the two writes would leave a segment in
    two events, or a merged event deleted before its segments are in the event that took them."""
    parent: dict[str, str] = {}

    def root(event_id: str) -> str:
        while parent.get(event_id, event_id) != event_id:
            event_id = parent[event_id]
        return event_id

    for event in events:
        for segment in event.segments:
            owner = owners.get((segment.doc, segment.start, segment.end))
            if owner is not None and root(owner) != root(event.id):
                parent[root(owner)] = root(event.id)
    units: dict[str, tuple[list, set[str]]] = {}
    for event in events:
        units.setdefault(root(event.id), ([], set()))[0].append(event)
    for event_id in removed:
        units.setdefault(root(event_id), ([], set()))[1].add(event_id)
    return list(units.values())


def _chunks(units: list[tuple[list, set[str]]]) -> Iterable[tuple[list, set[str]]]:
    """Write units packed into groups citing at most about :data:`BATCH_SIZE` documents (one unit may cite more)."""
    events: list = []
    merged: set[str] = set()
    cited: set[str] = set()
    for unit_events, unit_merged in units:
        docs = {doc_id for event in unit_events for doc_id in event.document_ids}
        if (events or merged) and len(cited | docs) > BATCH_SIZE:
            yield events, merged
            events, merged, cited = [], set(), set()
        events += unit_events
        merged |= unit_merged
        cited |= docs
    if events or merged:
        yield events, merged


def _collate_and_save(store: Store, events: list, removed: set[str], parallel: bool) -> None:
    from ..brief import build_brief
    from ..collate import Collator
    from ..group import LineageAssigner
    from ..nlp import Annotator

    if not events:
        store.update_events([], removed=removed)
        return
    documents: list[Document] = list(store.documents({s.doc for e in events for s in e.segments}, PERSISTED_LAYERS))
    corpus = Corpus(documents, events)
    for component in (LineageAssigner(), Annotator(n_process=None if parallel else 1), Collator()):
        component(corpus)
    store.update_events(events, split_brief(build_brief(corpus)), removed)
