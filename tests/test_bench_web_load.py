"""bench/web_load.py: wrk's output is read right, and the fictional events are distinct and repeatable."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import _load_client  # noqa: E402
import _web_corpus  # noqa: E402

WRK_OUTPUT = """\
Running 15s test @ http://127.0.0.1:40123/events/abc
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.51ms    4.02ms 110.33ms   91.20%
    Req/Sec   322.10     41.52   404.00     72.33%
  Latency Distribution
     50%   11.87ms
     75%   13.40ms
     90%   16.02ms
     99%    1.02s
  9634 requests in 15.01s, 412.77MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    641.84
Transfer/sec:     27.50MB
"""


def test_parse_wrk_latency_output():
    result = _load_client.parse_wrk(WRK_OUTPUT)
    assert result["rps"] == pytest.approx(641.84)
    assert result["p50"] == pytest.approx(11.87)
    assert result["p75"] == pytest.approx(13.40)
    assert result["p90"] == pytest.approx(16.02)
    assert result["p99"] == pytest.approx(1020.0)
    assert result["mean"] == pytest.approx(12.51)
    assert result["requests"] == 9634
    assert result["seconds"] == pytest.approx(15.01)
    assert result["non_2xx"] == 4
    assert result["socket_errors"] == 3


def test_parse_wrk_microseconds_and_no_errors():
    output = WRK_OUTPUT.replace("11.87ms", "870.00us").split("  Socket errors")[0] + "Requests/sec:    10.00\n"
    result = _load_client.parse_wrk(output)
    assert result["p50"] == pytest.approx(0.87)
    assert result["non_2xx"] == 0 and result["socket_errors"] == 0
    with pytest.raises(ValueError):
        _load_client.parse_wrk("wrk: connection refused")


def test_events_are_distinct_and_repeatable():
    events = [_web_corpus.generate_event(n) for n in range(40)]
    assert [e.reports[0].text for e in events] == [_web_corpus.generate_event(n).reports[0].text for n in range(40)]
    assert len({e.town for e in events}) == 40
    assert len({_web_corpus.town_name(n) for n in range(3000)}) == 3000
    for event in events:
        assert 2 <= len(event.reports) <= 4
        assert len({r.outlet for r in event.reports}) == len(event.reports)
        assert len({r.text for r in event.reports}) == len(event.reports)  # reworded, not copies
        assert all(event.town in r.text and len(r.text.split()) > 60 for r in event.reports)
    assert {e.kind for e in events} == set(_web_corpus.KINDS)
    assert any(e.discrepancy for e in events) and any(not e.discrepancy for e in events)
    assert any("Advertisement" in r.text or "Share this article" in r.text for e in events for r in e.reports)
    assert _web_corpus.generate_event(3, seed=2).reports[0].text != events[3].reports[0].text


def test_documents_interleave_and_have_metadata():
    docs = _web_corpus.documents_for(range(0, 30))
    assert len(docs) == sum(len(_web_corpus.generate_event(n).reports) for n in range(30))
    assert len({d.id for d in docs}) == len(docs)
    assert all(d.meta.source and d.meta.title and d.meta.published for d in docs)
    assert [d.id for d in docs] == [d.id for d in _web_corpus.documents_for(range(0, 30))]


def test_lua_script_lists_every_path():
    script = _load_client.lua_script(["/events/a", "/events/b"])
    assert '"/events/a",\n"/events/b"' in script
    assert "function request()" in script
