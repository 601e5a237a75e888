"""PostgreSQL behind the store: a connection that speaks the store's SQL.

The store's queries are written once, with ``?`` placeholders as SQLite's
driver takes them.  :class:`PgConnection` wraps a psycopg connection with the
few methods the store calls on an ``sqlite3.Connection`` (``execute``,
``executemany``, ``in_transaction``, ``close``) and translates each query to
psycopg's ``%s`` style, so nothing else in the store knows which database it
talks to.  psycopg is an optional dependency (``pip install
'newscollate[postgres]'``), imported only when a PostgreSQL store is opened.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .schema import BUSY_TIMEOUT_S, StoreError

URL_SCHEMES = ("postgresql://", "postgres://")

WRITE_LOCK = 0x6E657773  # "news": the advisory lock key every write transaction of a store holds
"""Advisory locks are per database, so stores in different databases never wait for each other."""

STREAM_LOCK = WRITE_LOCK + 1
"""The advisory lock key of :func:`newscollate.store.schema.stream_lock` (held for a session, not a transaction)."""

CONNECT_TIMEOUT_S = 10
"""How long to wait for the server to answer before saying it cannot be reached."""

INSTALL_HINT = "pip install 'newscollate[postgres]'"

# A quoted literal, a placeholder, or a percent sign (which psycopg reads as the start of one).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|%")


def is_url(target: object) -> bool:
    """True for a ``postgresql://`` or ``postgres://`` URL (a str; a Path is always a file)."""
    return isinstance(target, str) and target.lower().startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """``url`` with its password (in the authority or a ``password=`` parameter) shown as ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.partition(':')[0]}:***@{host}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(key.lower() == "password" for key, _ in pairs):
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="*/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


@lru_cache(maxsize=512)
def to_psycopg(sql: str) -> str:
    """``sql`` with ``?`` placeholders as ``%s`` and literal ``%`` doubled (also inside quotes:
    psycopg scans the whole query); a ``?`` inside a quoted literal stays a question mark."""

    def swap(token: re.Match) -> str:
        text = token[0]
        if text == "?":
            return "%s"
        return text.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


class PgConnection:
    """A psycopg connection in autocommit mode, used like the store's ``sqlite3.Connection``.

    Autocommit makes every read its own short transaction, as in SQLite; writes
    are grouped explicitly by :func:`newscollate.store.schema.transaction`.
    """

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence | None = None) -> Any:
        """Run one statement; the psycopg cursor returned iterates and fetches like sqlite3's."""
        return self.raw.execute(to_psycopg(sql), tuple(params) if params is not None else ())

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(to_psycopg(sql), rows)

    def begin_write(self) -> None:
        """Start a write transaction holding the store's write lock, like SQLite's ``BEGIN IMMEDIATE``.

        Writers read before they write (which ids are stored, the schema
        version); one writer at a time keeps what they read true until they
        commit.  Readers are never blocked.
        """
        self.execute("BEGIN")
        self.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return self.raw.closed


def errors() -> tuple[type[Exception], ...]:
    """The driver's base error class, once psycopg has been imported (empty before)."""
    import sys

    psycopg = sys.modules.get("psycopg")
    return (psycopg.Error,) if psycopg is not None else ()


def connect(url: str, where: str) -> PgConnection:
    """A connection to the store at ``url``; :class:`StoreError` naming ``where`` when psycopg is
    missing, the server cannot be reached or the database cannot hold the store's text."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(f"{where} is a PostgreSQL store, which needs psycopg: {INSTALL_HINT}") from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, client_encoding="UTF8")
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"cannot connect to the PostgreSQL store {where}: {reason}") from None
    try:
        # A writer waits for another's write lock as long as an SQLite writer would (busy_timeout).
        raw.execute(f"SET lock_timeout = '{int(BUSY_TIMEOUT_S * 1000)}ms'")
        encoding = raw.execute("SHOW server_encoding").fetchone()[0]
    except psycopg.Error as exc:
        raw.close()
        raise StoreError(f"cannot use the PostgreSQL store {where}: {exc}") from None
    if encoding.upper() not in ("UTF8", "UTF-8"):
        raw.close()
        raise StoreError(
            f"{where} uses the {encoding} encoding, which cannot hold every text: "
            "give a database created with ENCODING 'UTF8'"
        )
    return PgConnection(raw)


def tables(conn: PgConnection) -> set[str]:
    """The tables of the schema the store lives in (the first of the search path)."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return {row[0] for row in rows}


def foreign_keys(conn: PgConnection) -> list[tuple[str, str, str, str]]:
    """``(table, column, parent table, parent column)`` of every foreign key in the store's schema
    (each of the store's foreign keys has one column)."""
    return conn.execute(
        "SELECT k.table_name, k.column_name, u.table_name, u.column_name"
        " FROM information_schema.table_constraints c"
        " JOIN information_schema.key_column_usage k"
        "  ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name"
        " JOIN information_schema.constraint_column_usage u"
        "  ON u.constraint_schema = c.constraint_schema AND u.constraint_name = c.constraint_name"
        " WHERE c.constraint_type = 'FOREIGN KEY' AND c.table_schema = current_schema()"
        " ORDER BY k.table_name, k.column_name"
    ).fetchall()
