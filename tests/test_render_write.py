"""write_brief: three files, UTF-8, validated first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscollate.render import write_brief

FIXTURES = Path(__file__).parent / "fixtures"


def load_sample() -> tuple[dict, dict[str, str]]:
    brief = json.loads((FIXTURES / "brief_sample.json").read_text(encoding="utf-8"))
    texts = json.loads((FIXTURES / "brief_sample_texts.json").read_text(encoding="utf-8"))
    return brief, texts


def test_write_brief_writes_json_markdown_and_html(tmp_path):
    brief, texts = load_sample()
    out = tmp_path / "out" / "nested"
    paths = write_brief(brief, texts, out)
    assert paths == {"json": out / "brief.json", "md": out / "brief.md", "html": out / "brief.html"}
    assert sorted(p.name for p in out.iterdir()) == ["brief.html", "brief.json", "brief.md"]
    raw = paths["json"].read_text(encoding="utf-8")
    assert json.loads(raw) == brief
    assert "£3m" in raw and "\\u00a3" not in raw  # ensure_ascii=False
    assert raw.startswith('{\n  "schema": "newscollate.brief/1"')
    assert paths["md"].read_text(encoding="utf-8").startswith("# News brief")
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_write_brief_overwrites_and_refuses_an_invalid_brief(tmp_path):
    brief, texts = load_sample()
    write_brief(brief, texts, tmp_path)
    before = (tmp_path / "brief.json").read_text(encoding="utf-8")
    del brief["events"][0]["claims"]
    with pytest.raises(ValueError, match="claims"):
        write_brief(brief, texts, tmp_path)
    assert (tmp_path / "brief.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.html", "brief.json", "brief.md"]
