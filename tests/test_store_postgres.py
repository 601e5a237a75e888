"""What only a PostgreSQL store has: URLs (and their passwords) in messages, placeholders translated
for psycopg, clear errors without psycopg or a server, one writer at a time, and the CLI and web
application on a ``postgresql://`` store.  The store's behaviour itself is tested on both backends
by the other store tests."""

from __future__ import annotations

import socket
import sys
import threading

import pytest
from typer.testing import CliRunner

from newscollate.cli import app
from newscollate.model import Document
from newscollate.store import Store, StoreError, describe
from newscollate.store.postgres import is_url, redact, to_psycopg
from newscollate.store.schema import _tables, connect, latest_version, migrations

from . import pg_server
from .conftest import REPO

TABLES = {"schema_version", "documents", "spans", "events", "event_segments", "briefs", "lineage"}


@pytest.fixture
def database(postgres_server):
    with pg_server.fresh_database(postgres_server) as url:
        yield url


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


# --- without a server -------------------------------------------------------------------------


def test_urls_are_told_from_files_and_named_without_their_password():
    assert is_url("postgresql://ada@127.0.0.1/news") and is_url("postgres://db.example/news")
    assert not is_url("postgresql.db") and not is_url("stores/news.db")
    assert describe("postgresql://ada:s3cret@db.example:5433/news?sslmode=require") == (
        "postgresql://ada:***@db.example:5433/news?sslmode=require"
    )
    assert "s3cret" not in redact("postgres://db.example/news?password=s3cret&sslmode=require")
    assert describe("postgresql://ada@127.0.0.1/news") == "postgresql://ada@127.0.0.1/news"
    assert describe("stores/news.db") == "stores/news.db"


def test_queries_are_translated_once_for_psycopg():
    sql = "SELECT x FROM t WHERE a LIKE ? ESCAPE '\\' AND b = '50% off?' AND c IN (?, ?)"
    assert to_psycopg(sql) == "SELECT x FROM t WHERE a LIKE %s ESCAPE '\\' AND b = '50%% off?' AND c IN (%s, %s)"
    assert to_psycopg("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"


def test_without_psycopg_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(StoreError, match=r"pip install 'newscollate\[postgres\]'"):
        Store.open("postgresql://ada:s3cret@127.0.0.1/news")


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect to the PostgreSQL store") as caught:
        Store.open(f"postgresql://ada:s3cret@127.0.0.1:{closed_port()}/news?connect_timeout=3")
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


def test_the_cli_explains_an_unreachable_store_without_a_traceback(monkeypatch):
    pytest.importorskip("psycopg")
    url = f"postgresql://ada@127.0.0.1:{closed_port()}/news?connect_timeout=3"
    monkeypatch.setenv("NEWSCOLLATE_STORE", url)
    result = CliRunner().invoke(app, ["events"])
    assert result.exit_code == 1 and "cannot connect to the PostgreSQL store" in result.stderr
    assert "Traceback" not in result.output


# --- with a server ----------------------------------------------------------------------------


def test_open_creates_the_tables_in_the_database(database):
    with Store.open(database) as store:
        assert store.schema_version == latest_version() and store.migrate() == []
        assert store.where == database
    conn = connect(database)
    assert _tables(conn) == TABLES
    names = [name for (name,) in conn.execute("SELECT name FROM schema_version ORDER BY version")]
    assert names == [m.name for m in migrations()]
    conn.close()


def test_writers_take_turns(database):
    """Two stores adding the same documents at once: each text is stored once, nothing fails
    (without the write lock both would insert the same spans)."""
    docs = [Document.from_text(f"Report {i}: the Wren Valley ferry ran late.\n", f"ferry/{i}.txt") for i in range(60)]
    for doc in docs:
        doc.add("paragraphs", 0, 10)
    Store.open(database).close()  # migrated once, before the race
    results, failures = [], []
    start = threading.Barrier(2, timeout=30)

    def add() -> None:
        try:
            with Store.open(database) as store:
                start.wait()
                results.append(store.add_documents(docs, batch_size=5))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sum(r.added for r in results) == len(docs) and sum(r.present for r in results) == len(docs)
    with Store.open(database) as store:
        assert store.document_count() == len(docs) and store.integrity_check() == []


def test_ingest_events_and_brief_on_a_postgresql_store(database, tmp_path):
    runner = CliRunner()
    festival = str(REPO / "examples" / "festival")
    first = runner.invoke(app, ["ingest", festival, "--store", database])
    assert first.exit_code == 0, first.output
    assert "2 documents added" in first.stderr
    listed = runner.invoke(app, ["events", "--store", database, "--json"])
    assert listed.exit_code == 0 and listed.stdout.strip()
    event_id = listed.stdout.splitlines()[0].split('"id": "')[1].split('"')[0]
    shown = runner.invoke(app, ["brief", event_id, "--store", database, "--out", str(tmp_path / "brief")])
    assert shown.exit_code == 0, shown.output
    assert (tmp_path / "brief" / "brief.html").is_file()


def test_the_web_application_serves_a_postgresql_store(database):
    from fastapi.testclient import TestClient

    from newscollate.web import WebSettings, create_app

    text = "The Wren Valley ferry resumed sailing on Monday after the storm, the harbour office said.\n"
    with TestClient(create_app(WebSettings(store=database))) as client:
        added = client.post("/api/documents", json={"documents": [{"text": text, "title": "Ferry back"}]})
        assert added.status_code == 201, added.text
        events = client.get("/api/events").json()
        assert events["total"] >= 1
        assert client.get(f"/events/{events['events'][0]['id']}").status_code == 200
