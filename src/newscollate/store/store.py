"""The :class:`Store`: documents, their layers, events and briefs in one SQLite file
or a PostgreSQL database.

See the package docstring for the schema.  Writes are batched: every
:data:`BATCH_SIZE` documents make one transaction, so an ingest of any size
streams with flat memory and a crash leaves each batch either whole or absent.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence, Union

from ..model import Document, Span
from . import postgres, schema
from .catalog import CatalogQueries
from .events import EventTables
from .integrity import integrity_problems
from .rows import (
    DOC_INSERT_COLUMNS,
    DOCS_BY_ID,
    FIRST_PAGE,
    NEXT_PAGE,
    SPAN_COLUMNS,
    batches,
    document_from_row,
    document_row,
    span_rows,
)
from .schema import Connection, StoreError, now, stream_lock, transaction

PERSISTED_LAYERS = ("removed", "segments", "title", "paragraphs")
"""The layers kept by default: what the clean stage found.  Linguistic layers
(sentences, entities) are cheap to recompute and hold spaCy objects."""

BATCH_SIZE = 500
"""Documents per write transaction and per read query."""

DEFAULT_FILENAME = "newscollate.db"

StoreTarget = Union[str, "os.PathLike[str]"]
"""What :meth:`Store.open` takes: an SQLite file name, or a ``postgresql://`` URL (a str)."""


def default_target() -> str:
    """Where the store lives unless told otherwise: ``$NEWSCOLLATE_STORE`` (a file name or a
    ``postgresql://`` URL), else ``./newscollate.db``."""
    return os.environ.get("NEWSCOLLATE_STORE") or DEFAULT_FILENAME


def default_path() -> Path:
    """The default store as a file path (:func:`default_target` is also right for a URL)."""
    return Path(default_target())


def describe(target: StoreTarget) -> str:
    """How messages name the store at ``target``: the file name, or the URL without its password."""
    return postgres.redact(target) if postgres.is_url(target) else str(target)


@dataclass(frozen=True)
class Rejected:
    """A document :meth:`Store.add_documents` could not store, and why."""

    path: str
    id: str
    reason: str


@dataclass
class AddResult:
    """What :meth:`Store.add_documents` did with the documents it was given."""

    added: int = 0
    """New texts, now stored."""
    present: int = 0
    """Texts the store already had (same content, same document): left as they were."""
    rejected: list[Rejected] = field(default_factory=list)
    """Documents that could not be stored (an id collision, text that is not valid Unicode)."""
    added_ids: list[str] = field(default_factory=list)
    """The ids of the ``added`` documents, in the order they were stored."""

    @property
    def total(self) -> int:
        return self.added + self.present + len(self.rejected)


class Store(EventTables, CatalogQueries):
    """A newscollate store: an SQLite file in WAL mode, or a PostgreSQL database.

    Open one with :meth:`open` (a file, created and migrated as needed, or a
    ``postgresql://`` URL) or :meth:`memory`, and close it with :meth:`close`
    or a ``with`` block.  One ``Store`` per thread; several processes may share
    a store (readers never block, writers queue for up to
    :data:`schema.BUSY_TIMEOUT_S` seconds).
    """

    def __init__(self, conn: Connection, where: str) -> None:
        """Use :meth:`open` or :meth:`memory`."""
        self._conn = conn
        self.where = where
        """The store's file name, its URL without the password, or ``"in-memory store"``: how errors name it."""

    # --- life cycle -----------------------------------------------------------

    @classmethod
    def open(cls, target: StoreTarget) -> Store:
        """Open the store at ``target``, creating the file (and its folder) and migrating it as needed.

        ``target`` is a file name, or a ``postgresql://user:password@host:port/database``
        URL (``postgres://`` too; any libpq parameter may follow as ``?name=value``): the
        database must exist, the store's tables are created in it (in the first schema of
        its search path) when missing.  Raises :class:`StoreError` when ``target`` cannot be
        a store or cannot be reached, and :class:`StoreVersionError` when a newer
        newscollate wrote it.
        """
        if postgres.is_url(target):
            where = describe(target)
            return cls._ready(schema.connect(str(target), where), where)
        path = Path(target)
        if path.is_dir():
            raise StoreError(f"{path} is a folder; give the store's file name, e.g. {path / DEFAULT_FILENAME}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = schema.connect(str(path))
        except (OSError, sqlite3.Error) as exc:
            raise _open_error(str(path), exc) from None
        return cls._ready(conn, str(path))

    @classmethod
    def memory(cls) -> Store:
        """A store that lives in memory and is gone when closed (``collate`` without a store)."""
        return cls._ready(schema.connect(":memory:"), "in-memory store")

    @classmethod
    def _ready(cls, conn: Connection, where: str) -> Store:
        try:
            schema.migrate(conn, where)
        except schema.driver_errors() as exc:
            conn.close()
            raise _open_error(where, exc) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, where)

    def migrate(self) -> list[int]:
        """Apply any missing schema migrations (:meth:`open` already does); return the versions applied."""
        return schema.migrate(self._conn, self.where)

    @property
    def schema_version(self) -> int:
        return schema.schema_version(self._conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.where!r})"

    # --- documents ------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document], batch_size: int = BATCH_SIZE) -> AddResult:
        """Store documents not stored yet, with their :data:`PERSISTED_LAYERS`.

        Idempotent: a document whose text is already stored (same content, same
        id) is counted in ``present`` and left as it was, its metadata and
        layers included (use :meth:`save_layers` to update layers).  ``docs`` is
        consumed lazily, ``batch_size`` documents per transaction; if anything
        raises, the batch being written is rolled back and earlier batches stay.
        """
        result = AddResult()
        for batch in batches(docs, batch_size):
            self._add_batch(batch, result)
        return result

    def _add_batch(self, batch: list[Document], result: AddResult) -> None:
        candidates: dict[str, tuple[Document, tuple]] = {}  # the first copy of each id in the batch
        present = 0
        rejected: list[Rejected] = []
        stamp = now()
        nul_free = schema.is_postgres(self._conn)
        for doc in batch:
            try:
                row = document_row(doc, stamp, nul_free)
            except ValueError as exc:
                rejected.append(Rejected(doc.path, doc.id, str(exc)))
                continue
            if doc.id in candidates:
                present += _same_or_collision(doc, candidates[doc.id][1][1], row[1], rejected)
            else:
                candidates[doc.id] = (doc, row)
        with transaction(self._conn):
            stored = dict(self._select_in("SELECT id, content_hash FROM documents WHERE id IN ({})", list(candidates)))
            new = []
            for doc, row in candidates.values():
                if doc.id in stored:
                    present += _same_or_collision(doc, stored[doc.id], row[1], rejected)
                else:
                    new.append((doc, row))
            self._conn.executemany(
                f"INSERT INTO documents ({DOC_INSERT_COLUMNS}) VALUES ({', '.join('?' * 11)})"
                " ON CONFLICT (id) DO NOTHING",
                [row for _, row in new],
            )
            self._insert_spans(span for doc, _ in new for span in span_rows(doc, PERSISTED_LAYERS))
        # Counted only once the batch is committed: a rolled-back batch added nothing.
        result.added += len(new)
        result.added_ids.extend(doc.id for doc, _ in new)
        result.present += present
        result.rejected.extend(rejected)

    def save_layers(self, docs: Document | Iterable[Document], layers: Sequence[str] = PERSISTED_LAYERS) -> None:
        """Replace the stored spans of ``layers`` with those ``docs`` carry now (absent layer: none).

        The documents must be stored already (:meth:`add_documents`).  Written
        :data:`BATCH_SIZE` documents per transaction.
        """
        layers = tuple(layers)
        for batch in batches([docs] if isinstance(docs, Document) else docs, BATCH_SIZE):
            latest = {doc.id: doc for doc in batch}
            rows = [row for doc in latest.values() for row in span_rows(doc, layers)]
            with transaction(self._conn):
                found = {row[0] for row in self._select_in("SELECT id FROM documents WHERE id IN ({})", list(latest))}
                if missing := [doc for doc in latest.values() if doc.id not in found]:
                    raise StoreError(
                        f"document {missing[0].id} ({missing[0].path}) is not in {self.where}; add_documents first"
                    )
                self._conn.executemany(
                    "DELETE FROM spans WHERE doc_id = ? AND layer = ?", [(i, layer) for i in latest for layer in layers]
                )
                self._insert_spans(rows)

    def documents(self, ids: Iterable[str] | None = None, layers: Iterable[str] | None = None) -> Iterator[Document]:
        """Stored documents with their metadata and stored layers (or only ``layers``).

        All of them in ingest order when ``ids`` is None, else each id once in
        the order given (:class:`KeyError` for one not stored).  Reads
        :data:`BATCH_SIZE` documents at a time and holds no cursor between
        them, so the store may be written while this is iterated.  To run the
        pipeline again, read with ``layers=()``: stages then start from the text.
        """
        wanted = None if layers is None else tuple(layers)
        if ids is not None:
            for chunk in batches(dict.fromkeys(ids), BATCH_SIZE):
                found = {doc.id: doc for doc in self._build(self._select_in(DOCS_BY_ID, chunk), wanted)}
                for doc_id in chunk:
                    if doc_id not in found:
                        raise KeyError(f"no document {doc_id!r} in {self.where}")
                    yield found[doc_id]
            return
        # Keyset pagination: each page is a fresh query starting after the last row seen.
        rows = self._conn.execute(FIRST_PAGE, (BATCH_SIZE,)).fetchall()
        while rows:
            yield from self._build(rows, wanted)
            last = rows[-1]
            rows = self._conn.execute(NEXT_PAGE, (last[8], last[1], last[0], BATCH_SIZE)).fetchall()

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """``{id: text}`` for the given documents (what the renderers need); :class:`KeyError` for one not stored."""
        ids = list(dict.fromkeys(ids))
        found = dict(self._select_in("SELECT id, text FROM documents WHERE id IN ({})", ids))
        if missing := [i for i in ids if i not in found]:
            raise KeyError(f"no document {missing[0]!r} in {self.where}")
        return {i: found[i] for i in ids}

    def ids_in_no_event(self) -> list[str]:
        """Ids of the stored documents that no event cites, in ingest order: those an ingest
        added but has not grouped yet, those an interrupted ingest left ungrouped, and those
        in which the clean stage found no story."""
        rows = self._conn.execute(
            "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM event_segments s WHERE s.doc_id = d.id)"
            " ORDER BY d.ingested_at, d.path, d.id"
        )
        return [doc_id for (doc_id,) in rows]

    def streaming(self) -> AbstractContextManager[None]:
        """Hold the store's stream lock for a ``with`` block (see :func:`newscollate.store.schema.stream_lock`):
        what :func:`newscollate.store.stream.stream_into_events` holds while it groups documents."""
        return stream_lock(self._conn)

    def document_count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # --- checks -----------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """Problems found in the store, one sentence each; an empty list when it is sound.

        Runs SQLite's own checks (page structure, foreign keys), then checks
        that every span lies inside its document's text, that every text still
        has its content id, hash and length, that no segment is in two events,
        and that every brief is valid.
        Reads the whole store: minutes for millions of documents.
        """
        return integrity_problems(self._conn, self.where)

    # --- helpers ----------------------------------------------------------------

    def _select_in(self, sql: str, values: list, extra: Sequence = ()) -> list[tuple]:
        """Rows of ``sql``, whose ``IN ({})`` is filled with ``values`` in chunks; ``extra`` binds later ``?``."""
        rows: list[tuple] = []
        for start in range(0, len(values), BATCH_SIZE):
            chunk = values[start : start + BATCH_SIZE]
            rows += self._conn.execute(sql.format(", ".join("?" * len(chunk))), [*chunk, *extra]).fetchall()
        return rows

    def _insert_spans(self, rows: Iterable[tuple]) -> None:
        self._conn.executemany(f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _build(self, rows: list[tuple], layers: tuple[str, ...] | None) -> list[Document]:
        docs = {row[0]: document_from_row(row) for row in rows}
        if layers == ():
            return list(docs.values())
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE doc_id IN ({{}})"
        if layers is not None:
            sql += f" AND layer IN ({', '.join('?' * len(layers))})"
        sql += " ORDER BY doc_id, layer, seq"
        for doc_id, layer, _, start, end, label, data in self._select_in(sql, list(docs), layers or ()):
            span = Span(doc_id, start, end, label, json.loads(data) if data else {})
            docs[doc_id].layers.setdefault(layer, []).append(span)
        return list(docs.values())


def _open_error(where: str, exc: Exception) -> StoreError:
    if not isinstance(exc, sqlite3.Error):  # PostgreSQL: the server's message says it
        return StoreError(f"cannot open store {where}: {' '.join(str(exc).split())}")
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        # "file is not a database", "database disk image is malformed"
        return StoreError(f"{where} is not a usable newscollate store ({exc}); give a new file name or a store")
    return StoreError(f"cannot open store {where}: {exc}")


def _same_or_collision(doc: Document, stored_hash: str, new_hash: str, rejected: list[Rejected]) -> int:
    """1 if the stored text is ``doc``'s (already present), else record the id collision and return 0."""
    if stored_hash == new_hash:
        return 1
    rejected.append(Rejected(doc.path, doc.id, f"a different text with the same id {doc.id} is already stored"))
    return 0
