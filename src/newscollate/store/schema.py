"""Connections, transactions and schema migrations of the store.

The schema is a numbered list of migrations, ``migrations/NNNN_name.sql``
beside this module, applied in order.  The table ``schema_version`` records
one row per applied migration (``version``, ``name``, ``applied_at``), so the
store's version is ``MAX(version)``.  Each migration runs in its own
transaction together with its ``schema_version`` row: a migration that fails
leaves the store at the previous version, never half-migrated (SQLite and
PostgreSQL both have transactional DDL).

A store whose version is higher than the newest migration this code ships was
written by a newer newscollate; it is refused with :class:`StoreVersionError`
rather than read with a schema this code does not understand.

The same migrations and queries run on SQLite and PostgreSQL.  What differs
is confined to this module (SQLite: pragmas, ``sqlite_master``, ``BEGIN
IMMEDIATE``) and :mod:`newscollate.store.postgres` (information_schema, an
advisory lock as the write lock, ``?`` placeholders translated for psycopg);
the DDL and the queries elsewhere are portable SQL.  :data:`Connection` is
either an ``sqlite3.Connection`` or a :class:`~newscollate.store.postgres.PgConnection`.
"""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterator, Sequence, Union

from .. import __version__

if TYPE_CHECKING:
    from .postgres import PgConnection

Connection = Union[sqlite3.Connection, "PgConnection"]

BUSY_TIMEOUT_S = 10.0
"""How long a writer waits for another process's write transaction (an ingest
batch holds the lock for well under a second) before giving up."""

_MIGRATION_NAME = re.compile(r"(\d{4})_(\w+)\.sql")


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""


class StoreVersionError(StoreError):
    """The store was written by a newer newscollate than this one."""


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``sql`` takes a store from ``version - 1`` to ``version``."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The SQL statements of the migration, comments dropped, in order."""
        statements, pending = [], ""
        for line in self.sql.splitlines():
            if line.lstrip().startswith("--"):
                continue
            pending += line + "\n"
            if sqlite3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        if pending.strip():
            raise ValueError(f"migration {self.version:04d}_{self.name}: unterminated statement {pending.strip()!r}")
        return statements


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    """The migrations shipped with this code, checked to be numbered 1, 2, ... without gaps."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"store migrations must be numbered 0001, 0002, ... without gaps: {found}")
    return tuple(found)


def latest_version() -> int:
    """The schema version this code writes."""
    return migrations()[-1].version


def is_postgres(conn: Connection) -> bool:
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def driver_errors() -> tuple[type[Exception], ...]:
    """The database drivers' error classes: sqlite3's, and psycopg's once it is loaded."""
    from .postgres import errors

    return (sqlite3.Error, *errors())


def connect(target: str, where: str | None = None) -> Connection:
    """A connection set up for the store at ``target``: a ``postgresql://`` URL
    (see :func:`newscollate.store.postgres.connect`; ``where`` names it in errors)
    or an SQLite file name (or ``":memory:"``).

    For SQLite:
    WAL lets readers (the web UI, ``newscollate events``) run while an ingest
    writes; ``synchronous=NORMAL`` is safe under WAL (a power cut may lose the
    last commits, never corrupt the file or split a transaction); foreign keys
    are off by default in SQLite and must be switched on per connection.
    Transactions are explicit (``isolation_level=None``), see :func:`transaction`.
    """
    from . import postgres

    if postgres.is_url(target):
        return postgres.connect(target, where or postgres.redact(target))
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """A write transaction: committed when the block ends, rolled back if it raises.

    The write lock is taken up front (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL:
    an advisory lock, :meth:`~newscollate.store.postgres.PgConnection.begin_write`),
    so what the block reads (which ids exist, the schema version) cannot change
    before it writes.
    """
    if is_postgres(conn):
        conn.begin_write()
    else:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # some SQLite errors (disk full) have rolled back already; a failed PostgreSQL
        # transaction is still open (aborted) and needs the ROLLBACK
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def stream_lock(conn: Connection) -> Iterator[None]:
    """The store's stream lock, held while new documents are grouped into events: from choosing
    which documents (those in no event) until their events are written.

    One process streams at a time, so two ingests never group the same documents (each would
    write them into an event of its own).  It is not a write lock: other processes keep adding
    documents and reading meanwhile.  Waits as long as another process streams.  The operating
    system or the server drops it when its process dies, so a crash cannot leave it held:
    SQLite: ``flock`` on a file beside the store, ``<store>-stream.lock`` (not on the store's
    own file, whose closing would drop the locks SQLite holds on it); PostgreSQL: a session
    advisory lock.  An in-memory store has one connection and needs none.
    """
    if is_postgres(conn):
        from .postgres import STREAM_LOCK

        while not conn.execute("SELECT pg_try_advisory_lock(?)", (STREAM_LOCK,)).fetchone()[0]:
            time.sleep(0.1)  # polled: a blocking wait would end at the connection's lock_timeout
        try:
            yield
        finally:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(?)", (STREAM_LOCK,))
        return
    main_file = next(file for _, name, file in conn.execute("PRAGMA database_list") if name == "main")
    if not main_file:
        yield
        return
    import fcntl

    with open(main_file + "-stream.lock", "a") as lock:  # closing it releases the lock
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def now() -> str:
    """The current UTC time as an SQL timestamp literal (microseconds, sorts as text)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def schema_version(conn: Connection) -> int:
    """The store's schema version; 0 for a file (or database) that has never been migrated."""
    if not _tables(conn) & {"schema_version"}:
        return 0
    return conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0


def migrate(conn: Connection, where: str, available: Sequence[Migration] | None = None) -> list[int]:
    """Apply the migrations the store lacks, in order; return the versions applied.

    ``where`` names the store in error messages.  Refuses a newer store and a
    database (an SQLite file, a PostgreSQL schema) that holds some other
    application's tables.
    """
    available = migrations() if available is None else tuple(available)
    latest = available[-1].version if available else 0
    version = schema_version(conn)
    _check_version(version, latest, where)
    if version == 0 and (foreign := sorted(t for t in _tables(conn) if not t.startswith("sqlite_"))):
        if is_postgres(conn):
            raise StoreError(
                f"{where} is a PostgreSQL database but not a newscollate store (its schema has tables "
                f"{', '.join(foreign)}); give an empty database or an existing newscollate store"
            )
        raise StoreError(
            f"{where} is an SQLite database but not a newscollate store (it has tables {', '.join(foreign)}); "
            "give a new file or an existing newscollate store"
        )
    applied = []
    for migration in available:
        if migration.version <= version:
            continue
        with transaction(conn):
            # Another process may have migrated while this one waited for the lock.
            version = schema_version(conn)
            _check_version(version, latest, where)
            if migration.version <= version:
                continue
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            for statement in migration.statements():
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, now()),
            )
        applied.append(migration.version)
        version = migration.version
    return applied


def _check_version(version: int, latest: int, where: str) -> None:
    if version > latest:
        raise StoreVersionError(
            f"{where} has store schema version {version}, but this newscollate ({__version__}) only knows "
            f"versions up to {latest}: it was written by a newer newscollate. "
            "Upgrade newscollate to open it (pip install --upgrade newscollate)."
        )


def _tables(conn: Connection) -> set[str]:
    if is_postgres(conn):
        from .postgres import tables

        return tables(conn)
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
