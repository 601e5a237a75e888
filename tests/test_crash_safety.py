"""Crash safety: ``newscollate ingest`` killed with SIGKILL at random points, then run again to the
end, loses no document, stores none twice, and leaves a sound store holding exactly what one
uninterrupted ingest stores: the same documents and layers, the same events (one per story).

The kills are triggered by what the store holds (seeded random thresholds on the documents stored,
cleaned and in events, and random delays after them), so that they land inside each phase of an
ingest however loaded the machine is: while documents are added, while they are cleaned and
grouped, while events are collated and written.  Also ``newscollate check``, the integrity check a
user runs after a crash.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from newscollate.store import Store

from . import pg_server
from .conftest import store_target_for
from .fixtures.ingest.builders import article_html, warc_record, warcinfo

SEED = int(os.environ.get("NEWSCOLLATE_CRASH_SEED", "8"))
"""Another seed gives other kill points (soak runs set it); the default keeps ``make test`` repeatable."""
STORIES, VERSIONS = 30, 5
BATCH = 20
"""Documents per transaction in these runs (the CLI writes 500): 150 documents then make eight of each
kind of write, for the kills to land between and inside."""

# The real command line, with smaller write batches than the shipped ones (which would make one
# transaction of each kind for this corpus).
LAUNCHER = """
import sys
from newscollate.store import store, stream
store.BATCH_SIZE = stream.BATCH_SIZE = int(sys.argv.pop(1))
store.Store.add_documents.__defaults__ = (store.BATCH_SIZE,)
from newscollate.cli import main
sys.argv[0] = "newscollate"
main()
"""

# --- a corpus of fictional stories, each told by several outlets in three formats -----------------

_SYLLABLES = "ka lo mer dun vel tor bri sa nek ol rim fa gor thal pen quil ash mo zer ind".split()


def build_corpus(folder: Path, stories: int = STORIES, seed: int = 7) -> None:
    """Write ``stories`` stories x VERSIONS reworded versions into ``folder``: one version of each
    as a text file, one as a line of ``wire.jsonl``, the others as pages in ``crawl.warc``.  Each
    story has its own invented vocabulary, so which documents report the same event does not depend
    on the order they arrive in; each version ends in a line of its own, so no line repeats across
    documents (the clean stage would remove it as boilerplate)."""
    rng = random.Random(seed)
    words = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("n", "s", "")]
    rng.shuffle(words)
    folder.mkdir(parents=True)
    jsonl, warc = [], [warcinfo()]
    for story in range(stories):
        vocab = words[story * 30 : (story + 1) * 30]
        title = " ".join(vocab[:3]).title()
        sentences = [" ".join(rng.choices(vocab, k=rng.randint(12, 18))).capitalize() + "." for _ in range(5)]
        for version in range(VERSIONS):
            told = [s if rng.random() < 0.85 else s.replace(" ", f" {rng.choice(vocab)} ", 1) for s in sentences]
            paragraphs = [" ".join(told[:2]), " ".join(told[2:]), " ".join(rng.sample(words, 6)).capitalize() + "."]
            published = f"2026-04-{1 + story % 3:02d}"  # within the stream window of days
            if version == 0:
                text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
                (folder / f"story{story:02d}-{version}.txt").write_text(text, encoding="utf-8")
            elif version == 1:
                url = f"https://outlet{version}.example/{story}"
                text = "\n\n".join(paragraphs)
                record = {"text": text, "title": title, "url": url, "date": published, "source": f"Outlet {version}"}
                jsonl.append(json.dumps(record))
            else:
                stamp = f"{published}T08:00:00Z"
                page = article_html(paragraphs, title=title, site=f"Weekly {version}", published=stamp)
                warc.append(warc_record(f"https://weekly{version}.example/{story}", page.encode()))
    (folder / "wire.jsonl").write_text("\n".join(jsonl) + "\n", encoding="utf-8")
    (folder / "crawl.warc").write_bytes(b"".join(warc))


# --- running and killing the real CLI ----------------------------------------------------------------


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, str(BATCH), *args]


def ingest(corpus: Path, target: str) -> subprocess.CompletedProcess:
    command = cli("ingest", str(corpus), "--store", target, "--quiet")
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@dataclass(frozen=True)
class State:
    """What an ingest has committed: documents stored, documents given segments (cleaned and
    grouped), documents cited by an event."""

    documents: int = 0
    cleaned: int = 0
    in_events: int = 0


class Probe:
    """Reads the store's :class:`State` while an ingest writes it, without creating or locking it."""

    QUERIES = {
        "documents": "SELECT COUNT(*) FROM documents",
        "cleaned": "SELECT COUNT(DISTINCT doc_id) FROM spans WHERE layer = 'segments'",
        "in_events": "SELECT COUNT(DISTINCT doc_id) FROM event_segments",
    }

    def __init__(self, target: str) -> None:
        self.target = target
        self.conn = None

    def count(self, what: str) -> int:
        try:
            if self.conn is None:
                self.conn = self._connect()
            return self.conn.execute(self.QUERIES[what]).fetchone()[0]
        except Exception:  # noqa: BLE001 - no store or no tables yet: nothing committed
            return 0

    def state(self) -> State:
        return State(**{what: self.count(what) for what in self.QUERIES})

    def _connect(self):
        if self.target.startswith("postgresql://"):
            import psycopg

            return psycopg.connect(self.target, autocommit=True)
        if not Path(self.target).exists():
            raise FileNotFoundError(self.target)
        return sqlite3.connect(f"file:{self.target}?mode=ro", uri=True, isolation_level=None)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def phase(before: State, after: State, total: int) -> str:
    """Where in an ingest a kill landed, from what the killed run had committed."""
    if after == before:
        return "before its first commit"
    if after.documents < total:
        return "adding documents"
    if after.in_events == before.in_events:
        return "cleaning and grouping"
    if after.in_events < total:
        return "writing events"
    return "after its last write"


def kill_plan(rng: random.Random, thorough: bool) -> list[tuple[str | None, float, float]]:
    """``(what, fraction, delay)``: kill ``delay`` seconds after ``fraction`` of the ``what`` (a
    :class:`State` field) missing at the start of the run has been committed (``what`` None:
    ``delay`` seconds after the start).  In this order they reach each phase of an ingest; not
    ``thorough``: one kill per phase."""
    adding = ("documents", rng.uniform(0.1, 0.6), 0)
    grouping = ("cleaned", 0, rng.uniform(0, 0.3))  # a batch is grouped, more are to come
    anywhere = (None, 0, rng.uniform(1.0, 4.0))
    events = [("in_events", rng.uniform(low, high), rng.uniform(0, 0.2)) for low, high in ((0.1, 0.5), (0.5, 0.8))]
    return [adding, grouping, anywhere, *events] if thorough else [adding, grouping, events[0]]


def ingest_killed(corpus: Path, target: str, total: int, plan: tuple) -> tuple[State, State, bool]:
    """Run ingest and SIGKILL it (with the clean stage's worker) as ``plan`` says; return the store's
    state before and after, and whether the kill landed (False: the run had finished)."""
    what, fraction, delay = plan
    probe = Probe(target)
    try:
        before = probe.state()
        goal = None if what is None else getattr(before, what) + max(1, int(fraction * (total - getattr(before, what))))
        proc = subprocess.Popen(cli("ingest", str(corpus), "--store", target, "--quiet"), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        while goal is not None and proc.poll() is None and probe.count(what) < goal:
            time.sleep(0.01)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        landed = proc.wait(timeout=60) == -signal.SIGKILL
        return before, probe.state(), landed
    finally:
        probe.close()


# --- what a store holds ---------------------------------------------------------------------------


def expected(folder: Path) -> dict:
    """What an ingest of ``folder`` must store, found without the CLI: the documents the readers
    make, the layers the clean stage gives them (this corpus has no line that repeats across
    documents, so cleaning does not depend on which documents are cleaned together), and one
    event per story."""
    from newscollate.clean import default_cleaners
    from newscollate.ingest import ingest as read
    from newscollate.pipeline import run

    docs = run(read([str(folder)]).documents, default_cleaners()).documents
    stories: dict[str, set[str]] = {}
    for doc in docs:
        title = doc.meta.title or doc.text.partition("\n")[0]  # a text file's title is its first line
        stories.setdefault(title, set()).add(doc.id)
    return {
        "documents": sorted((d.id, d.path, d.text, d.meta) for d in docs),
        "layers": {d.id: {name: spans for name, spans in d.layers.items() if spans} for d in docs},
        "events": sorted(map(sorted, stories.values())),
    }


def stored(target: str) -> dict:
    """What the store at ``target`` holds, in the terms of :func:`expected`, after checking that it
    is sound: its integrity check passes, every segment is in exactly one event, every event has a
    brief of exactly its documents."""
    with Store.open(target) as store:
        assert store.integrity_check() == []
        docs = list(store.documents())
        members = store.event_segments(row.id for row in store.events())
        briefs = {event: store.brief(event) for event in members}
    cited = sorted((s.doc, s.start, s.end) for segments in members.values() for s in segments)
    assert cited == sorted((d.id, s.start, s.end) for d in docs for s in d.spans("segments"))
    for event, segments in members.items():
        assert set(briefs[event]["events"][0]["documents"]) == {s.doc for s in segments}
    return {
        "documents": sorted((d.id, d.path, d.text, d.meta) for d in docs),
        "layers": {d.id: d.layers for d in docs},
        "events": sorted(sorted({s.doc for s in segments}) for segments in members.values()),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    build_corpus(folder)
    return folder, expected(folder)


def test_ingest_killed_at_random_points_then_rerun_loses_and_duplicates_nothing(corpus, backend, request, tmp_path):
    if backend == "postgresql" and not pg_server.required():
        pytest.skip(f"on PostgreSQL (about 20 s more) where it is required: {pg_server.ENV_REQUIRE}=1, as in CI")
    folder, want = corpus
    total = len(want["documents"])
    assert total == STORIES * VERSIONS and len(want["events"]) == STORIES
    rng = random.Random(SEED)
    landed: list[str] = []
    with store_target_for(backend, request, tmp_path) as target:
        # one kill per phase on PostgreSQL: what it adds is the server rolling back a dropped
        # connection's transaction and releasing its locks, which any kill shows
        plans = kill_plan(rng, thorough=backend == "sqlite")
        for plan in plans:
            before, after, killed = ingest_killed(folder, target, total, plan)
            landed.append(phase(before, after, total) if killed else "finished first")
            print(f"kill {plan}: {before} -> {after}: {landed[-1]}")
        final = ingest(folder, target)
        assert final.returncode == 0, final.stderr
        got = stored(target)
        if backend == "sqlite":
            with closing(sqlite3.connect(target)) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert got["documents"] == want["documents"]
    assert got["layers"] == want["layers"]
    # Identical events: the stories are told in words no other story uses, so grouping does not
    # depend on which documents arrive in which run.  (In general the events may differ from one
    # run's as any two ingests in a different order may; no document is in none or in two.)
    assert got["events"] == want["events"]
    # a test that cannot fail is no test: the kills must have hit the store mid-ingest
    assert len(landed) - landed.count("finished first") >= len(plans) - 1, landed
    assert {"adding documents", "cleaning and grouping", "writing events"} <= set(landed), landed


def test_an_event_is_written_together_with_the_events_it_took_segments_from(monkeypatch):
    from types import SimpleNamespace

    from newscollate.model import Span
    from newscollate.store import stream

    def event(event_id, *docs):
        return SimpleNamespace(id=event_id, segments=[Span(d, 0, 5) for d in docs], document_ids=list(docs))

    owners = {("a", 0, 5): "B", ("b", 0, 5): "B", ("c", 0, 5): "R"}
    grown, shrunk, other = event("A", "a", "new"), event("B", "b"), event("C", "c", "e")
    units = stream._write_units([grown, other, shrunk], {"R"}, owners)
    assert sorted((sorted(e.id for e in events), merged) for events, merged in units) == [
        (["A", "B"], set()),  # A took a segment of B: a crash between their writes would cite it twice
        (["C"], {"R"}),  # C took R's segments: R is deleted when they are in C, not before
    ]
    monkeypatch.setattr(stream, "BATCH_SIZE", 1)  # every unit its own transaction, never split
    assert [sorted(e.id for e in events) for events, _ in stream._chunks(units)] == [["A", "B"], ["C"]]


# --- newscollate check ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """A store of a few documents of the corpus, cleaned and grouped in process (without briefs:
    collating them would cost more than all of this; only ``check`` runs as a command)."""
    from newscollate.clean import default_cleaners
    from newscollate.group import EventGrouper
    from newscollate.ingest import ingest as read
    from newscollate.pipeline import run

    folder = tmp_path_factory.mktemp("check")
    build_corpus(folder / "corpus", stories=2)
    path = folder / "store.db"
    docs = read([str(folder / "corpus")]).documents
    corpus = run(docs, [*default_cleaners(), EventGrouper()])
    with Store.open(path) as store:
        store.add_documents(corpus.documents)
        store.save_events(corpus.events)
    return path


def check(target) -> subprocess.CompletedProcess:
    return subprocess.run(cli("check", "--store", str(target)), capture_output=True, text=True, timeout=120)


def test_check_passes_a_sound_store(small_store):
    result = check(small_store)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and "is sound: 10 documents, 2 events" in result.stderr


def test_check_names_a_text_edited_in_place_and_a_segment_in_two_events(small_store, tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(small_store.read_bytes())
    with sqlite3.connect(damaged) as conn:
        doc_id, path = conn.execute("SELECT id, path FROM documents ORDER BY id LIMIT 1").fetchone()
        conn.execute("UPDATE documents SET text = upper(text) WHERE id = ?", (doc_id,))
        event_id, segment_doc, start, end = conn.execute(
            "SELECT event_id, doc_id, start_char, end_char FROM event_segments LIMIT 1"
        ).fetchone()
        other = conn.execute("SELECT id FROM events WHERE id != ? LIMIT 1", (event_id,)).fetchone()[0]
        conn.execute("INSERT INTO event_segments VALUES (?, 99, ?, ?, ?)", (other, segment_doc, start, end))
    result = check(damaged)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"segment {start}:{end} of document {segment_doc} is in 2 events",
        f"the text of document {doc_id} ({path}) has changed since it was stored",
    ]
    assert "2 problems" in result.stderr and "Traceback" not in result.stderr


def test_check_reports_a_damaged_file_without_a_traceback(small_store, tmp_path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(small_store.read_bytes())
    data[4096 * 3 : 4096 * 4] = b"\xff" * 4096  # a page of the tables overwritten
    damaged.write_bytes(data)
    result = check(damaged)
    print(result.stdout, result.stderr)
    assert result.returncode == 1 and result.stdout.strip()
    assert "Traceback" not in result.stdout + result.stderr
    missing = check(tmp_path / "absent.db")
    assert missing.returncode == 1 and "no store at" in missing.stderr
