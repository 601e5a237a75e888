"""Executors: the local run's tables and briefs, document rows, and a local Ray run giving the same results."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from newscollate.executors import RunOptions, executor_for
from newscollate.executors.output import TABLES, read_table
from newscollate.executors.rows import from_row, to_row
from newscollate.model import Document, Metadata

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HAS_RAY = importlib.util.find_spec("ray") is not None


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    return executor_for("local").run([str(EXAMPLES)], out, RunOptions()), out


def test_local_run_writes_tables_and_one_brief_per_event(local_run):
    result, out = local_run
    documents = read_table(out, "documents")
    assert [set(row) for row in documents[:1]] == [{"id", "path", "title", "source", "url", "published", "text"}]
    assert len(documents) == result.documents == 12
    assert {row["doc"] for row in read_table(out, "removed")} <= {row["id"] for row in documents}
    events = read_table(out, "events")
    event_ids = list(dict.fromkeys(row["event"] for row in events))
    assert len(event_ids) == result.events == result.briefs
    assert sorted(p.name for p in (out / "briefs").iterdir()) == sorted(event_ids)
    for event in event_ids:
        assert {p.name for p in (out / "briefs" / event).iterdir()} == {"brief.json", "brief.md", "brief.html"}
    texts = {row["id"]: row["text"] for row in documents}
    for row in read_table(out, "removed"):
        assert 0 <= row["start"] < row["end"] <= len(texts[row["doc"]]) and row["reason"]
    lineage = read_table(out, "lineage")
    assert {(r["event"], r["doc"]) for r in lineage} == {(r["event"], r["doc"]) for r in events}
    assert {r["role"] for r in lineage} <= {"original", "copy", "rewrite"}


def test_local_run_gives_the_events_of_collate(local_run):
    from newscollate.ingest import ingest
    from newscollate.pipeline import run

    _, out = local_run
    corpus = run(ingest([str(EXAMPLES)]).documents)
    expected = [(e.id, s.doc, s.start, s.end) for e in corpus.events for s in e.segments]
    assert [(r["event"], r["doc"], r["start"], r["end"]) for r in read_table(out, "events")] == expected


def test_a_document_row_round_trips_with_its_layers():
    doc = Document.from_text("Harbour closed.\n\nThe ferry stayed in port.\n", "a.txt",
                             Metadata(title="Harbour", source="Gull Gazette", published=date(2024, 5, 2)))
    doc.add("removed", 0, 15, "ad", rule="ad-marker")
    doc.add("segments", 17, 42, "", index=0)
    back = from_row(to_row(doc, order=3))
    assert (back.id, back.path, back.text, back.meta) == (doc.id, doc.path, doc.text, doc.meta)
    assert back.layers == doc.layers
    assert [s.data for s in back.spans("removed")] == [{"rule": "ad-marker"}]
    assert to_row(doc, 3)["order"] == 3


def test_run_command_says_how_to_install_ray(monkeypatch, tmp_path):
    import sys

    from typer.testing import CliRunner

    from newscollate.cli import app

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails as if it were not installed
    result = CliRunner().invoke(app, ["run", str(EXAMPLES), "--out", str(tmp_path), "--executor", "ray"])
    assert result.exit_code == 1
    assert "pip install newscollate[ray]" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def local_ray():
    if not HAS_RAY:
        pytest.skip("Ray is not installed (pip install newscollate[ray])")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, logging_level="ERROR")
    yield ray
    ray.shutdown()


def test_ray_run_gives_the_local_results(local_ray, local_run, tmp_path):
    _, local_out = local_run
    result = executor_for("ray", workers=2).run([str(EXAMPLES)], tmp_path, RunOptions())
    assert result.documents == 12 and result.shuffled_bytes["clean"] > 0
    for table in TABLES:
        assert read_table(tmp_path, table) == read_table(local_out, table), table
    for brief in (local_out / "briefs").glob("*/brief.json"):
        assert (tmp_path / "briefs" / brief.parent.name / "brief.json").read_text() == brief.read_text()


def test_ray_client_addresses_are_refused_with_what_to_do_instead(tmp_path):
    pytest.importorskip("ray")
    from typer.testing import CliRunner

    from newscollate.cli import app

    result = CliRunner().invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--executor", "ray", "--address", "ray://head:10001"])
    assert result.exit_code == 1 and "ray job submit" in result.stderr and "Traceback" not in result.output
