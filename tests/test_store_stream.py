"""Streaming ingest: new documents grow the stored events; other events are left alone (SQLite and PostgreSQL)."""

from __future__ import annotations

from newscollate.ingest import ingest
from newscollate.store import Store
from newscollate.store.stream import stream_into_events

from .conftest import REPO

FERRY = REPO / "examples" / "ferry"
FACTORY = REPO / "examples" / "factory"


def add(store: Store, *paths) -> list[str]:
    result = ingest([str(p) for p in paths])
    return store.add_documents(result.documents).added_ids


def test_later_reports_join_the_stored_event_which_keeps_its_id_and_brief_grows(make_store):
    with make_store() as store:
        first = add(store, FERRY / "bayline-post.txt", FERRY / "harbour-ledger.txt")
        stream_into_events(store, first + add(store, FACTORY))
        before = {row.id: row for row in store.events()}
        members = store.event_segments(before)
        [ferry] = [before[e] for e, segments in members.items() if {s.doc for s in segments} == set(first)]
        factory = [row for row in before.values() if row.id != ferry.id]

        result = stream_into_events(store, add(store, FERRY / "kestrel-news.txt", FERRY / "meridian-press.txt"))

        after = {row.id: row for row in store.events()}
        assert after[ferry.id].documents == 4
        assert result.created_or_changed == 1 and result.merged_away == 0
        for row in factory:  # untouched events keep their rows, briefs and timestamps
            assert after[row.id] == row
        brief = store.brief(ferry.id)
        assert len(brief["events"][0]["documents"]) == 4
        assert {entry["doc"] for entry in brief["events"][0]["lineage"]} == set(brief["events"][0]["documents"])


def test_streaming_nothing_new_changes_nothing(make_store):
    with make_store() as store:
        stream_into_events(store, add(store, FERRY))
        before = store.events()
        assert add(store, FERRY) == []
        assert stream_into_events(store, []).created_or_changed == 0
        assert store.events() == before


def test_recent_segments_are_bounded_and_oldest_first(make_store):
    with make_store() as store:
        stream_into_events(store, add(store, FERRY, FACTORY))
        recent = store.recent_segments(limit=3, window_days=365)
        assert len(recent) == 3
        published = {d.id: d.meta.published for d in store.documents(layers=())}
        dates = [published[span.doc] for _, span in recent]
        assert dates == sorted(dates)


def test_what_ingest_removed_survives_the_stream_like_in_a_collate_run(make_store):
    with make_store() as store:
        ids = add(store, FERRY / "bayline-post.txt", FERRY / "harbour-ledger.txt")
        stream_into_events(store, ids)
        doc = next(store.documents([ids[0]], layers=("removed", "segments")))
    removed = [(s.start, s.label) for s in doc.spans("removed")]
    assert removed[0] == (0, "front-matter") and [label for _, label in removed].count("front-matter") == 1
    front_end = doc.spans("removed")[0].end
    assert all(segment.start >= front_end for segment in doc.spans("segments"))
