"""The Markdown brief: same sections as the page, and input text that cannot become markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newscollate.render import render_markdown
from newscollate.render.markdown import escape

from .conftest import with_lineage

FIXTURES = Path(__file__).parent / "fixtures"


def load_sample() -> tuple[dict, dict[str, str]]:
    brief = json.loads((FIXTURES / "brief_sample.json").read_text(encoding="utf-8"))
    texts = json.loads((FIXTURES / "brief_sample_texts.json").read_text(encoding="utf-8"))
    return brief, texts


def test_markdown_has_every_section():
    brief, texts = load_sample()
    markdown = render_markdown(brief, texts)
    lines = markdown.splitlines()
    assert lines[0] == "# News brief: 2 events"
    assert "## Contents" in lines
    assert "## 1. Harbour bridge shut after cargo ship strikes pier" in lines
    assert "## 2. Council approves £3m for new central library" in lines
    for heading in ("What the sources agree on", "Where they differ", "Quotes", "Timeline", "Entities", "Sources"):
        assert lines.count(f"### {heading}") == 2, heading
    assert "## Documents in no event" in lines
    assert "## What was removed" in lines
    outlets = "Coastline Wire, Wendle Daily Post, Harbour Radio News, bridge-blog.txt"
    assert f"**4 documents · 4 independent sources · outlets:** {outlets}" in lines


def test_markdown_shows_claims_variants_quotes_and_timeline():
    brief, texts = load_sample()
    markdown = render_markdown(brief, texts)
    for event in brief["events"]:
        for claim in event["claims"]:
            assert f"**{escape(claim['text'])}**" in markdown
    assert "  - *Harbour Radio News*: Fire crews said **14** people were taken to hospital" in markdown
    assert "— Mara Ellison `not verbatim` (bridge-blog.txt)" in markdown
    assert "- *the bridge would stay shut until engineers deemed it safe*" in markdown
    rows = ("| Mon 16 Feb 2026 |", "| Tue 17 Feb 2026 |", "| Mar 2026 |", "| _unresolved_ |")
    when = [markdown.index(row) for row in rows]
    assert when == sorted(when)
    url = "https://coastline-wire.example/news/harbour-bridge-shut"
    assert f"[Harbour bridge shut after cargo ship strikes pier]({url})" in markdown
    assert "  - *front-matter*: \\--- layout: article ---" in markdown


@pytest.mark.parametrize(
    "text, expected",
    [
        ("# Breaking", "\\# Breaking"),
        ("> quoted", "\\> quoted"),
        ("Title #", "Title \\#"),
        ("2026. A year", "2026\\. A year"),
        ("- item", "\\- item"),
        ("a | b", "a \\| b"),
        ("<script>x</script>", "\\<script\\>x\\</script\\>"),
        ("*bold* _em_ `code` [link](u)", "\\*bold\\* \\_em\\_ \\`code\\` \\[link\\](u)"),
        ("file_name.txt costs $1.5m & more", "file_name.txt costs $1.5m & more"),
        ("&lt;b&gt;", "\\&lt;b\\&gt;"),
        ("two\nlines\r\n  here", "two lines here"),
    ],
)
def test_escape(text, expected):
    assert escape(text) == expected


def test_hostile_input_stays_text_and_tables_keep_their_shape():
    brief, texts = load_sample()
    brief["documents"][0].update(title="# Title | with pipe", url="javascript:alert(1)", path="a|b.txt")
    brief["documents"][1].update(url="https://ok.example/(x)<y>")
    brief["events"][0]["title"] = "> <script>alert(1)</script>"
    brief["events"][0]["timeline"][0]["text"] = "cell | breaker\n| --- |"
    markdown = render_markdown(brief, texts)
    assert not re.search(r"(?<!\\)<", markdown), "every < is escaped"
    assert "javascript:" not in markdown
    assert "## 1. \\> \\<script\\>alert(1)\\</script\\>" in markdown
    assert "(https://ok.example/%28x%29%3Cy%3E)" in markdown
    for line in markdown.splitlines():
        if line.startswith("| "):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) in (4, 5, 6), line  # timeline, sources (documents in no event) and event sources tables


def test_markdown_parses_to_the_intended_structure_and_no_raw_html():
    """Render with a CommonMark parser that passes raw HTML through: none must get through."""
    markdown_it = pytest.importorskip("markdown_it")
    brief, texts = load_sample()
    brief["events"][0]["title"] = "<script>alert(1)</script> # not | a heading"
    brief["events"][0]["claims"][0]["text"] = "<img src=x onerror=alert(1)> *not bold*"
    brief["documents"][0]["path"] = "odd|path_name.txt"
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    rendered = parser.render(render_markdown(brief, texts))
    assert "<script" not in rendered and "<img" not in rendered and "<em>not bold</em>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; # not | a heading</h2>" in rendered
    assert rendered.count("<table>") == 2 + 2 + 1  # timeline and sources per event, documents in no event
    assert rendered.count("<h3>") == 12
    assert "<td>odd|path_name.txt</td>" in rendered
    assert "<strong>14</strong>" in rendered and "<code>not verbatim</code>" in rendered


def test_a_single_event_is_the_document_headline():
    brief, texts = load_sample()
    brief["events"] = brief["events"][1:]
    lines = render_markdown(brief, texts).splitlines()
    assert lines[0] == "# Council approves £3m for new central library"
    assert "## Contents" not in lines and not any(line.startswith("## 1.") for line in lines)


def test_event_sources_say_where_each_report_comes_from():
    brief, texts = load_sample()
    markdown = render_markdown(with_lineage(brief, "AP"), texts)
    assert "(via AP)" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and line.endswith(" |")]
    assert any(row.endswith("| original |") for row in rows)
    assert any(", from AP |" in row and "rewrite of " in row for row in rows)
