"""Read queries for browsing a store: the events list with its filters, outlets and their
lineage roles, and one document with its layers.  What the web UI and the JSON API show.

Portable SQL like the rest of the store (``NULLS LAST``, ``LIKE`` with an escape
character, ``CASE``): SQLite 3.30+ and PostgreSQL both run it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .rows import as_date, as_datetime
from .schema import Connection

LIKE_ESCAPE = "\\"
_SUMMARY = (
    "SELECT e.id, e.title, e.documents, e.independent_sources, e.claims, e.first_published, e.last_published,"
    " e.updated_at FROM events e"
)
_EVENTS_OF_DOCUMENTS = "SELECT s.event_id FROM event_segments s JOIN documents d ON d.id = s.doc_id WHERE"


@dataclass(frozen=True)
class EventFilter:
    """What the events list is narrowed to; every field optional."""

    text: str | None = None
    """Words that must all appear (case-insensitive) in the event's title or in the title of one of its documents."""
    since: date | None = None
    """Only events with a document published on or after this day."""
    until: date | None = None
    """Only events with a document published on or before this day."""
    outlet: str | None = None
    """Only events that a document of this outlet (exact name) reports."""


@dataclass(frozen=True)
class EventSummary:
    """One line of the events list."""

    id: str
    title: str | None
    documents: int
    independent_sources: int | None
    """As the event's brief counts them; None for an event saved by a newscollate before 0.x that has no count yet."""
    claims: int | None
    first_published: date | None
    last_published: date | None
    updated_at: datetime
    outlets: list[str] = field(default_factory=list)
    """Outlets (document ``source``) reporting the event, most documents first."""


@dataclass(frozen=True)
class EventPage:
    """A page of the events list, newest first, and how many events match in all."""

    events: list[EventSummary]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class OutletRoles:
    """How often an outlet's documents are originals, copies or rewrites in their events' lineage."""

    outlet: str
    documents: int
    original: int
    copy: int
    rewrite: int
    events: int


class CatalogQueries:
    """Browsing reads; mixed into :class:`~newscollate.store.Store`."""

    _conn: Connection

    def list_events(self, where: EventFilter = EventFilter(), limit: int = 50, offset: int = 0) -> EventPage:
        """The events matching ``where``, newest first (latest publication, then latest update).

        Reads the summary columns of ``events`` (migration 0003), so a page costs the same
        however many events the store holds; a filter on words or an outlet first finds the
        documents that match, then their events.
        """
        conditions, params = _conditions(where)
        clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        total = self._conn.execute(f"SELECT COUNT(*) FROM events e{clause}", params).fetchone()[0]
        rows = self._conn.execute(
            f"{_SUMMARY}{clause} ORDER BY e.last_published DESC NULLS LAST, e.updated_at DESC, e.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return EventPage(self._summaries(rows), total, limit, offset)

    def event_version(self, event_id: str) -> datetime | None:
        """When the event was last saved (its brief changes only then); None if there is no such event."""
        row = self._conn.execute("SELECT updated_at FROM events WHERE id = ?", (event_id,)).fetchone()
        return as_datetime(row[0]) if row else None

    def version(self) -> tuple:
        """Changes whenever a document or an event is added, changed or removed: what a cache of
        pages drawn from the whole store is keyed by."""
        events = self._conn.execute("SELECT COUNT(*), MAX(updated_at) FROM events").fetchone()
        documents = self._conn.execute("SELECT MAX(ingested_at) FROM documents").fetchone()
        return (*events, *documents)

    def outlets(self) -> list[str]:
        """Every outlet name (document ``source``) in the store, alphabetically."""
        rows = self._conn.execute("SELECT DISTINCT source FROM documents WHERE source IS NOT NULL ORDER BY source")
        return [row[0] for row in rows]

    def outlet_roles(self) -> list[OutletRoles]:
        """Per outlet, its documents and how often the lineage of their events makes them an
        original, a copy or a rewrite; most documents first.  A document in no event counts
        in ``documents`` only."""
        rows = self._conn.execute(
            "SELECT COALESCE(d.source, ''), COUNT(DISTINCT d.id),"
            " SUM(CASE WHEN l.role = 'original' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN l.role = 'copy' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN l.role = 'rewrite' THEN 1 ELSE 0 END),"
            " COUNT(DISTINCT l.event_id)"
            " FROM documents d LEFT JOIN lineage l ON l.doc_id = d.id"
            " GROUP BY COALESCE(d.source, '') ORDER BY COUNT(DISTINCT d.id) DESC, COALESCE(d.source, '')"
        ).fetchall()
        return [OutletRoles(name, docs, orig or 0, copy or 0, rewrite or 0, events) for name, docs, orig, copy, rewrite, events in rows]

    def document_events(self, doc_id: str) -> list[tuple[str, str | None]]:
        """``(event id, title)`` of the events a document reports."""
        return self._conn.execute(
            "SELECT DISTINCT e.id, e.title FROM event_segments s JOIN events e ON e.id = s.event_id"
            " WHERE s.doc_id = ? ORDER BY e.id",
            (doc_id,),
        ).fetchall()

    def _summaries(self, rows: list[tuple]) -> list[EventSummary]:
        outlets = self._event_outlets([row[0] for row in rows])
        return [
            EventSummary(i, title, n, sources, claims, as_date(first), as_date(last), as_datetime(updated), outlets.get(i, []))
            for i, title, n, sources, claims, first, last, updated in rows
        ]

    def _event_outlets(self, event_ids: list[str]) -> dict[str, list[str]]:
        if not event_ids:
            return {}
        marks = ", ".join("?" * len(event_ids))
        rows = self._conn.execute(
            "SELECT s.event_id, d.source, COUNT(DISTINCT d.id) FROM event_segments s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.event_id IN ({marks}) AND d.source IS NOT NULL"
            " GROUP BY s.event_id, d.source ORDER BY s.event_id, COUNT(DISTINCT d.id) DESC, d.source",
            event_ids,
        )
        found: dict[str, list[str]] = {}
        for event_id, source, _ in rows:
            found.setdefault(event_id, []).append(source)
        return found


def _conditions(where: EventFilter) -> tuple[list[str], list]:
    """SQL conditions on an ``events`` row ``e``, and their parameters."""
    conditions: list[str] = []
    params: list = []
    for word in (where.text or "").split():
        pattern = "%" + _escape_like(word.lower()) + "%"
        conditions.append(
            f"(LOWER(COALESCE(e.title, '')) LIKE ? ESCAPE '{LIKE_ESCAPE}'"
            f" OR e.id IN ({_EVENTS_OF_DOCUMENTS} LOWER(COALESCE(d.title, '')) LIKE ? ESCAPE '{LIKE_ESCAPE}'))"
        )
        params += [pattern, pattern]
    if where.since:
        conditions.append("e.last_published >= ?")
        params.append(where.since.isoformat())
    if where.until:
        conditions.append("e.first_published <= ?")
        params.append(where.until.isoformat())
    if where.outlet:
        conditions.append(f"e.id IN ({_EVENTS_OF_DOCUMENTS} d.source = ?)")
        params.append(where.outlet)
    return conditions, params


def _escape_like(text: str) -> str:
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
