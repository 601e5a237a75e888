"""Events and their briefs in the store, one event's brief cut from a whole brief, and the integrity check
(on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from newscollate.model import Document, Metadata, Span, content_id
from newscollate.render import validate_brief
from newscollate.store import Store, StoreError, brief_for_event, split_brief
from newscollate.store.schema import connect, driver_errors, is_postgres

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class StubEvent:
    """What the store reads of :class:`newscollate.group.Event` (importing that module loads spaCy)."""

    id: str
    segments: list[Span]


@pytest.fixture(scope="module")
def sample():
    """The sample brief and its documents, with the sample's made-up ids replaced by real content ids."""
    texts = json.loads((FIXTURES / "brief_sample_texts.json").read_text(encoding="utf-8"))
    body = (FIXTURES / "brief_sample.json").read_text(encoding="utf-8")
    for old_id, text in texts.items():
        body = body.replace(f'"{old_id}"', f'"{content_id(text)}"')
    brief = json.loads(body)
    by_id = {content_id(text): text for text in texts.values()}
    docs = []
    for entry in brief["documents"]:
        published = date.fromisoformat(entry["published"]) if entry["published"] else None
        meta = Metadata(title=entry["title"], source=entry.get("source"), url=entry.get("url"), published=published)
        doc = Document.from_text(by_id[entry["id"]], entry["path"], meta)
        for removal in brief["removed"]:
            if removal["doc"] == doc.id:
                doc.add("removed", removal["start"], removal["end"], removal["reason"])
        docs.append(doc)
    return brief, docs


def stub_events(brief) -> list[StubEvent]:
    return [
        StubEvent(event["id"], [Span(s["doc"], s["start"], s["end"]) for s in event["segments"]])
        for event in brief["events"]
    ]


@pytest.fixture
def stored(sample, make_store):
    """Opens a new store holding the sample's documents, events and briefs."""

    def new() -> Store:
        brief, docs = sample
        store = make_store()
        store.add_documents(docs)
        store.save_events(stub_events(brief), split_brief(brief))
        return store

    return new


def test_an_events_brief_keeps_only_the_documents_and_removals_it_touches(sample):
    brief, _ = sample
    before = json.dumps(brief)
    library = brief["events"][1]
    part = brief_for_event(brief, library["id"])
    validate_brief(part)
    assert part["schema"] == brief["schema"] and part["generator"] == brief["generator"]
    assert part["events"] == [library]
    assert [d["id"] for d in part["documents"]] == library["documents"]
    assert part["removed"] and {r["doc"] for r in part["removed"]} <= set(library["documents"])
    assert [r for r in brief["removed"] if r["doc"] in library["documents"]] == part["removed"]
    assert json.dumps(brief) == before  # the whole brief is not modified
    part["events"][0]["title"] = "changed"
    assert library["title"] != "changed"  # nor shared with the cut


def test_an_unknown_event_has_no_brief(sample):
    with pytest.raises(KeyError, match="no event 'e404'"):
        brief_for_event(sample[0], "e404")


def test_events_and_briefs_round_trip(sample, stored):
    brief, docs = sample
    with stored() as store:
        rows = {row.id: row for row in store.events()}
        assert list(rows) == [e["id"] for e in brief["events"]]  # most documents first
        for event in brief["events"]:
            row = rows[event["id"]]
            dates = [d.meta.published for d in docs if d.id in event["documents"] and d.meta.published]
            assert (row.title, row.documents) == (event["title"], len(event["documents"]))
            assert (row.first_published, row.last_published) == (min(dates), max(dates))
            assert row.created_at == row.updated_at and row.created_at.tzinfo is not None

            saved = store.brief(event["id"])
            assert saved == brief_for_event(brief, event["id"])
            texts = store.texts(d["id"] for d in saved["documents"])
            assert all(len(texts[d["id"]]) == d["chars"] for d in saved["documents"])
        assert store.brief("e404") is None
        assert store.integrity_check() == []


def test_saving_events_replaces_the_previous_ones_and_keeps_first_seen_times(sample, stored):
    brief, _ = sample
    bridge, library = stub_events(brief)
    with stored() as store:
        first = {row.id: row for row in store.events()}
        store.save_events([library], {library.id: brief_for_event(brief, library.id)})
        (row,) = store.events()
        assert row.id == library.id
        assert row.created_at == first[library.id].created_at and row.updated_at >= row.created_at
        assert store.brief(bridge.id) is None

        store.save_events([library])  # without a brief: no title, nothing to render
        assert store.events()[0].title is None and store.brief(library.id) is None


def test_events_citing_documents_not_stored_are_refused_and_nothing_changes(sample, stored):
    brief, _ = sample
    with stored() as store:
        ghost = StubEvent("e-ghost", [Span("dnotstored", 0, 10)])
        with pytest.raises(StoreError, match="dnotstored"):
            store.save_events([ghost])
        assert len(store.events()) == len(brief["events"])


def test_a_brief_must_be_that_events_brief(sample, stored):
    brief, _ = sample
    bridge, library = stub_events(brief)
    with stored() as store:
        with pytest.raises(ValueError, match="brief_for_event"):
            store.save_events([bridge, library], {bridge.id: brief})
        with pytest.raises(ValueError, match="not among the events"):
            store.save_events([bridge], {library.id: brief_for_event(brief, library.id)})


def corrupt(target: str, sql: str, *params) -> None:
    """Change the store behind its back, as a bug or a hand edit would, foreign keys unchecked."""
    conn = connect(target)
    try:
        if is_postgres(conn):
            try:  # foreign keys are triggers in PostgreSQL; replica mode skips them (superuser only)
                conn.execute("SET session_replication_role = replica")
            except driver_errors() as exc:
                pytest.skip(f"cannot switch foreign keys off on this server: {exc}")
        else:
            conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(sql, params)
    finally:
        conn.close()


@pytest.fixture
def store_file(sample, store_target):
    brief, docs = sample
    path = store_target
    with Store.open(path) as store:
        store.add_documents(docs)
        store.save_events(stub_events(brief), split_brief(brief))
        assert store.integrity_check() == []
    return path


def test_integrity_check_finds_a_span_outside_its_text(store_file, sample):
    doc = next(d for d in sample[1] if d.id == sample[0]["removed"][0]["doc"])
    corrupt(store_file, "UPDATE spans SET end_char = ? WHERE doc_id = ? AND layer = 'removed'", 10_000, doc.id)
    corrupt(store_file, "UPDATE event_segments SET end_char = 10000 WHERE seq = 0")
    with Store.open(store_file) as store:
        problems = store.integrity_check()
    assert any(doc.id in p and "removed" in p and "outside its text" in p for p in problems), problems
    assert sum("segment 0 of event" in p for p in problems) == len(sample[0]["events"])


def test_integrity_check_finds_changed_texts_dangling_rows_and_broken_briefs(store_file, sample):
    doc = sample[1][0]
    corrupt(store_file, "UPDATE documents SET text = ? WHERE id = ?", doc.text.replace("bridge", "tunnel"), doc.id)
    corrupt(store_file, "INSERT INTO spans (doc_id, layer, seq, start_char, end_char) VALUES ('dghost', 'x', 0, 0, 1)")
    corrupt(store_file, "UPDATE briefs SET body = '{\"schema\": \"newscollate.brief/1\"' WHERE event_id = ?", "e2")
    with Store.open(store_file) as store:
        problems = store.integrity_check()
    assert any(doc.id in p and "has changed" in p for p in problems), problems
    assert any("spans" in p and "missing row of documents" in p for p in problems), problems
    assert any("brief of event e2" in p for p in problems), problems
