"""Inputs that crashed a reader or stage under fuzzing (tests/test_fuzz_*.py, bench/fuzz.py), each
cut down to the smallest that still crashed.  A crash shows as an InputError saying "internal error"."""

from __future__ import annotations

from newscollate.clean import default_cleaners
from newscollate.ingest import InputError, ReadOptions, ReadStats, read_bytes
from newscollate.model import Document, Metadata
from newscollate.pipeline import run

from .fixtures.ingest.builders import article_html, warc_record
from .fuzz_inputs import CRASH_MARK


def read(name: str, data: bytes) -> list:
    return list(read_bytes(name, data, ReadOptions(), ReadStats()))


def rss_item(description: bytes, declaration: bytes = b"<?xml version='1.0' encoding='utf-8'?>") -> bytes:
    return declaration + b"<rss version='2.0'><channel><title>Gazette</title><item><description>" + description + (
        b"</description></item></channel></rss>")  # fmt: skip


def test_a_json_escape_naming_half_a_surrogate_pair_becomes_a_replacement_character():
    [doc] = read("a.jsonl", b'{"text": "The pier \\ud800 reopened", "title": "Pier \\udfff"}\n')
    assert isinstance(doc, Document)
    assert doc.text == "The pier \ufffd reopened" and doc.meta.title == "Pier \ufffd"
    doc.text.encode("utf-8")  # the content id and every writer need valid Unicode


def test_character_references_that_name_no_character_become_replacement_characters():
    for reference in (b"&#xD800;", b"&#99999999;", b"&#0;"):
        [doc] = read("feed.xml", rss_item(b"The pier " + reference + b" reopened on Monday"))
        assert isinstance(doc, Document), doc
        assert doc.text == "The pier \ufffd reopened on Monday"


def test_an_xml_declaration_naming_an_undecodable_encoding_is_an_error_naming_the_feed():
    [error] = read("feed.xml", rss_item(b"The pier reopened", b"<?xml version='1.0' encoding='utf-\xdd'?>"))
    assert isinstance(error, InputError) and error.name == "feed.xml"
    assert CRASH_MARK not in error.reason and "not a readable RSS/Atom feed" in error.reason


def test_control_characters_in_a_feed_item_s_html_do_not_lose_the_item():
    [doc] = read("feed.xml", rss_item(b"&lt;p&gt;The pier\x1b reopened&lt;/p&gt;"))
    assert isinstance(doc, Document), doc
    assert doc.text == "The pier reopened"


def test_a_feed_item_whose_html_starts_with_an_html_tag_keeps_its_text():
    # lxml's fragment parser asserted that such markup makes exactly one <body>; it makes none
    [doc] = read("feed.xml", rss_item(b"&lt;html&gt;&lt;/html&gt;The pier reopened on Monday"))
    assert isinstance(doc, Document), doc
    assert doc.text == "The pier reopened on Monday"


def test_a_charset_label_with_a_nul_byte_is_ignored_like_an_unknown_one():
    page = article_html().encode()
    crawl = warc_record("https://gazette.example/sea-wall", page, content_type="text/html; charset=utf\x00-8")
    [doc] = read("crawl.warc", crawl)
    assert isinstance(doc, Document), doc
    assert doc.text.startswith("Harbour board backs new sea wall")


def test_a_url_that_urllib_cannot_split_names_no_outlet_and_the_clean_stage_runs():
    meta = Metadata(url="https://gazette.ex]ample/a")
    text = "Pier reopens\n\nThe Kell pier reopened on Monday after two years of repairs, the council said. ({})\n"
    docs = [Document.from_text(text.format(n), f"{n}.txt", meta) for n in range(2)]
    assert meta.outlet is None
    run(docs, default_cleaners())
    assert docs[0].spans("paragraphs")
