"""The event tables of the :class:`~newscollate.store.Store`: events, their segments,
lineage and briefs.

Events are written in two ways: :meth:`EventTables.save_events` replaces all
of them (a batch collation of the whole store), :meth:`EventTables.update_events`
only those a stream of new documents created, grew or merged away (an
``ingest``), leaving every other event and its brief as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Protocol

from ..model import Span
from .briefs import check_event_brief
from .rows import as_date, as_datetime, to_json
from .schema import Connection, StoreError, now, transaction


@dataclass(frozen=True)
class EventRow:
    """One stored event as listed by :meth:`EventTables.events`."""

    id: str
    title: str | None
    documents: int
    """Distinct documents with a segment in the event."""
    first_published: date | None
    last_published: date | None
    """Publication dates of the earliest and latest of those documents that have one."""
    created_at: datetime
    """When an event with these segments was first saved (UTC)."""
    updated_at: datetime
    """When it was last saved (UTC)."""


class EventLike(Protocol):
    """What the event writers need of an event: :class:`newscollate.group.Event` has it
    (``data["lineage"]``, document id -> :class:`newscollate.group.Lineage`, is optional)."""

    id: str
    segments: list[Span]
    data: dict


class EventTables:
    """Event reads and writes; mixed into :class:`~newscollate.store.Store`."""

    _conn: Connection
    where: str
    # _select_in(sql, values) comes from Store

    def save_events(self, events: Iterable[EventLike], briefs: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """Replace all stored events (their segments, lineage and briefs) with ``events``, in one transaction.

        ``briefs`` maps event ids to that event's brief (:func:`brief_for_event`,
        or all at once :func:`split_brief`); an event's title is taken from its
        brief.  An event whose id was stored before keeps its ``created_at``.
        Every segment's document must be stored.
        """
        self._write_events(list(events), dict(briefs or {}), replace_all=True, removed=())

    def update_events(
        self,
        events: Iterable[EventLike],
        briefs: Mapping[str, Mapping[str, Any]] | None = None,
        removed: Iterable[str] = (),
    ) -> None:
        """Replace only ``events`` (new or changed) and delete the ``removed`` ids (merged into
        others), in one transaction; other stored events stay as they are."""
        self._write_events(list(events), dict(briefs or {}), replace_all=False, removed=tuple(removed))

    def _write_events(self, events: list, briefs: dict, replace_all: bool, removed: tuple[str, ...]) -> None:
        ids = [event.id for event in events]
        if len(set(ids)) != len(ids):
            raise ValueError("event ids are not unique")
        if unknown := sorted(set(briefs) - set(ids)):
            raise ValueError(f"brief for event {unknown[0]!r}, which is not among the events saved")
        for event_id, brief in briefs.items():
            check_event_brief(event_id, brief)
        doc_ids = list(dict.fromkeys(s.doc for event in events for s in event.segments))
        stamp = now()
        with transaction(self._conn):
            # which cited documents exist, and their dates for the events' summary columns, in one read
            cited = dict(self._select_in("SELECT id, published FROM documents WHERE id IN ({})", doc_ids))
            if missing := [i for i in doc_ids if i not in cited]:
                raise StoreError(f"an event cites document {missing[0]}, which is not in {self.where}; add it first")
            created = dict(self._conn.execute("SELECT id, created_at FROM events"))
            tables = (("briefs", "event_id"), ("lineage", "event_id"), ("event_segments", "event_id"), ("events", "id"))
            for table, key in tables:
                if replace_all:
                    self._conn.execute(f"DELETE FROM {table}")
                else:
                    self._conn.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(i,) for i in [*ids, *removed]])
            published = {doc_id: day for doc_id, day in cited.items() if day is not None}
            self._conn.executemany(
                "INSERT INTO events (id, title, created_at, updated_at, documents, first_published, last_published,"
                " independent_sources, claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (e.id, _brief_title(briefs.get(e.id)), created.get(e.id, stamp), stamp,
                     *_published_range(e, published), *_brief_counts(briefs.get(e.id)))  # fmt: skip
                    for e in events
                ],
            )
            self._conn.executemany(
                "INSERT INTO event_segments (event_id, seq, doc_id, start_char, end_char) VALUES (?, ?, ?, ?, ?)",
                [(e.id, n, s.doc, s.start, s.end) for e in events for n, s in enumerate(e.segments)],
            )
            self._conn.executemany(
                "INSERT INTO lineage (event_id, doc_id, role, derives_from, wire, similarity) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (e.id, doc_id, found.role, found.derives_from, found.wire, float(found.similarity))
                    for e in events
                    for doc_id, found in getattr(e, "data", {}).get("lineage", {}).items()
                ],
            )
            self._conn.executemany(
                "INSERT INTO briefs (event_id, schema_id, body, created_at) VALUES (?, ?, ?, ?)",
                [(i, brief["schema"], to_json(brief), stamp) for i, brief in briefs.items()],
            )

    def event_segments(self, event_ids: Iterable[str]) -> dict[str, list[Span]]:
        """The stored segments of each of ``event_ids`` (an unknown id has none)."""
        ids = list(dict.fromkeys(event_ids))
        found: dict[str, list[Span]] = {i: [] for i in ids}
        rows = self._select_in(
            "SELECT event_id, doc_id, start_char, end_char FROM event_segments WHERE event_id IN ({})"
            " ORDER BY event_id, seq",
            ids,
        )
        for event_id, doc_id, start, end in rows:
            found[event_id].append(Span(doc_id, start, end))
        return found

    def recent_segments(self, limit: int, window_days: float) -> list[tuple[str, Span]]:
        """``(event id, segment)`` of the ``limit`` most recently published (then ingested)
        segments, none published more than ``window_days`` before the newest one; oldest first.

        What a stream of new documents is clustered with (see :mod:`newscollate.group.stream`).
        """
        rows = self._conn.execute(
            "SELECT s.event_id, s.doc_id, s.start_char, s.end_char, d.published"
            " FROM event_segments s JOIN documents d ON d.id = s.doc_id"
            " ORDER BY d.published IS NULL, d.published DESC, d.ingested_at DESC, s.doc_id, s.seq LIMIT ?",
            (limit,),
        ).fetchall()
        newest = max((as_date(r[4]) for r in rows if r[4]), default=None)
        kept = [
            (event_id, Span(doc_id, start, end))
            for event_id, doc_id, start, end, published in rows
            if newest is None or published is None or (newest - as_date(published)).days <= window_days
        ]
        return kept[::-1]

    def events(self) -> list[EventRow]:
        """The stored events, most documents first."""
        rows = self._conn.execute(
            "SELECT e.id, e.title, COUNT(DISTINCT s.doc_id), MIN(d.published), MAX(d.published),"
            " e.created_at, e.updated_at"
            " FROM events e LEFT JOIN event_segments s ON s.event_id = e.id LEFT JOIN documents d ON d.id = s.doc_id"
            " GROUP BY e.id, e.title, e.created_at, e.updated_at ORDER BY COUNT(DISTINCT s.doc_id) DESC, e.id"
        )
        return [
            EventRow(i, title, n, as_date(first), as_date(last), as_datetime(created), as_datetime(updated))
            for i, title, n, first, last, created, updated in rows
        ]

    def brief(self, event_id: str) -> dict[str, Any] | None:
        """The stored brief of event ``event_id`` (a ``newscollate.brief/1`` dict), None if there is none."""
        body = self.brief_text(event_id)
        return json.loads(body) if body is not None else None

    def brief_text(self, event_id: str) -> str | None:
        """The stored brief of event ``event_id`` as the JSON text it is stored as, None if there is none."""
        row = self._conn.execute("SELECT body FROM briefs WHERE event_id = ?", (event_id,)).fetchone()
        return row[0] if row else None


def _brief_title(brief: Mapping[str, Any] | None) -> str | None:
    return brief["events"][0].get("title") if brief else None


def _published_range(event: EventLike, published: Mapping[str, Any]) -> tuple[int, Any, Any]:
    """The event's distinct documents, and the earliest and latest of their publication dates."""
    docs = {s.doc for s in event.segments}
    days = [published[d] for d in docs if d in published]
    return len(docs), min(days, default=None), max(days, default=None)


def _brief_counts(brief: Mapping[str, Any] | None) -> tuple[int | None, int | None]:
    """The event's independent sources and claims, as its brief counts them."""
    if not brief:
        return None, None
    event = brief["events"][0]
    return event.get("independent_sources"), len(event.get("claims", []))
