"""bench/_ecbplus.py reads the ECB+ layout, and bench/cluster.py runs on a tiny folder in it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "ecbplus"
sys.path.insert(0, str(REPO / "bench"))

from _ecbplus import EcbLayoutError, detokenise, load_ecbplus  # noqa: E402


def test_load_sorts_and_labels_documents():
    docs = load_ecbplus(FIXTURES)
    assert [d.name for d in docs] == [
        "1_1ecb", "1_2ecb", "1_1ecbplus", "1_2ecbplus", "2_1ecb", "2_2ecb", "2_1ecbplus", "2_2ecbplus",
    ]  # fmt: skip
    assert [d.gold for d in docs[:4]] == ["1ecb", "1ecb", "1ecbplus", "1ecbplus"]
    assert {(d.topic, d.half) for d in docs[4:]} == {(2, "ecb"), (2, "ecbplus")}
    assert [d.name for d in load_ecbplus(FIXTURES, topics=[2])] == ["2_1ecb", "2_2ecb", "2_1ecbplus", "2_2ecbplus"]


def test_detokenised_text():
    docs = {d.name: d for d in load_ecbplus(FIXTURES)}
    assert docs["1_1ecb"].text == (
        "The Harbour Town mayor, Ella Brandt, opened the new ferry pier on Monday.\n"
        '"It\'s a great day for the town," she said (briefly).\n'
        "The pier cost $4 million and the crowd wasn't small - about 300 people came!\n"
    )
    assert docs["1_2ecb"].text == (
        "Mayor Ella Brandt opened Harbour Town's ferry pier on Monday.\n"
        "Is it the council's best project? The mayor thinks so; critics disagree.\n"
    )
    # ecbplus: the URL (sentence 0) is kept apart; the tokeniser split hyphens and times, which are rejoined.
    plus = docs["1_1ecbplus"]
    assert plus.url == "http://www.example.org/pier-collapse"
    assert plus.text == (
        "Old Northgate pier collapses in storm\n"
        "Part of the Northgate pier fell into the sea at 6:15 on Friday.\n"
        "Nobody was hurt, the harbour-master said.\n"
    )
    assert docs["1_2ecbplus"].text.endswith('"We were lucky," a fisherman said.\n')
    assert docs["2_1ecbplus"].text.endswith("Sato's five-layer cake beat 40 rivals.\n")
    assert docs["1_1ecb"].url is None


def test_detokenise_quotes_and_clitics():
    assert detokenise(["He", "said", "``", "no", "''", "."]) == 'He said "no".'
    assert detokenise(["the", "players", "'", "union", "did", "n't", "agree"]) == "the players' union didn't agree"
    assert detokenise(["a", "'", "party", "girl", "'", "image"]) == "a 'party girl' image"
    assert detokenise(["show", "``", "Scrubs", ",", "'", "'", "has"]) == 'show "Scrubs," has'
    assert detokenise(["''", "Dune", "''", "opens"]) == '"Dune" opens'  # '' typed as an opening quote


def test_layout_errors_name_the_folder(tmp_path):
    with pytest.raises(EcbLayoutError, match=str(tmp_path)):
        load_ecbplus(tmp_path)
    with pytest.raises(EcbLayoutError, match="is not a folder"):
        load_ecbplus(tmp_path / "missing")
    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "3_1ecb.xml").write_text("<Document><token t_id='1' sentence='0'>Hi", encoding="utf-8")
    with pytest.raises(EcbLayoutError, match="3_1ecb.xml: not well-formed"):
        load_ecbplus(tmp_path)
    (tmp_path / "3" / "3_1ecb.xml").unlink()
    (tmp_path / "3" / "notes.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(EcbLayoutError, match="notes.xml: not named"):
        load_ecbplus(tmp_path)


def run_cluster(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "bench" / "cluster.py"), "--data", str(FIXTURES), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)


def test_cluster_baseline_runs_and_writes_section(tmp_path):
    out, doc = tmp_path / "scores.json", tmp_path / "benchmarks.md"
    done = run_cluster("--no-tune", "--systems", "tfidf-agglomerative", "--json", str(out), "--write", str(doc))
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())["systems"]["tfidf-agglomerative"]
    assert set(figures) == {"bcubed_p", "bcubed_r", "bcubed_f1", "ari", "v_measure", "docs_per_s"}
    assert 0.0 <= figures["bcubed_f1"] <= 1.0
    section = doc.read_text()
    assert "<!-- bench:cluster:begin -->" in section and "<!-- bench:cluster:end -->" in section
    assert "--no-tune" in section


def test_cluster_reports_a_bad_folder(tmp_path):
    done = run_cluster("--data", str(tmp_path), "--systems", "tfidf-agglomerative")
    assert done.returncode != 0
    assert str(tmp_path) in done.stderr and "Traceback" not in done.stderr


def test_cluster_runs_our_pipeline(tmp_path):
    out = tmp_path / "scores.json"
    systems = "newscollate,newscollate-stream,tfidf-agglomerative"
    done = run_cluster("--no-tune", "--systems", systems, "--stream-batch", "3", "--json", str(out))
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text())["systems"]
    assert set(figures) == set(systems.split(","))
    for name in ("newscollate", "newscollate-stream"):
        assert 0.0 < figures[name]["bcubed_f1"] <= 1.0


def test_throughput_articles_are_deterministic_events_with_junk():
    from group_throughput import EVENT_SIZES, ArticleStream

    def first(n: int) -> list:
        stream = iter(ArticleStream(load_ecbplus(FIXTURES), seed=3))
        return [next(stream) for _ in range(n)]

    articles = first(400)
    assert [a.text for a in articles[:50]] == [a.text for a in first(50)]
    counts, planned = {}, {}
    for article in articles:
        counts[article.event] = counts.get(article.event, 0) + 1
        planned[article.event] = article.event_size
    assert all(EVENT_SIZES[0] <= planned[e] <= EVENT_SIZES[1] and counts[e] <= planned[e] for e in counts)
    assert sum(counts[e] == planned[e] for e in counts) >= 10  # events run to their size, then close
    sources = {line for d in load_ecbplus(FIXTURES) for line in d.text.splitlines()}
    assert all(any(line not in sources for line in a.text.splitlines() if line) for a in articles[:20])
