"""Fuzz inputs for every reader and stage, and the checks every result must pass.

Each generator takes ``rng``, a seeded :class:`random.Random`, so that the
property tests (hypothesis draws the seeds) and the long run in
``bench/fuzz.py`` share them: valid inputs built here in code (fictional
outlets only), broken the way the web breaks them (cut, flipped, mislabelled,
wrongly sized, gzip members truncated), and a byte-level mutator for any of them.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from dataclasses import dataclass
from html import escape

from hypothesis import strategies as st

from newscollate.ingest import InputError
from newscollate.model import Document

from .fixtures.ingest.builders import PARAGRAPHS, article_html, gzip_members, rss, warc_record, warcinfo

FORMATS = ("text", "html", "warc", "feed", "jsonl", "json")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252",
             "shift_jis", "koi8-r", "gb18030", "euc-kr", "cp1251", "mac_roman", "iso8859-7")  # fmt: skip
#: What the reader guard says when a reader raised something other than an InputError.
CRASH_MARK = "internal error"

_WORDS = (
    "harbour board voted Monday wall storms crowns flooding Quay Street said told reporters "
    "minister police 14 2,500 70% 3.5 million per cent Tuesday 2026-03-02 March 4 yesterday "
    "Tidewater Kell Ilse Marrow Brannock Ørsted Łódź Zürich façade naïve café Москва Киев "
    "東京 北京 서울 «quoted» “curly” ‘single’ — – … € £ ¥ 🙂 👍🏽 e\u0301 \u200b \u00a0 \ufeff \u202e"
).split(" ")
_ODD_CHARS = ("\r", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x00", "\x1b", "\x7f")
_JUNK_LINES = ("Advertisement", "Read more: Tidewater news", "Subscribe to our newsletter", "By Ann Quill",
               "5 min read", "Photo: Kell Agency", "Share this article", "(c) 2026 Tidewater Gazette")  # fmt: skip
_TAGS = ("p", "div", "span", "a", "b", "i", "h1", "h2", "article", "main", "section", "table", "tr", "td",
         "ul", "li", "script", "style", "noscript", "iframe", "svg", "math", "template", "br", "img", "meta",
         "title", "head", "body", "html", "form", "select", "option", "pre", "blockquote", "figure")  # fmt: skip


@dataclass(frozen=True)
class Input:
    """One generated input: the name it is read under, its bytes, and how it was made."""

    kind: str
    name: str
    data: bytes
    mutated: bool = False


def words(rng, count: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def sentence(rng) -> str:
    shape = rng.randrange(5)
    body = words(rng, rng.randint(1, 14))
    if shape == 0:
        return f"\u201c{body},\u201d {words(rng, 2)} said."
    if shape == 1:
        return f'{words(rng, 2)} said "{body}" on {rng.choice(("Monday", "2 March", "March 4, 2026"))}.'
    return body.capitalize() + rng.choice((".", "!", "?", "", "...", ":"))


def article_text(rng, max_paragraphs: int = 6) -> str:
    """News-like text: paragraphs of sentences, some page junk lines, odd whitespace and characters."""
    lines = []
    for _ in range(rng.randint(0, max_paragraphs)):
        roll = rng.random()
        if roll < 0.15:
            lines.append(rng.choice(_JUNK_LINES))
        elif roll < 0.3:
            lines.append(rng.choice(PARAGRAPHS))
        elif roll < 0.4:
            lines.append(words(rng, rng.randint(1, 5)).upper())
        else:
            lines.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 5))))
        if rng.random() < 0.2:
            lines.append(rng.choice(_ODD_CHARS) * rng.randint(1, 3))
    separator = rng.choice(("\n\n", "\n", "\r\n\r\n", "\r", " \n \n"))
    return separator.join(lines)


def text_input(rng) -> bytes:
    """An article in one of many encodings, with or without BOM, front matter or stray invalid bytes."""
    text = article_text(rng)
    if rng.random() < 0.2:
        text = f"---\ntitle: {words(rng, 3)}\npublished: {rng.choice(('2026-03-02', 'yesterday', ''))}\n---\n{text}"
    data = text.encode(rng.choice(ENCODINGS), errors=rng.choice(("replace", "ignore")))
    if rng.random() < 0.2:
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.randbytes(rng.randint(1, 8)) + data[at:]
    return data


def _tag_soup(rng, depth: int) -> str:
    parts = []
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        tag = rng.choice(_TAGS)
        if roll < 0.35 and depth < 40:
            attrs = "".join(f' {rng.choice(("class", "id", "href", "content", "charset", "x"))}="{escape(words(rng, 2))}"'
                            for _ in range(rng.randint(0, 2)))  # fmt: skip
            if rng.random() < 0.02:
                attrs += f' data-x="{"A" * rng.randint(1000, 20_000)}"'
            close = f"</{tag}>" if rng.random() < 0.7 else f"</{rng.choice(_TAGS)}>"
            parts.append(f"<{tag}{attrs}>{_tag_soup(rng, depth + 1)}{close}")
        elif roll < 0.6:
            parts.append(escape(sentence(rng)) if rng.random() < 0.8 else sentence(rng))
        elif roll < 0.7:
            parts.append(rng.choice(("&#0;", "&#xD800;", "&#99999999;", "&amp", "&nbsp;", "&bogus;", "&#x1F642;")))
        elif roll < 0.8:
            parts.append(rng.choice(("<!--", "-->", "<![CDATA[", "]]>", "<?php ?>", "<!DOCTYPE html>", "</", "<", ">")))
        elif roll < 0.9:
            body = rng.choice(("var a = '</p>';", '{"@type": "NewsArticle", "datePublished": 5, "author": [null]}',
                               "document.write('<p>x</p>')", "{"))  # fmt: skip
            kind = rng.choice(("", ' type="application/ld+json"'))
            parts.append(f"<script{kind}>{body}</script>")
        else:
            parts.append(f"<p>{escape(rng.choice(PARAGRAPHS))}</p>")
    return "".join(parts)


def html_input(rng) -> bytes:
    """A news page (possibly lying about its charset) or tag soup; sometimes nested very deep."""
    roll = rng.random()
    if roll < 0.4:
        paragraphs = [article_text(rng, 3) or words(rng, 3) for _ in range(rng.randint(0, 5))]
        page = article_html(paragraphs, title=words(rng, 4), published=rng.choice(("2026-03-02T08:30:00Z", None, "soon")),
                            charset_meta=rng.choice(ENCODINGS + (None, "bogus-8")), doctype=rng.random() < 0.7,
                            head_extra=_tag_soup(rng, 30))  # fmt: skip
    elif roll < 0.9:
        page = f"<html><head><meta charset='{rng.choice(ENCODINGS)}'></head><body>{_tag_soup(rng, 0)}</body></html>"
    else:
        tag = rng.choice(("div", "b", "span", "table"))
        depth = rng.randint(100, 2000)
        page = f"<html><body>{f'<{tag}>' * depth}{escape(rng.choice(PARAGRAPHS))}{f'</{tag}>' * rng.randint(0, depth)}"
    return page.encode(rng.choice(ENCODINGS), errors="replace")


def _payload(rng) -> bytes:
    if rng.random() < 0.5:  # a readable article, so that damage after it has something to lose
        paragraphs = rng.sample(PARAGRAPHS, rng.randint(1, len(PARAGRAPHS))) + [article_text(rng, 2)]
        return article_html(paragraphs, title=words(rng, 4)).encode()
    return rng.choice((lambda: html_input(rng), lambda: text_input(rng), lambda: rng.randbytes(rng.randint(0, 200))))()


def warc_input(rng) -> tuple[bytes, bool]:
    """Records built by hand (some with wrong lengths), plain or gzipped per record or whole; then
    perhaps cut or flipped.  Returns the bytes and whether they are gzip."""
    records = [warcinfo()] if rng.random() < 0.7 else []
    for _ in range(rng.randint(0, 5)):
        payload = _payload(rng)
        headers = None
        if rng.random() < 0.15:
            size = f"{len(payload):x}".encode()
            payload, headers = size + b"\r\n" + payload + b"\r\n0\r\n\r\n", ["Transfer-Encoding: chunked"]
        elif rng.random() < 0.15:
            payload, headers = gzip.compress(payload)[: rng.choice((None, -4))], ["Content-Encoding: gzip"]
        length = None if rng.random() < 0.95 else str(rng.choice((0, 1, 10**12, -5, "x")))
        records.append(warc_record(
            f"https://gazette.example/{rng.randrange(100)}", payload,
            record_type=rng.choice(("response",) * 6 + ("resource", "request", "revisit", "metadata")),
            content_type=rng.choice(("text/html; charset=utf-8",) * 4
                                    + ("text/plain", "application/octet-stream", None, "text/html; charset=bogus")),
            status=rng.choice(("200 OK",) * 6 + ("404 Not Found", "301 Moved", "999")),
            date=rng.choice(("2026-03-04T05:06:07Z",) * 8 + ("not a date", "")),
            http_headers=headers, content_length=length,
        ))  # fmt: skip
    packing = rng.randrange(3)
    data = b"".join(records) if packing == 0 else gzip_members(records) if packing == 1 else gzip.compress(b"".join(records))
    if rng.random() < 0.3:
        data = data[: rng.randrange(len(data) + 1)]
    if rng.random() < 0.2 and data:
        at = rng.randrange(len(data))
        data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
    return data, packing > 0


def _item(rng) -> dict:
    item = {}
    for key in ("title", "link", "pubDate", "author", "description", "content"):
        if rng.random() < 0.6:
            item[key] = {"pubDate": rng.choice(("Mon, 02 Mar 2026 08:30:00 GMT", "yesterday", "2026-13-45")),
                         "link": rng.choice(("https://gazette.example/a", "javascript:alert(1)", "")),
                         "content": _tag_soup(rng, 35) + rng.choice(("", "]]>"))}.get(key, article_text(rng, 2))  # fmt: skip
    return item


def feed_input(rng) -> bytes:
    """RSS 2.0, Atom or RSS 1.0 (RDF) with odd items: no text, HTML soup, bad dates, stray markup."""
    items = [_item(rng) for _ in range(rng.randint(0, 5))]
    kind = rng.randrange(3)
    if kind == 0:
        feed = rss(items, title=words(rng, 2), extra=rng.choice(("", "<item>", "</channel>", "&bogus;")))
    else:
        entries = "".join(
            f"<{'entry' if kind == 1 else 'item'}><title>{escape(i.get('title', ''))}</title>"
            f"<link href='{escape(i.get('link', ''))}'/><updated>{escape(i.get('pubDate', ''))}</updated>"
            f"<content type='{rng.choice(('html', 'text', 'xhtml', 'bogus'))}'>{escape(i.get('content', ''))}</content>"
            f"<summary>{escape(i.get('description', ''))}</summary></{'entry' if kind == 1 else 'item'}>"
            for i in items
        )
        root = ("<feed xmlns='http://www.w3.org/2005/Atom'>", "</feed>") if kind == 1 else (
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>", "</rdf:RDF>")
        feed = f"<?xml version='1.0' encoding='utf-8'?>{root[0]}<title>{escape(words(rng, 2))}</title>{entries}{root[1]}"
    return feed.encode(rng.choice(("utf-8", "utf-8", "utf-16", "latin-1")), errors="replace")


def _odd_value(rng, depth: int = 0):
    makers = (
        lambda: rng.choice((None, True, 0, -1, 2**70, 1e308, -0.0, float("inf"), float("nan"), "", " ")),
        lambda: article_text(rng, 2),
        lambda: words(rng, 2),
        lambda: [_odd_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
        lambda: {rng.choice(("name", "value", "")): _odd_value(rng, depth + 1)},
    )
    return rng.choice(makers[: 5 if depth < 3 else 3])()


def _record(rng) -> dict:
    keys = ("maintext", "text", "content", "body", "title", "headline", "url", "date_publish", "date",
            "published", "source_domain", "source", "authors", "author", "byline")  # fmt: skip
    record = {}
    for key in rng.sample(keys, rng.randint(0, len(keys))):
        record[key] = article_text(rng, 3) if key in ("maintext", "text") and rng.random() < 0.7 else _odd_value(rng)
    return record


def jsonl_input(rng) -> bytes:
    """JSON Lines: records with odd field types, nulls, nesting; blank, invalid and non-object lines."""
    lines = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.75:
            lines.append(json.dumps(_record(rng), ensure_ascii=rng.random() < 0.5))
        else:
            lines.append(rng.choice(("", "   ", "{", "[1, 2]", "null", '"text"', '{"text": "a\\ud800b"}', "{'text': 'x'}",
                                     '{"text": NaN}', '{"text": "x", "text": 5}', "\ufeff{}")))  # fmt: skip
    return rng.choice(("\n", "\r\n")).join(lines).encode("utf-8", errors="surrogatepass")


def json_input(rng) -> bytes:
    """A whole JSON file: one (pretty-printed) article object or an array of odd items."""
    if rng.random() < 0.4:
        return json.dumps(_record(rng), indent=2).encode()
    items = [_record(rng) if rng.random() < 0.8 else _odd_value(rng) for _ in range(rng.randint(0, 6))]
    return json.dumps(items, indent=rng.choice((None, 1))).encode()


_MAKERS = {"text": text_input, "html": html_input, "feed": feed_input, "jsonl": jsonl_input, "json": json_input}
_SUFFIXES = {"text": ".txt", "html": ".html", "warc": ".warc", "feed": ".xml", "jsonl": ".jsonl", "json": ".json"}


def mutate(rng, data: bytes) -> bytes:
    """``data`` with a few chunks flipped, inserted, deleted, duplicated or cut off."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(buffer) + 1)
        size = rng.randint(1, 64)
        op = rng.randrange(5)
        if op == 0 and at < len(buffer):
            buffer[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            if rng.random() < 0.5:
                buffer[at:at] = rng.randbytes(size)
            else:
                buffer[at:at] = rng.choice((b"<", b"\x00", b"\xff", b"\r\n", b"]]>", b"{"))
        elif op == 2:
            del buffer[at : at + size]
        elif op == 3:
            buffer[at:at] = buffer[at : at + size] * rng.randint(1, 50)
        else:
            del buffer[at:]
    return bytes(buffer)


def generate(rng, kind: str, mutated: bool = False) -> Input:
    """One input of ``kind`` (a :data:`FORMATS` name), maybe gzipped, mutated if asked."""
    gzipped = False
    if kind == "warc":
        data, gzipped = warc_input(rng)
    else:
        data = _MAKERS[kind](rng)
        if rng.random() < 0.1:
            gzipped, data = True, gzip.compress(data)[: None if rng.random() < 0.7 else rng.randrange(10, 40)]
    if mutated:
        data = mutate(rng, data)
    suffix = _SUFFIXES[kind] if rng.random() < 0.9 else rng.choice(list(_SUFFIXES.values()) + [""])
    return Input(kind, f"fuzz{suffix}{'.gz' if gzipped else ''}", data, mutated)


def inputs(kind: str | None = None) -> st.SearchStrategy[Input]:
    """Hypothesis strategy: inputs of ``kind`` (any format when ``None``), half of them mutated.

    Hypothesis draws a seed for :func:`generate` rather than each of its choices: a page of
    tag soup takes more choices than hypothesis lets one example make.  A failure so reports a
    seed that rebuilds its input; shrink that input by hand for the regression test.
    """
    kinds = st.just(kind) if kind else st.sampled_from(FORMATS)
    seeds = st.integers(0, 2**64 - 1)
    return st.builds(lambda seed, k, mutated: generate(random.Random(seed), k, mutated), seeds, kinds, st.booleans())


def encoded_texts() -> st.SearchStrategy[tuple[str, bytes]]:
    """Hypothesis strategy: any text hypothesis makes, encoded in one of :data:`ENCODINGS`."""
    encode = lambda text, encoding: (text, text.encode(encoding, errors="replace"))  # noqa: E731
    return st.builds(encode, st.text(), st.sampled_from(ENCODINGS))


# --- what every result must satisfy --------------------------------------------------------------


def span_problems(doc: Document) -> list[str]:
    """Every span of every layer must lie inside the document's text and name the document."""
    size = len(doc.text)
    return [f"{doc.path}: {layer} span {s.start}:{s.end} outside 0:{size} or of another document ({s.doc})"
            for layer, spans in doc.layers.items() for s in spans
            if not (0 <= s.start <= s.end <= size) or s.doc != doc.id]  # fmt: skip


def item_problems(source: Input, items: list) -> list[str]:
    """What is wrong with what a reader gave for ``source``: crashes, strays, empty or bad documents."""
    problems = []
    for item in items:
        if isinstance(item, InputError):
            if not item.name.startswith(source.name):
                problems.append(f"error names {item.name!r}, not the input {source.name!r}")
            if CRASH_MARK in item.reason:
                problems.append(f"crash: {item.reason}")
        elif isinstance(item, Document):
            if not isinstance(item.text, str) or not item.text.strip():
                problems.append(f"{item.path}: document without text")
            elif not item.path.startswith(source.name):
                problems.append(f"document path {item.path!r} does not name the input {source.name!r}")
            problems += span_problems(item)
        else:
            problems.append(f"reader yielded a {type(item).__name__}")
    return problems


def provenance_problems(brief: dict, texts: dict[str, str]) -> list[str]:
    """Texts of a brief that are not the source text at their span (see tests/test_provenance.py)."""
    problems = []

    def check(what: str, value, refs: list[dict]) -> None:
        slices = [texts.get(r["doc"], "")[r["start"] : r["end"]] for r in refs]
        if value not in slices:
            problems.append(f"{what} {value!r} is none of its spans {refs}")

    for r in brief["removed"]:
        if not 0 <= r["start"] <= r["end"] <= len(texts.get(r["doc"], "")):
            problems.append(f"removed span {r} outside its document")
    for event in brief["events"]:
        if event["title_support"]:
            check("title", event["title"], [event["title_support"]])
        for claim in event["claims"]:
            check("claim", claim["text"], claim["support"])
        for quote in event["quotes"]:
            check("quote", quote["text"], quote["support"][:1])
            if quote["speaker"] is not None:
                check("speaker", quote["speaker"], [quote["speaker_support"]])
        for discrepancy in event["discrepancies"]:
            for variant in discrepancy["variants"]:
                check("variant", variant["value"], variant["support"])
        for entry in event["timeline"]:
            check("timeline entry", entry["text"], entry["support"])
    return problems


def examples(default: int) -> int:
    """Examples per property: ``default`` (the quick profile of ``make test``), or
    ``$NEWSCOLLATE_FUZZ_EXAMPLES`` for a longer run."""
    return int(os.environ.get("NEWSCOLLATE_FUZZ_EXAMPLES") or default)
