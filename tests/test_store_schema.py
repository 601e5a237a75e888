"""The store's schema: created from nothing, migrated in order, never read by code older than it
(the tests taking ``store_target`` run on SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from newscollate.store import Store, StoreError, StoreVersionError
from newscollate.store.schema import (
    Migration,
    _tables,
    connect,
    driver_errors,
    latest_version,
    migrate,
    migrations,
    schema_version,
)

TABLES = {"schema_version", "documents", "spans", "events", "event_segments", "briefs", "lineage"}


def tables(conn) -> set[str]:
    return _tables(conn)


def test_open_creates_the_file_and_its_folder_with_the_latest_schema(tmp_path):
    path = tmp_path / "nested" / "folder" / "store.db"
    with Store.open(path) as store:
        assert store.schema_version == latest_version()
        assert store.migrate() == []
    conn = connect(str(path))
    assert tables(conn) == TABLES
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    names = [name for (name,) in conn.execute("SELECT name FROM schema_version ORDER BY version")]
    assert names == [m.name for m in migrations()]


def test_an_empty_file_is_migrated(tmp_path):
    path = tmp_path / "store.db"
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert store.schema_version == latest_version()
        assert store.integrity_check() == []


def test_missing_migrations_are_applied_in_order(store_target):
    first = migrations()[0]
    second = Migration(first.version + 1, "add_language", "ALTER TABLE documents ADD COLUMN language TEXT;")
    conn = connect(store_target)
    assert migrate(conn, "test store", [first]) == [1]
    assert migrate(conn, "test store", [first]) == []
    assert migrate(conn, "test store", [first, second]) == [2]
    assert schema_version(conn) == 2
    assert conn.execute("SELECT COUNT(language) FROM documents").fetchone() == (0,)


def test_a_failing_migration_leaves_the_previous_version_whole(store_target):
    first = migrations()[0]
    broken = Migration(2, "broken", "CREATE TABLE extra (x TEXT);\nALTER TABLE no_such_table ADD COLUMN y TEXT;")
    conn = connect(store_target)
    migrate(conn, "test store", [first])
    with pytest.raises(driver_errors(), match="no_such_table"):
        migrate(conn, "test store", [first, broken])
    assert schema_version(conn) == 1
    assert "extra" not in tables(conn)
    assert not conn.in_transaction


def test_a_store_from_a_newer_newscollate_is_refused(store_target):
    path = store_target
    Store.open(path).close()
    conn = connect(path)
    conn.execute(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from_the_future', '2030-01-01 00:00:00')",
        (latest_version() + 1,),
    )
    conn.close()
    with pytest.raises(StoreVersionError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message and f"version {latest_version() + 1}" in message
    assert "Upgrade newscollate" in message


def test_another_applications_database_is_left_alone(store_target):
    conn = connect(store_target)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a newscollate store"):
        Store.open(store_target)
    assert tables(connect(store_target)) == {"notes"}


@pytest.mark.parametrize("make", ["text file", "folder"])
def test_a_path_that_cannot_be_a_store_gives_a_clear_error(tmp_path, make):
    path = tmp_path / "inputs"
    if make == "folder":
        path.mkdir()
    else:
        path.write_text("Wren Valley fair opens. " * 200, encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(str(path))):
        Store.open(path)


def test_migration_files_are_numbered_without_gaps_and_split_into_statements():
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    statements = [s for m in found for s in m.statements()]
    assert all(s.startswith(("CREATE", "ALTER TABLE", "UPDATE")) and s.endswith(";") for s in statements)
    assert sum(s.startswith("CREATE TABLE") for s in statements) == len(TABLES) - 1  # schema_version is bootstrap


def test_ddl_avoids_sqlite_only_constructs_so_it_ports_to_postgresql():
    sqlite_only = ["AUTOINCREMENT", "WITHOUT ROWID", "INSERT OR", "PRAGMA", "STRICT", " BLOB", " JSON"]
    for migration in migrations():
        code = "\n".join(migration.statements()).upper()
        assert not [word for word in sqlite_only if word in code], migration.name
        # Columns are named start_char/end_char: END is reserved in PostgreSQL.
        assert not re.search(r"^\s*(START|END)\s", code, re.MULTILINE)


def test_a_closed_store_cannot_be_used(store_target):
    with Store.open(store_target) as store:
        pass
    with pytest.raises(driver_errors()):
        store.document_count()


def test_an_event_stored_before_the_summary_columns_gets_its_last_publication_date(store_target):
    path = store_target
    conn = connect(path)
    migrate(conn, "test store", migrations()[:2])
    stamp = "2026-03-12 08:00:00.000000"
    conn.execute(
        "INSERT INTO documents (id, content_hash, path, text, chars, published, ingested_at)"
        " VALUES ('d1', 'h1', 'a.txt', 'Ferry news.', 11, '2026-03-11', ?), ('d2', 'h2', 'b.txt', 'Ferry later.', 12, '2026-03-13', ?)",
        (stamp, stamp),
    )
    conn.execute("INSERT INTO events (id, title, created_at, updated_at) VALUES ('e1', 'Ferry', ?, ?)", (stamp, stamp))
    conn.execute("INSERT INTO event_segments VALUES ('e1', 0, 'd1', 0, 11), ('e1', 1, 'd2', 0, 12)")
    conn.close()
    with Store.open(path) as store:
        [event] = store.list_events().events
    assert event.last_published.isoformat() == "2026-03-13" and event.independent_sources is None
