"""The view both renderers share: excerpts, context, outlets, safe URLs, dates."""

from __future__ import annotations

import pytest

from newscollate.render.view import build_view, date_label, safe_http_url, sentence_context


def tiny_brief(text: str, removed: list[dict], support: dict) -> dict:
    doc = {"id": "d1", "path": "in/a.txt", "title": None, "published": None, "chars": len(text)}
    claim = {"id": "c1", "text": "claim", "support": [support], "documents": 1, "independent_sources": 1}
    event = {"id": "e1", "title": "t", "segments": [support], "claims": [claim], "discrepancies": [], "quotes": [],
             "timeline": [], "entities": []}  # fmt: skip
    return {"schema": "newscollate.brief/1", "documents": [doc], "removed": removed, "events": [event]}


def test_context_stops_at_removed_junk_on_the_same_line():
    text = "By Jo Bloggs Police said the road is closed ADVERTISEMENT buy now"
    removed = [{"doc": "d1", "start": 0, "end": 12, "reason": "byline"},
               {"doc": "d1", "start": 44, "end": 65, "reason": "ad"}]  # fmt: skip
    start = text.index("the road")
    brief = tiny_brief(text, removed, {"doc": "d1", "start": start, "end": start + len("the road")})
    excerpt = build_view(brief, {"d1": text}).events[0].claims[0].excerpts[0]
    assert (excerpt.before, excerpt.text, excerpt.after) == ("Police said ", "the road", " is closed")


def test_excerpts_count_code_points_and_refuse_mismatched_text():
    text = "🚧🚧 Road shut. The bridge is closed."
    start = text.index("The bridge")
    brief = tiny_brief(text, [], {"doc": "d1", "start": start, "end": len(text)})
    assert build_view(brief, {"d1": text}).events[0].claims[0].excerpts[0].text == "The bridge is closed."
    view = build_view(brief, {"d1": "\ufeff" + text})
    assert view.events[0].claims[0].excerpts[0].text is None
    assert [s.id for s in view.unreadable] == ["d1"]


def test_long_sentences_are_cut_with_an_ellipsis():
    text = "word " * 100 + "TARGET " + "more " * 100
    start = text.index("TARGET")
    before, after = sentence_context(text, start, start + 6, limit=40)
    assert before.startswith("…") and len(before) <= 41
    assert after.endswith("…") and len(after) <= 41


def test_outlet_falls_back_from_source_to_url_host_to_file_name():
    brief = tiny_brief("x", [], {"doc": "d1", "start": 0, "end": 1})
    doc = brief["documents"][0]
    assert build_view(brief, {}).documents[0].outlet.name == "a.txt"
    doc["url"] = "https://www.example.org/story"
    assert build_view(brief, {}).documents[0].outlet.name == "example.org"
    doc["source"] = "The Example"
    assert build_view(brief, {}).documents[0].outlet.name == "The Example"


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://example.org/a?b=c#d", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,x", False),
        ("//example.org/x", False),
        ("http:///nohost", False),
        ("https://exa mple.org", False),
        (None, False),
    ],
)
def test_safe_http_url(url, safe):
    assert safe_http_url(url) == (url if safe else None)


def test_date_labels():
    assert date_label("2026-02-17") == "Tue 17 Feb 2026"
    assert date_label("2026-03") == "Mar 2026"
    assert date_label("2026") == "2026"
    assert date_label("2026-13-40") == "2026-13-40"
