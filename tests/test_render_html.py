"""The HTML page: self-contained, escaped, and showing every part of the brief."""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newscollate.render import render_html
from newscollate.render.html import PAGE_SCRIPT
from newscollate.render.view import WEEKDAYS

from .conftest import with_lineage

FIXTURES = Path(__file__).parent / "fixtures"


def load_sample() -> tuple[dict, dict[str, str]]:
    brief = json.loads((FIXTURES / "brief_sample.json").read_text(encoding="utf-8"))
    texts = json.loads((FIXTURES / "brief_sample_texts.json").read_text(encoding="utf-8"))
    return brief, texts


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def attributes(self, name: str) -> list[tuple[str, str | None]]:
        return [(tag, attrs[name]) for tag, attrs in self.tags if name in attrs]


def assert_nothing_executable(markup: str, allowed_links: set[str]) -> Page:
    page = Page(markup)
    tag_names = {tag for tag, _ in page.tags}
    assert not tag_names & {"img", "svg", "iframe", "object", "embed", "link", "base", "form", "math", "video", "audio"}
    assert page.scripts == [PAGE_SCRIPT], "the only script is the page's own"
    for tag, attrs in page.tags:
        for name in attrs:
            assert not name.startswith("on"), f"<{tag} {name}=...>"
        assert "src" not in attrs and "srcdoc" not in attrs and "formaction" not in attrs
        assert "style" not in attrs, f"<{tag} style=...>: colours come from classes, so a strict CSP holds"
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            pytest.fail("meta refresh")
    for tag, href in page.attributes("href"):
        assert tag == "a"
        if href.startswith("#"):
            continue
        assert href in allowed_links, href
        attrs = next(a for t, a in page.tags if a.get("href") == href)
        assert set((attrs.get("rel") or "").split()) >= {"noopener", "noreferrer"}
    return page


def test_page_is_self_contained():
    brief, texts = load_sample()
    markup = render_html(brief, texts)
    urls = {doc["url"] for doc in brief["documents"] if doc["url"]}
    page = assert_nothing_executable(markup, urls)
    # Every source URL is shown as a link; nothing else leaves the page.
    assert {href for _, href in page.attributes("href") if not href.startswith("#")} == urls
    style = markup[markup.index("<style>") : markup.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert not re.search(r"""\b(?:src|action|poster|srcset)\s*=""", markup)


def test_content_security_policy_allows_only_the_pages_own_script():
    brief, texts = load_sample()
    page = Page(render_html(brief, texts))
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    policy = next(m["content"] for m in metas if m.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode()).digest()).decode()
    assert "default-src 'none'" in policy
    assert f"script-src 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_page_shows_every_section_and_every_claim():
    brief, texts = load_sample()
    markup = render_html(brief, texts)
    text = html.unescape(markup)
    for heading in ("What the sources agree on", "Where they differ", "Quotes", "Timeline", "Entities", "Sources"):
        assert text.count(f"<h3>{heading}</h3>") == 2, heading
    assert "What was removed" in text and '<details class="removed">' in markup
    for event in brief["events"]:
        assert event["title"] in text
        for claim in event["claims"]:
            assert claim["text"] in text
        for discrepancy in event["discrepancies"]:
            assert discrepancy["subject"] in text
            for variant in discrepancy["variants"]:
                assert variant["value"] in _variant_values(text)
    assert "4 documents · 4 independent sources · outlets:" in text
    assert "Contents" in text  # several events: a table of contents
    for removed in brief["removed"]:
        assert removed["reason"] in text


def test_claims_expand_to_their_excerpts_with_outlets():
    brief, texts = load_sample()
    text = html.unescape(render_html(brief, texts))
    claim = re.search(r'<details class="claim" id="event-1-claim-1">(.*?)</details>', text, re.S).group(1)
    assert claim.count('<blockquote class="excerpt ') == 4
    assert "3 of 4 documents" not in claim and "4 of 4 documents" in claim
    # The blog post (no source, no URL) is named by its file name; its excerpt is sliced by code points after emoji.
    assert "bridge-blog.txt" in claim
    blog = "the Aldous Harbour Bridge is closed to all traffic after a cargo ship struck one of its piers"
    assert f"So <mark>{blog}</mark> — my commute" in claim


def test_variants_sit_side_by_side_with_context():
    brief, texts = load_sample()
    text = html.unescape(render_html(brief, texts))
    assert text.count('<div class="variants">') == 4
    assert "Fire crews said <mark>14</mark> people were taken to hospital" in text


def test_not_verbatim_quotes_get_a_badge_and_no_quotation_marks():
    brief, texts = load_sample()
    text = html.unescape(render_html(brief, texts))
    assert text.count(">not verbatim</span>") == 1
    assert "“the bridge would stay shut until engineers deemed it safe”" not in text
    assert '<blockquote class="paraphrase"><p>the bridge would stay shut until engineers deemed it safe</p>' in text
    assert "“It was like an earthquake”" in text and "Unattributed" in text


def test_timeline_is_in_date_order_with_unresolved_last():
    brief, texts = load_sample()
    text = html.unescape(render_html(brief, texts))
    entries = ("Mon 16 Feb 2026", "Tue 17 Feb 2026", "Mar 2026</time>", "“in the coming weeks”")
    order = [text.index(entry) for entry in entries]
    assert order == sorted(order)
    assert "date not resolved" in text


def test_events_and_claims_are_shown_largest_first_even_if_the_brief_is_not():
    brief, texts = load_sample()
    brief["events"].reverse()
    brief["events"][1]["claims"].reverse()
    text = html.unescape(render_html(brief, texts))
    assert text.index("<h2>Harbour bridge shut") < text.index("<h2>Council approves")
    claims = [c["text"] for c in load_sample()[0]["events"][0]["claims"]]
    positions = [text.index(c) for c in claims]
    assert positions == sorted(positions)


def test_missing_or_mismatched_texts_degrade_to_a_notice():
    brief, texts = load_sample()
    texts = dict(texts)
    del texts["d1a0c0ffee01"]
    texts["d2b0c0ffee02"] = "\ufeff" + texts["d2b0c0ffee02"]  # a BOM left in: not the text the offsets refer to
    text = html.unescape(render_html(brief, texts))
    assert "Excerpts are not shown for 2 documents" in text
    assert "Excerpt unavailable: characters" in text
    assert "Fire crews said <mark>14</mark>" in text  # the others still show


def test_renders_without_optional_fields_and_with_no_events():
    brief, texts = load_sample()
    for doc in brief["documents"]:
        for key in ("source", "url", "title", "published"):
            doc.pop(key, None)
    for event in brief["events"]:
        event.pop("documents")
        event.pop("title_support")
        for entry in event["timeline"]:
            entry.pop("expression")
            entry.pop("reference")
            entry.pop("resolved")
    text = html.unescape(render_html(brief, texts))
    assert "bridge.txt" in text  # outlet falls back to the file name
    empty = {**brief, "events": [], "removed": []}
    assert "No events were found" in render_html(empty, texts)


HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def hostile_brief() -> tuple[dict, dict[str, str]]:
    brief, texts = load_sample()
    brief = copy.deepcopy(brief)
    first, second, third, fourth = brief["documents"][:4]
    first.update(title="</title><script>alert(1)</script>", source='"><svg onload=alert(1)>', url="javascript:alert(1)")
    second.update(url=" JaVaScRiPt:alert(2)", path="<iframe src=//evil.example>.txt")
    third.update(url="data:text/html,<script>alert(3)</script>", source="x' onmouseover='alert(4)")
    fourth.update(url='https://ok.example/a"onmouseover="alert(5)', title="java\tscript")
    brief["documents"][4]["url"] = "java\nscript:alert(6)"
    event = brief["events"][0]
    event["title"] = HOSTILE
    event["claims"][0]["text"] = '<a href="javascript:alert(7)">click</a>'
    event["discrepancies"][0]["subject"] = "</style><style>body{background:url(//evil.example)}</style>"
    event["discrepancies"][0]["variants"][0]["value"] = "<svg/onload=alert(8)>"
    event["discrepancies"][0]["kind"] = "<b onclick=alert(9)>number</b>"
    event["quotes"][0]["speaker"] = "<img src=x onerror=alert(10)>"
    event["timeline"][0]["date"] = '2026-02-17"><script>alert(11)</script>'
    event["timeline"][3]["expression"] = "<script>alert(12)</script>"
    event["entities"][0]["name"] = "<math><mi xlink:href=javascript:alert(13)>"
    event["entities"][1]["type"] = "<script>"
    brief["removed"][0]["reason"] = "<b onclick=alert(14)>ad</b>"
    brief["generator"] = {"name": '"><script>alert(15)</script>', "version": "1"}
    # A source text carrying markup, cited by a claim.
    texts = dict(texts)
    text = texts["d1a0c0ffee01"]
    poisoned = text[:200] + HOSTILE + text[200 + len(HOSTILE) :]
    texts["d1a0c0ffee01"] = poisoned
    event["claims"][0]["support"][0] = {"doc": "d1a0c0ffee01", "start": 190, "end": 260}
    return brief, texts


def test_hostile_input_is_escaped_and_nothing_executable_comes_out():
    brief, texts = hostile_brief()
    markup = render_html(brief, texts)
    page = assert_nothing_executable(markup, {"https://ok.example/a\"onmouseover=\"alert(5)", *(
        d["url"] for d in brief["documents"] if d["url"] and d["url"].startswith("https://")
    )})
    for bad in ("javascript:", "data:text"):
        assert not any(bad in (href or "").lower() for _, href in page.attributes("href"))
    assert "<script>alert" not in markup and "<img" not in markup and "<svg" not in markup and "<iframe" not in markup
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in markup  # shown as text, not dropped
    visible = "".join(page.text)
    assert HOSTILE in visible
    assert '<a href="javascript:alert(7)">click</a>' in visible
    # Links to the non-http(s) URLs are not made at all; the titles still show as text.
    assert "</title><script>alert(1)</script>" in visible


def test_style_and_title_cannot_be_broken_out_of():
    brief, texts = hostile_brief()
    markup = render_html(brief, texts)
    assert markup.count("</style>") == 1
    assert markup.count("</title>") == 1
    assert markup.count("<script>") == 1


def test_a_single_event_is_the_page_headline():
    brief, texts = load_sample()
    brief["events"] = brief["events"][1:]
    page = html.unescape(render_html(brief, texts))
    assert "<h1>Council approves £3m for new central library</h1>" in page
    assert "<h2>Council approves" not in page and "Contents" not in page


def test_event_sources_say_where_each_report_comes_from_and_hostile_wires_stay_text():
    brief, texts = load_sample()
    markup = render_html(with_lineage(brief, "<b>AP</b>"), texts)
    assert "<th>Comes from</th>" in markup and "<td>original</td>" in markup
    assert ", from &lt;b&gt;AP&lt;/b&gt;</td>" in markup and "<b>AP</b>" not in markup


def test_a_stretch_of_days_shows_its_first_and_last_day_and_the_lede_comes_first():
    brief, texts = load_sample()
    event = brief["events"][0]
    dated = next(t for t in event["timeline"] if t["date"] and len(t["date"]) == 10)
    day = date.fromisoformat(dated["date"])
    dated["end"] = (day + timedelta(days=2)).isoformat()
    event["lede"] = [event["claims"][-1]["id"]]
    text = html.unescape(render_html(brief, texts))
    assert f"{day.day} " in text and f" – {WEEKDAYS[(day.weekday() + 2) % 7]} {day.day + 2} " in text
    assert text.index("In brief") < text.index("What the sources agree on")
    lede = text[text.index("In brief") : text.index("What the sources agree on")]
    assert event["claims"][-1]["text"] in lede


def _variant_values(page: str) -> list[str]:
    """The text of each variant's value as a reader sees it (the differing words are marked up)."""
    return [re.sub(r"<[^>]+>", "", value) for value in re.findall(r'<p class="value">(.*?)</p>', page)]


def test_the_words_that_differ_between_variants_are_marked():
    from newscollate.render.words import differing_words

    marked = differing_words(["40% of exports", "40% of shipping traffic"])
    assert [p for p, differs in marked[0] if differs] == ["exports"]
    assert [p for p, differs in marked[1] if differs] == ["shipping", "traffic"]
    assert ["".join(p for p, _ in m) for m in marked] == ["40% of exports", "40% of shipping traffic"]
