"""Browsing queries of the store: the events list's filters and order, outlets' lineage roles
(on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from newscollate.ingest import ingest
from newscollate.store import EventFilter, Store
from newscollate.store.stream import stream_into_events

from .conftest import BACKENDS, REPO, store_target_for


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with store_target_for(request.param, request, tmp_path_factory.mktemp("catalog")) as target:
        with Store.open(target) as db:
            added = db.add_documents(ingest([str(REPO / "examples")]).documents)
            stream_into_events(db, added.added_ids, parallel=False)
            yield db


def test_events_newest_first_with_summary_columns(store):
    page = store.list_events()
    assert page.total == len(page.events) == len(store.events())
    last = [e.last_published or date.min for e in page.events]
    assert last == sorted(last, reverse=True)
    for event in page.events:
        brief = store.brief(event.id)["events"][0]
        assert event.independent_sources == brief["independent_sources"]
        assert event.claims == len(brief["claims"])
        assert event.documents == len(brief["documents"])


def test_search_needs_every_word_and_treats_like_wildcards_literally(store):
    everything = store.list_events().total
    assert store.list_events(EventFilter(text="%")).total == 0
    assert store.list_events(EventFilter(text="_")).total == 0
    ferry = store.list_events(EventFilter(text="FERRY"))
    assert 0 < ferry.total < everything
    assert store.list_events(EventFilter(text="ferry zzqx")).total == 0


def test_outlet_and_date_filters(store):
    [outlet, *_] = store.outlets()
    by_outlet = store.list_events(EventFilter(outlet=outlet)).events
    assert by_outlet and all(outlet in e.outlets for e in by_outlet)
    some = store.list_events().events[0]
    day = some.last_published
    within = store.list_events(EventFilter(since=day, until=day)).events
    assert some.id in [e.id for e in within]
    assert all(e.first_published <= day <= e.last_published for e in within)


def test_pages_do_not_overlap(store):
    total = store.list_events().total
    seen = [e.id for offset in range(total) for e in store.list_events(limit=1, offset=offset).events]
    assert len(seen) == len(set(seen)) == total


def test_outlet_roles_add_up_to_the_lineage(store):
    roles = store.outlet_roles()
    assert sum(r.documents for r in roles) == store.document_count()
    placed = sum(r.original + r.copy + r.rewrite for r in roles)
    assert placed == sum(len(store.brief(e.id)["events"][0]["lineage"]) for e in store.events())
