import gzip
import inspect
import json

import pytest

from newscollate.ingest import IngestResult, ReadOptions, ingest, iter_documents
from newscollate.ingest.sniff import FEED, GZIP, HTML, JSON, TEXT, WARC, XML, is_known_file, sniff

from .fixtures.ingest.builders import PARAGRAPHS, article_html, gzip_members, rss, warc_record, warcinfo

ARTICLE = "Tidewater council approved the new sea wall on Monday, officials said.\n"


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"WARC/1.1\r\nWARC-Type: warcinfo", "", WARC),
        (b"\x1f\x8b\x08\x00", "x.bin", GZIP),
        (b"  \n<!DOCTYPE html><html>", "", HTML),
        (b"<!-- saved page --><html lang='en'>", "", HTML),
        (b"\xef\xbb\xbf<div class='story'><p>Quay", "", HTML),
        (b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "", HTML),
        (b"<?xml version='1.0'?>\n<rss version='2.0'>", "", FEED),
        (b"<?xml version='1.0'?>\n<!-- generated --><feed xmlns='http://www.w3.org/2005/Atom'>", "", FEED),
        (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "", FEED),
        (b"<?xml version='1.0'?>\n<invoice><total>3</total>", "", XML),
        (b'{"maintext": "x"}\n{"maintext": "y"}', "", JSON),
        (b'[\n  {"text": "x"}', "", JSON),
        ("<p>Quay</p>".encode("utf-16"), "", HTML),
        (b"[Updated] The council met on Monday.", "", TEXT),
        (b"[2026-03-02] The council met on Monday.", "notes.txt", TEXT),
        (b"{{template}} is not JSON", "", TEXT),
        (b"<Updated> The council met on Monday.", "story.txt", TEXT),
        (b"Breaking: the quay is closed. <html> appears later", "", HTML),
        (b"The council met on Monday.", "page.html", HTML),
        (b"The council met on Monday.", "", TEXT),
    ],
)
def test_sniff(head, name, expected):
    assert sniff(head, name) == expected


def test_folder_walk_picks_known_extensions_only():
    assert all(map(is_known_file, ["a.txt", "a.HTML", "a.htm", "a.warc", "a.warc.gz", "a.jsonl.gz", "a.rss", "a.atom", "a.xml", "a.json"]))
    assert not any(map(is_known_file, ["a.meta.json", "README.md", "a.tar.gz", "a.gz", "a.png", "Makefile"]))


def test_a_folder_of_mixed_inputs_is_read_in_name_order(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.html").write_text(article_html())
    (tmp_path / "c.warc.gz").write_bytes(gzip_members([warcinfo(), warc_record("https://x.example/ferry", article_html(
        ["The ferry to Kell Island will run twice a day from June, the operator said on Tuesday."] * 3, title="Ferry").encode())]))
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": "Stone for the wall comes from the Kell quarry, the contractor said."}) + "\n")
    (tmp_path / "e.rss").write_text(rss([{"title": "Lorries", "description": "Lorries will use the coast road, the council said."}]))
    (tmp_path / "f.html.gz").write_bytes(gzip.compress(article_html(["Fish market moves to the ferry terminal for thirty weeks."] * 2).encode()))
    (tmp_path / "a.meta.json").write_text('{"source": "Harbour Wire"}')
    (tmp_path / "notes.md").write_text("not an input")
    (tmp_path / ".hidden.txt").write_text("hidden")
    result = ingest([str(tmp_path)])
    assert not result.errors, result.errors
    paths = [d.path.removeprefix(str(tmp_path) + "/") for d in result.documents]
    assert paths[0] == "a.txt" and paths[1] == "b.html" and paths[2].startswith("c.warc.gz#")
    assert paths[3:] == ["d.jsonl:line 1", "e.rss#1", "f.html.gz"]
    assert result.documents[0].meta.source == "Harbour Wire"  # the text sidecar still applies
    assert result.skipped == {"WARC warcinfo record": 1}


def test_iter_documents_streams_and_ingest_collects(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = iter_documents([str(good), str(tmp_path / "missing.txt")])
    assert inspect.isgenerator(items)
    first = next(items)
    assert first.path == str(good)
    assert "no such file" in next(items).reason
    result = ingest([str(good)])
    assert isinstance(result, IngestResult) and len(result.documents) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"BZh91AY&SY", "bzip2"),
        (gzip.compress(gzip.compress(b"x")), "gzip inside gzip"),
        (b"<?xml version='1.0'?><invoice/>", "neither an RSS/Atom feed nor an XHTML page"),
    ],
)
def test_unsupported_inputs_say_what_to_do(tmp_path, data, reason):
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    [error] = ingest([str(path)]).errors
    assert error.name == str(path) and reason in error.reason


def test_oversized_file_is_rejected_naming_the_limit(tmp_path):
    path = tmp_path / "big.html"
    path.write_text(article_html())
    small = tmp_path / "small.txt"
    small.write_text(ARTICLE)
    result = ingest([str(path), str(small)], ReadOptions(max_bytes=500))
    assert [d.path for d in result.documents] == [str(small)]
    [error] = result.errors
    assert "max_bytes limit of 500 bytes" in error.reason and "--max-bytes" in error.reason


def test_gzip_expanding_past_the_limit_is_rejected(tmp_path):
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html><body>" + b" " * 2_000_000 + b"</body></html>"))
    [error] = ingest([str(path)], ReadOptions(max_decompressed_bytes=100_000)).errors
    assert "max_decompressed_bytes" in error.reason and "--max-decompressed-bytes" in error.reason


def test_truncated_gzip_page_is_an_error(tmp_path):
    data = gzip.compress(article_html().encode())
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: len(data) // 2])
    [error] = ingest([str(path)]).errors
    assert error.name == str(path) and "truncated" in error.reason


def test_gzipped_text_keeps_plain_text_behaviour(tmp_path):
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(("---\nsource: Harbour Wire\n---\n" + ARTICLE).encode()))
    [doc] = ingest([str(path)]).documents
    assert doc.meta.source == "Harbour Wire" and doc.spans("removed")[0].label == "front-matter"


def test_same_text_from_two_formats_is_kept_once(tmp_path):
    (tmp_path / "a.txt").write_text(PARAGRAPHS[0])
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": PARAGRAPHS[0]}) + "\n")
    result = ingest([str(tmp_path)])
    assert len(result.documents) == 1 and result.duplicates == [(f"{tmp_path}/b.jsonl:line 1", result.documents[0].id)]
