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
