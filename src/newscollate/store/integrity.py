"""Integrity check of a store: is every stored offset still a valid slice of its text?

SQLite's own checks find broken pages and dangling foreign keys (PostgreSQL
keeps its pages to itself; its foreign keys are checked with a query per key,
since a server-side ``session_replication_role`` or a restore can bypass them).
What they cannot know is the store's one promise: a span names ``text[start:end]`` of a
document whose text is exactly what was read.  So the check also recomputes
each text's content id, hash and length (a text edited in place would make
every offset into it lie), that no segment is in two events, and validates
every stored brief.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterator

from ..model import content_id
from ..render import validate_brief
from .briefs import check_event_brief
from .schema import Connection, is_postgres, latest_version, schema_version

_PAGE = 500


def integrity_problems(conn: Connection, where: str) -> list[str]:
    """Every problem found in the store behind ``conn``, one sentence each; empty when it is sound."""
    problems = [] if is_postgres(conn) else [f"{where}: {problem}" for problem in _sqlite_problems(conn)]
    if problems:
        return problems  # a damaged file cannot be trusted to answer the queries below
    for check in (_version_problems, _foreign_key_problems, _span_problems, _text_problems, _brief_problems):
        problems += check(conn)
    return problems


def _sqlite_problems(conn: Connection) -> Iterator[str]:
    for (message,) in conn.execute("PRAGMA integrity_check"):
        if message != "ok":
            yield f"SQLite integrity check: {message}"


def _version_problems(conn: Connection) -> Iterator[str]:
    version = schema_version(conn)
    if version != latest_version():
        yield f"the store is at schema version {version}, this newscollate writes {latest_version()}"


def _foreign_key_problems(conn: Connection) -> Iterator[str]:
    if not is_postgres(conn):
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            yield f"a row of {table} (rowid {rowid}) refers to a missing row of {parent}"
        return
    from .postgres import foreign_keys

    # Names come from the catalog, not from input: safe to splice in.
    for table, column, parent, key in foreign_keys(conn):
        for (value,) in conn.execute(
            f"SELECT DISTINCT c.{column} FROM {table} c LEFT JOIN {parent} p ON p.{key} = c.{column}"
            f" WHERE c.{column} IS NOT NULL AND p.{key} IS NULL ORDER BY 1"
        ):
            yield f"a row of {table} ({column} {value}) refers to a missing row of {parent}"


def _span_problems(conn: Connection) -> Iterator[str]:
    outside = "s.start_char < 0 OR s.end_char < s.start_char OR s.end_char > d.chars"
    for doc_id, layer, seq, start, end, chars in conn.execute(
        "SELECT s.doc_id, s.layer, s.seq, s.start_char, s.end_char, d.chars"
        f" FROM spans s JOIN documents d ON d.id = s.doc_id WHERE {outside} ORDER BY s.doc_id, s.layer, s.seq"
    ):
        yield f"span {layer}[{seq}] {start}:{end} of document {doc_id} is outside its text (0:{chars})"
    for event_id, seq, doc_id, start, end, chars in conn.execute(
        "SELECT s.event_id, s.seq, s.doc_id, s.start_char, s.end_char, d.chars"
        f" FROM event_segments s JOIN documents d ON d.id = s.doc_id WHERE {outside} ORDER BY s.event_id, s.seq"
    ):
        yield f"segment {seq} of event {event_id}, {start}:{end}, is outside the text of document {doc_id} (0:{chars})"
    # events partition the segments: one in two events would be counted, collated and shown twice
    for doc_id, start, end, events in conn.execute(
        "SELECT doc_id, start_char, end_char, COUNT(DISTINCT event_id) FROM event_segments"
        " GROUP BY doc_id, start_char, end_char HAVING COUNT(DISTINCT event_id) > 1 ORDER BY doc_id, start_char"
    ):
        yield f"segment {start}:{end} of document {doc_id} is in {events} events"


def _text_problems(conn: Connection) -> Iterator[str]:
    # Paged by id so that memory stays flat on a large store.
    after = ""
    while rows := conn.execute(
        "SELECT id, path, text, content_hash, chars FROM documents WHERE id > ? ORDER BY id LIMIT ?", (after, _PAGE)
    ).fetchall():
        for doc_id, path, text, digest, chars in rows:
            if content_id(text) != doc_id or hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
                yield f"the text of document {doc_id} ({path}) has changed since it was stored"
            elif len(text) != chars:
                yield f"document {doc_id} ({path}) records {chars} characters but its text has {len(text)}"
        after = rows[-1][0]


def _brief_problems(conn: Connection) -> Iterator[str]:
    for event_id, schema_id, body in conn.execute("SELECT event_id, schema_id, body FROM briefs ORDER BY event_id"):
        try:
            brief = json.loads(body)
            check_event_brief(event_id, brief)
            validate_brief(brief)
        except ValueError as exc:  # json.JSONDecodeError is one
            yield f"the brief of event {event_id} is not a valid {schema_id} brief: {exc}"
