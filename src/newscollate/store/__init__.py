"""Store: what newscollate has read and found, kept in one database.

``newscollate ingest`` adds documents to a store; ``newscollate events`` and
``newscollate brief`` read it back.  The default store is one SQLite file
(:func:`default_target`) in WAL mode, so readers keep working while an ingest
writes (beside it: SQLite's ``-wal`` and ``-shm`` files, and ``-stream.lock``,
see :func:`schema.stream_lock`); ``collate`` without a store uses :meth:`Store.memory`.
An ingest killed at any point loses nothing: the next one completes it
(:mod:`newscollate.store.stream`); ``newscollate check`` verifies a store.

    with Store.open("newscollate.db") as store:
        store.add_documents(docs)                   # idempotent: same text, same document
        corpus = run(list(store.documents()))
        store.save_layers(corpus.documents)
        store.save_events(corpus.events, split_brief(build_brief(corpus)))
        for row in store.events():
            print(row.id, row.title, row.documents)

Schema (``migrations/NNNN_*.sql``, versioned in ``schema_version``):

``documents``
    One row per distinct text.  ``id`` is :attr:`Document.id`, the content id
    of the text, so "same content = same document" is the primary key;
    ``content_hash`` (SHA-256, unique) catches a collision of that short id.
    ``text`` is the text exactly as decoded (``\\r\\n``, emoji and all): every
    offset anywhere refers to it.  ``chars`` is ``len(text)``; metadata columns
    are those of :class:`Metadata`; ``ingested_at`` orders documents for
    streaming.
``spans``
    The layers stages add (``removed``, ``segments``, ``title``,
    ``paragraphs``): ``(doc_id, layer, seq)`` keyed, Python ``str`` offsets
    ``start_char``/``end_char``, ``label``, and ``data`` as JSON.
``events``, ``event_segments``
    The events and the spans of documents that report them.  ``collate``-style
    batch runs replace all events (:meth:`Store.save_events`); ``ingest``
    streams new documents into them and rewrites only the events it created,
    grew or merged away (:meth:`Store.update_events`).  An event id is named
    after its founding segment and stays as the event grows.
``lineage`` (migration 0002)
    Per event and document: ``role`` (original, copy, rewrite), ``derives_from``
    (a document of the event) and ``wire`` (the agency its lineage traces to).
``events`` summary columns (migration 0003)
    ``independent_sources``, ``claims`` (copied from the event's brief) and
    ``last_published``: what the events list shows, filters and sorts on
    (:meth:`Store.list_events`) without opening every brief.
``briefs``
    Per event, the ``newscollate.brief/1`` JSON restricted to that event
    (:func:`brief_for_event`): ready to render without re-running anything.

The DDL is portable SQL (TEXT, INTEGER, DATE, TIMESTAMP; natural keys; no
SQLite-only syntax): the same migrations build both backends.  SQLite specifics
are confined to :mod:`newscollate.store.schema`, PostgreSQL ones to
:mod:`newscollate.store.postgres`.

PostgreSQL
----------

``Store.open("postgresql://user:password@host:5432/db")`` (``postgres://`` too;
libpq parameters may follow as ``?sslmode=require``...) opens a store in an
existing database, creating the tables in the first schema of its search path;
the CLI's ``--store`` and ``$NEWSCOLLATE_STORE`` take the same URL.  It needs
psycopg (``pip install 'newscollate[postgres]'``).  :attr:`Store.where` shows the
URL with its password as ``***``.  What differs from SQLite:

* Text cannot hold a NUL character (``\x00``): :meth:`Store.add_documents`
  rejects such a document (:class:`Rejected`, saying so) instead of storing
  it; SQLite stores it as it is.
* The database must use the UTF8 encoding.  Text sorts by the database's
  collation (SQLite: by code point); orderings by id or path follow it.
* Writers take turns on an advisory lock (SQLite: the file's write lock);
  readers never wait.  A writer gives up after :data:`schema.BUSY_TIMEOUT_S`.
* :meth:`Store.integrity_check` runs the store's own checks and a query per
  foreign key; SQLite's page checks have no counterpart.
* There is no in-memory PostgreSQL store: :meth:`Store.memory` is SQLite.
"""

from .briefs import brief_for_event, split_brief
from .schema import StoreError, StoreVersionError
from .catalog import EventFilter, EventPage, EventSummary, OutletRoles
from .events import EventRow
from .store import BATCH_SIZE, PERSISTED_LAYERS, AddResult, Rejected, Store, StoreTarget, default_path, default_target, describe

__all__ = [
    "Store",
    "AddResult",
    "Rejected",
    "EventRow",
    "EventFilter",
    "EventPage",
    "EventSummary",
    "OutletRoles",
    "StoreError",
    "StoreVersionError",
    "brief_for_event",
    "split_brief",
    "default_path",
    "default_target",
    "describe",
    "StoreTarget",
    "BATCH_SIZE",
    "PERSISTED_LAYERS",
]
