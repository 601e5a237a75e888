import json

from typer.testing import CliRunner

from newscollate.cli import app

from .conftest import REPO

runner = CliRunner()


def test_collate_writes_the_three_files_and_exits_0(tmp_path):
    result = runner.invoke(app, ["collate", str(REPO / "examples" / "festival"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    brief = json.loads((tmp_path / "brief.json").read_text(encoding="utf-8"))
    assert brief["schema"] == "newscollate.brief/1"
    assert (tmp_path / "brief.md").read_text(encoding="utf-8").strip()
    assert "<html" in (tmp_path / "brief.html").read_text(encoding="utf-8").lower()


def test_rejected_inputs_are_named_and_the_rest_collated(tmp_path):
    bad = REPO / "examples-bad"
    result = runner.invoke(app, ["collate", str(REPO / "examples" / "festival"), str(bad), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "image.txt" in result.stderr and "nope.txt" in result.stderr
    assert "Traceback" not in result.output
    assert len(json.loads((tmp_path / "o" / "brief.json").read_text(encoding="utf-8"))["documents"]) == 2


def test_nothing_usable_exits_1_without_writing(tmp_path):
    result = runner.invoke(app, ["collate", str(REPO / "examples-bad"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no usable input" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_usage_exits_2(tmp_path):
    assert runner.invoke(app, ["collate", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["collate", str(REPO / "examples")]).exit_code == 2
    assert runner.invoke(app, ["collate", "--frobnicate"]).exit_code == 2
    out_is_file = tmp_path / "f"
    out_is_file.write_text("x")
    assert runner.invoke(app, ["collate", str(REPO / "examples" / "festival"), "--out", str(out_is_file)]).exit_code == 2


def test_ingest_is_idempotent_and_events_and_brief_read_the_store(tmp_path):
    store = str(tmp_path / "news.db")
    festival = str(REPO / "examples" / "festival")
    first = runner.invoke(app, ["ingest", festival, "--store", store])
    assert first.exit_code == 0, first.output
    assert "2 documents added, 0 already stored" in first.stderr
    again = runner.invoke(app, ["ingest", festival, "--store", store])
    assert "0 documents added, 2 already stored" in again.stderr
    listed = runner.invoke(app, ["events", "--store", store, "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [row["documents"] for row in rows] == [2]
    out = tmp_path / "brief"
    shown = runner.invoke(app, ["brief", rows[0]["id"], "--store", store, "--out", str(out)])
    assert shown.exit_code == 0, shown.output
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in brief["events"]] == [rows[0]["id"]] and len(brief["documents"]) == 2


def test_store_commands_explain_missing_or_foreign_stores(tmp_path):
    missing = runner.invoke(app, ["events", "--store", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no store at" in missing.stderr
    foreign = tmp_path / "foreign.db"
    foreign.write_text("not a database")
    broken = runner.invoke(app, ["events", "--store", str(foreign)])
    assert broken.exit_code == 1 and "Traceback" not in broken.output
    store = str(tmp_path / "news.db")
    runner.invoke(app, ["ingest", str(REPO / "examples" / "festival"), "--store", store])
    unknown = runner.invoke(app, ["brief", "e0000", "--store", store, "--out", str(tmp_path / "o")])
    assert unknown.exit_code == 1 and "newscollate events" in unknown.stderr


def test_serve_refuses_a_foreign_store_clearly_before_listening(tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: (_ for _ in ()).throw(AssertionError("must not listen")))
    foreign = tmp_path / "foreign.db"
    foreign.write_text("not a database")
    refused = runner.invoke(app, ["serve", "--store", str(foreign)])
    assert refused.exit_code == 1 and "not a usable newscollate store" in refused.stderr
    assert "Traceback" not in refused.output


def test_serve_warns_when_listening_beyond_loopback(tmp_path, monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: calls.append(options))
    served = runner.invoke(app, ["serve", "--store", str(tmp_path / "s.db"), "--host", "0.0.0.0", "--port", "8123"])
    assert served.exit_code == 0 and "anyone who can reach this machine" in served.stderr
    assert calls == [{"host": "0.0.0.0", "port": 8123, "log_level": "warning", "server_header": False}]


def test_reader_options_reach_the_readers(tmp_path):
    records = tmp_path / "news.jsonl"
    records.write_text(
        json.dumps({"story": "Brenmoor's tram line reopened on Monday after three weeks of track repairs, the city said."}) + "\n",
        encoding="utf-8",
    )
    plain = runner.invoke(app, ["collate", str(records), "--out", str(tmp_path / "a")])
    assert plain.exit_code == 1 and "--text-field" in plain.stderr
    named = runner.invoke(app, ["collate", str(records), "--out", str(tmp_path / "b"), "--text-field", "body|story"])
    assert named.exit_code == 0, named.output
    small = runner.invoke(app, ["collate", str(records), "--out", str(tmp_path / "c"), "--max-bytes", "10"])
    assert small.exit_code == 1 and "--max-bytes" in small.stderr
    assert runner.invoke(app, ["collate", str(records), "--out", str(tmp_path / "d"), "--text-field", "|"]).exit_code == 2
