"""Executors: the local run's tables and briefs, document rows, and a local Ray run giving the same results."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
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

    ray.init(address="local", num_cpus=2, include_dashboard=False, ignore_reinit_error=True, logging_level="ERROR")
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


@pytest.fixture(scope="module")
def ray_cluster():
    """A one-node Ray cluster as `ray start --head` makes one, with a Ray Client port; its address."""
    if not HAS_RAY:
        pytest.skip("Ray is not installed (pip install newscollate[ray])")
    gcs, client = _free_port(), _free_port()
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    ray_bin = Path(sys.executable).with_name("ray")
    # a temp dir of its own: the cluster file a killed head leaves must not send other tests' ray.init() there
    temp = tempfile.mkdtemp(prefix="nc-ray-", dir="/tmp")
    log = Path(temp) / "head.log"
    with log.open("wb") as out:
        head = subprocess.Popen(
            [str(ray_bin), "start", "--head", "--block", f"--port={gcs}", f"--ray-client-server-port={client}", "--num-cpus=2",
             "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _listening(client):
            assert head.poll() is None and time.monotonic() < deadline, f"the Ray head did not start:\n{log.read_text()[-3000:]}"
            time.sleep(0.5)
        yield f"ray://127.0.0.1:{client}", env
    finally:
        with contextlib.suppress(ProcessLookupError):  # a head that failed to start is gone already
            os.killpg(head.pid, signal.SIGKILL)  # the head and every process it started (a graceful stop takes ~30 s)
        head.wait(30)
        shutil.rmtree(temp, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_a_ray_client_address_runs_the_driver_in_the_cluster(ray_cluster, tmp_path):
    address, env = ray_cluster
    shutil.copytree(EXAMPLES / "ferry", tmp_path / "in" / "ferry")
    expected = tmp_path / "local"
    cli = [str(Path(sys.executable).with_name("newscollate")), "run", "in", "-q"]
    subprocess.run(cli + ["--out", "local"], cwd=tmp_path, env=env, check=True, capture_output=True)
    done = subprocess.run(cli + ["--out", "out", "--executor", "ray", "--address", address, "--workers", "1"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for table in TABLES:  # relative paths name the same files and are written as given
        assert read_table(tmp_path / "out", table) == read_table(expected, table), table
    briefs = sorted(p.relative_to(expected) for p in expected.glob("briefs/*/brief.*"))
    assert briefs and briefs == sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").glob("briefs/*/brief.*"))
    assert all((tmp_path / "out" / b).read_bytes() == (expected / b).read_bytes() for b in briefs)
