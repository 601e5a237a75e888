"""bench/soak.py: memory is read and judged right, and the request mix asks for what it says (no timed run)."""

import json
import os
import random
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import _soak_load  # noqa: E402
import soak  # noqa: E402

STATUS = """\
Name:\tnewscollate
State:\tS (sleeping)
VmPeak:\t  912340 kB
VmHWM:\t  420112 kB
VmRSS:\t  383516 kB
RssAnon:\t  301000 kB
Threads:\t5
"""


def test_parse_rss_reads_vmrss_not_the_other_lines():
    assert soak.parse_rss(STATUS) == 383516 * 1024
    assert soak.parse_rss(STATUS, "RssAnon") == 301000 * 1024
    assert soak.parse_rss("Name:\tkthreadd\nState:\tS (sleeping)\n") is None
    with pytest.raises(ValueError):
        soak.parse_rss("VmRSS:\t 12 MB\n")


def test_descendants_follow_the_whole_tree_and_nothing_else():
    parents = {1: 0, 100: 1, 101: 100, 102: 100, 103: 101, 200: 1, 201: 200}
    assert sorted(soak.descendants(parents, 100)) == [100, 101, 102, 103]
    assert soak.descendants(parents, 103) == [103]


def test_tree_rss_of_this_process_is_at_least_its_own():
    with open("/proc/self/status") as status:
        own = soak.parse_rss(status.read())
    total, anon = soak.tree_rss(os.getpid())
    assert total >= own * 0.5 and 0 < anon <= total


def test_verdict_fails_on_growth_over_the_goal_and_on_any_5xx():
    assert soak.growth_percent(200, 220) == pytest.approx(10.0)
    assert soak.verdict(200, 220, 10, 0, 0) == (True, [])
    ok, problems = soak.verdict(200, 221, 10, 0, 0)
    assert not ok and "10.5 %" in problems[0]
    assert soak.verdict(200, 150, 10, 0, 0)[0]  # shrinking is fine
    assert not soak.verdict(200, 200, 10, 1, 0)[0]
    assert not soak.verdict(200, 200, 10, 0, 3)[0]


def test_series_picks_one_sample_per_minute_and_the_last():
    samples = [(t, 1000 + t) for t in range(0, 601, 5)]
    picked = soak.series(samples, 60)
    assert [t for t, _ in picked] == list(range(0, 601, 60))
    assert soak.series(samples[:-2], 60)[-1] == samples[-3]
    assert soak.series([], 60) == []


def test_percentile_and_tally_count_5xx_and_surprises():
    assert soak.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert soak.percentile([], 99) is None
    tally = _soak_load.Tally()
    page = _soak_load.Call("event page", "GET", "/events/e1", frozenset({200}), cached=True)
    tally.add(page, 200, 3.0, 1000)
    tally.add(page, 404, 3.0, 10)
    tally.add(page, 503, 9.0, 10)
    assert tally.requests() == 3 and tally.server_errors() == 1
    assert tally.unexpected == Counter({"GET /events/e1 404": 1})  # a 5xx is counted as an error, not a surprise
    assert tally.cacheable == {"/events/e1": 1000}


def catalog() -> _soak_load.Catalog:
    stored = [{"text": f"Stored report {n}.", "title": f"Report {n}", "source": "Lantern News", "published": "2025-01-06"}
              for n in range(5)]  # fmt: skip
    return _soak_load.Catalog(
        event_ids=[f"e{n:016x}" for n in range(50)], documents=[(f"d{n:016x}", 100 + n) for n in range(80)],
        words=["fire", "flood", "harbour", "council"], outlets=["Lantern News", "Signal & Tide"], stored=stored,
        first_new_event=3000,
    )  # fmt: skip


def test_the_mix_covers_every_kind_in_proportion_with_sane_requests():
    cat, rng = catalog(), random.Random(7)
    calls = [_soak_load.next_call(cat, rng) for _ in range(4000)]
    kinds = Counter(c.kind for c in calls)
    assert set(kinds) == set(_soak_load.WEIGHTS)
    share = kinds["event page"] / len(calls)
    assert share == pytest.approx(_soak_load.WEIGHTS["event page"] / sum(_soak_load.WEIGHTS.values()), abs=0.03)
    for call in calls:
        assert call.path.startswith("/") and " " not in call.path
        assert not any(status >= 500 for status in call.expect)
        if call.kind in ("not found", "malformed"):
            assert all(400 <= status < 500 for status in call.expect)
        else:
            assert call.expect == {200} and call.method == "GET"
        assert call.cached == (call.kind in ("event page", "events list"))
    documents = dict(cat.documents)
    for call in (c for c in calls if c.kind == "document page"):
        url = urlsplit(call.path)
        query = {k: int(v[0]) for k, v in parse_qs(url.query).items()}
        assert 0 <= query["start"] < query["end"] <= documents[url.path.rsplit("/", 1)[1]]
    searched = [parse_qs(urlsplit(c.path).query) for c in calls if c.kind == "events list"]
    assert any("q" in q for q in searched) and any("outlet" in q for q in searched) and any("page" in q for q in searched)
    assert len({c.path for c in calls if c.kind == "event page"}) == len(cat.event_ids)  # all events, not a few


def test_uploads_repeat_stored_texts_or_bring_a_new_event():
    cat, rng = catalog(), random.Random(1)
    again = _soak_load.upload_call(cat, rng, None)
    assert again.method == "POST" and again.expect == {200}
    assert json.loads(again.body)["documents"][0] in cat.stored
    new = _soak_load.upload_call(cat, rng, 2)
    records = json.loads(new.body)["documents"]
    assert new.expect == {201} and 2 <= len(records) <= 4
    assert all(r["text"] and r["source"] for r in records)
    assert records == json.loads(_soak_load.upload_call(cat, random.Random(9), 2).body)["documents"]  # repeatable
    assert records != json.loads(_soak_load.upload_call(cat, rng, 3).body)["documents"]
