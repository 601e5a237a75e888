"""Issue 8, "nothing let in": every limit on what an input may cost, one test each.

Limits tested elsewhere are not repeated here: max_bytes of a file, a WARC record, a JSONL
line and a URL response, max_records of WARC/JSONL/feeds, max_decompressed_bytes of a
whole-file gzip, the URL read timeout, redirects and the address policy (tests/test_ingest_*.py),
and the web upload size (tests/test_web_api.py).  Each test here checks what happens at the
limit and that the input passes once the limit is raised, so a limit that stopped working
(or one that stopped everything) fails it.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import brotli
import pytest
import typer.main
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newscollate.cli import app as cli_app
from newscollate.ingest import InputError, ReadOptions, ReadStats, ingest, read_bytes
from newscollate.web import WebSettings, create_app

from .fixtures.ingest.builders import article_html, rss, warc_record, warcinfo

PAGE = article_html().encode()
STORY = "The Tidewater council approved the new sea wall on Monday after a long debate about lorry routes."
MB = 1 << 20


def read(name: str, data: bytes, **limits) -> tuple[list, list[InputError]]:
    items = list(read_bytes(name, data, ReadOptions(**limits), ReadStats()))
    return [i for i in items if not isinstance(i, InputError)], [i for i in items if isinstance(i, InputError)]


def zeros_gzip(before: bytes, megabytes: int, after: bytes = b"") -> bytes:
    """One gzip member: ``before``, ``megabytes`` MB of zero bytes, ``after`` (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MB)
    head = packer.compress(before)
    middle = b"".join(packer.compress(block) for _ in range(megabytes))
    return head + middle + packer.compress(after) + packer.flush()


def metadata_bomb(megabytes: int) -> bytes:
    """A WARC metadata record whose zero-filled block is ``megabytes`` MB, as one gzip member."""
    size = megabytes * MB
    header = (
        "WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        f"WARC-Date: 2026-03-04T05:06:07Z\r\nContent-Type: application/warc-fields\r\nContent-Length: {size}\r\n\r\n"
    )
    return zeros_gzip(header.encode(), megabytes, b"\r\n\r\n")


# --- gzip and WARC bombs -----------------------------------------------------------------------


def warc_gz_bomb() -> tuple[bytes, int, int]:
    """A .warc.gz: warcinfo, a page, a bomb, the page again; and the offsets of the first page and the bomb."""
    info, page = gzip.compress(warcinfo()), gzip.compress(warc_record("https://gazette.example/wall", PAGE))
    return info + page + metadata_bomb(12) + page, len(info), len(info + page)


def test_a_warc_gz_bomb_is_stopped_by_the_compression_ratio_naming_file_and_record():
    data, page_at, bomb_at = warc_gz_bomb()
    documents, [error] = read("crawl.warc.gz", data, max_compression_ratio=3)
    assert [d.path for d in documents] == [f"crawl.warc.gz#{page_at}"]
    assert error.name == "crawl.warc.gz" and f"stopped in the record at byte {bomb_at:,}" in error.reason
    assert "max_compression_ratio limit of 3" in error.reason and "--max-compression-ratio" in error.reason
    documents, errors = read("crawl.warc.gz", data, max_compression_ratio=100_000)
    assert len(documents) == 2 and not errors  # the same file, trusted, reads whole


def test_a_warc_gz_bomb_is_stopped_by_the_decompressed_total():
    data = warc_gz_bomb()[0]
    documents, [error] = read("crawl.warc.gz", data, max_decompressed_bytes=5 * MB, max_compression_ratio=100_000)
    assert len(documents) == 1
    assert "max_decompressed_bytes limit of 5,242,880 bytes" in error.reason and "--max-decompressed-bytes" in error.reason


def test_a_jsonl_gz_bomb_keeps_the_records_before_it():
    first = gzip.compress(json.dumps({"text": STORY}).encode() + b"\n")
    data = first + zeros_gzip(b'{"text": "', 12, b'"}\n')
    documents, errors = read("dump.jsonl.gz", data, max_compression_ratio=3)
    assert [d.path for d in documents] == ["dump.jsonl.gz:line 1"]
    assert errors[-1].name == "dump.jsonl.gz" and "max_compression_ratio" in errors[-1].reason
    assert "the records before it were read" in errors[-1].reason


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("page.html.gz", b"<html><body><p>", b"</p></body></html>"),
        ("feed.xml.gz", b'<?xml version="1.0"?><rss version="2.0"><channel><item><description>', b"</description></item></channel></rss>"),
        ("note.txt.gz", STORY.encode() + b"\n", b""),
        ("items.json.gz", b'[{"text": "', b'"}]'),
    ],
)  # fmt: skip
def test_a_gzipped_whole_file_may_expand_to_max_bytes_only(name, before, after):
    """Any whole-file format: the decompressed file is one input, held in memory, so max_bytes caps it."""
    bomb = zeros_gzip(before, 3, after)
    _, [error] = read(name, bomb, max_bytes=MB)
    assert error.name.startswith(name) and "over the max_bytes limit of 1,048,576 bytes" in error.reason
    if not name.startswith("page"):  # (3 MB of HTML take seconds to extract)
        _, errors = read(name, bomb, max_bytes=4 * MB)
        assert not any("max_bytes" in e.reason for e in errors)  # what stopped it was the limit


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_a_warc_payload_whose_content_encoding_expands_past_max_bytes_is_refused(encoding):
    body = b"<html><body><p>" + b" " * (3 * MB) + b"</p></body></html>"
    packed = {"br": lambda: brotli.compress(body, quality=1), "deflate": lambda: zlib.compress(body, 9)}.get(
        encoding, lambda: gzip.compress(body)
    )()
    headers = [f"Content-Length: {len(packed)}", f"Content-Encoding: {encoding}"]
    bomb = warc_record("https://gazette.example/bomb", packed, http_headers=headers)
    head = warcinfo() + bomb
    data = head + warc_record("https://gazette.example/wall", PAGE)
    documents, [error] = read("crawl.warc", data, max_bytes=MB)
    assert [d.path for d in documents] == [f"crawl.warc#{len(head)}"]
    assert error.name == f"crawl.warc#{len(warcinfo())}"
    assert f"decoded {encoding} HTTP payload over the max_bytes limit" in error.reason and "--max-bytes" in error.reason


def test_a_warc_record_declaring_a_huge_length_costs_only_what_the_file_holds():
    record = warc_record("https://gazette.example/wall", PAGE, content_length=str(10**15))
    documents, [error] = read("crawl.warc", warcinfo() + record)
    assert not documents and error.name == f"crawl.warc#{len(warcinfo())}"
    assert re.search(r"is truncated: [\d,]+ of 999,999,999,999,\d{3} payload bytes", error.reason)


def test_endless_warc_headers_end_the_file_with_an_error_after_the_good_records():
    good = warc_record("https://gazette.example/wall", PAGE)
    endless = b"WARC/1.1\r\nWARC-Type: response\r\n" + b"X-More: b\r\n" * 400_000  # 4.4 MB of header, no end
    documents, [error] = read("crawl.warc", warcinfo() + good + endless)
    assert len(documents) == 1
    assert error.name == "crawl.warc" and "malformed WARC data after the record at byte" in error.reason


# --- JSON depth, XML entities ------------------------------------------------------------------


def test_json_nested_too_deep_is_an_error_naming_the_record_and_the_rest_is_read():
    deep = b"[" * 50_000 + b"]" * 50_000
    lines = b'{"text": ' + deep + b"}\n" + json.dumps({"text": STORY}).encode() + b"\n"
    documents, [error] = read("dump.jsonl", lines)
    assert [d.path for d in documents] == ["dump.jsonl:line 2"]
    assert error.name == "dump.jsonl:line 1" and "nested too deeply" in error.reason
    _, [error] = read("items.json", b"[" + deep + b"]")
    assert error.name == "items.json" and "nested too deeply" in error.reason


def test_feed_and_page_entities_are_neither_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-DISK")
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    feed = rss([{"title": "Wall", "description": f"&l9; &xxe; {STORY}"}]).replace("<rss", doctype + "<rss", 1)
    [document], _ = read("feed.xml", feed.encode())
    assert STORY in document.text and "SECRET" not in document.text and "lollol" not in document.text
    page_doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    page = article_html([f"&xxe; {STORY} " * 3]).replace("<html", page_doctype + "<html", 1)
    [document], _ = read("page.html", page.encode())
    assert STORY in document.text and "SECRET" not in document.text


# --- URL fetches ---------------------------------------------------------------------------------


class Trickle(BaseHTTPRequestHandler):
    """Sends its headers, then one byte of body every 0.05 s for ever."""

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture()
def trickle_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/page"
    httpd.shutdown()
    httpd.server_close()


def test_a_fetch_that_never_ends_stops_at_the_fetch_timeout(trickle_server):
    started = time.monotonic()
    [error] = ingest([trickle_server], ReadOptions(allow_private=True, read_timeout=5, fetch_timeout=0.4)).errors
    assert time.monotonic() - started < 3  # the read timeout alone would never end it
    assert error.name == trickle_server and "longer than 0.4 s" in error.reason and "--fetch-timeout" in error.reason


def test_a_server_that_never_accepts_stops_at_the_connect_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    waiting = []
    for _ in range(8):  # fill the accept queue: later connections get no answer at all
        client = socket.socket()
        client.setblocking(False)
        client.connect_ex(listener.getsockname())
        waiting.append(client)
    url = "http://127.0.0.1:%d/page" % listener.getsockname()[1]
    try:
        [error] = ingest([url], ReadOptions(allow_private=True, connect_timeout=0.3)).errors
    finally:
        for client in waiting:
            client.close()
        listener.close()
    assert "no connection within 0.3 s" in error.reason and "--connect-timeout" in error.reason


def test_a_name_that_never_resolves_stops_at_the_connect_timeout(monkeypatch):
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, *a, **k: time.sleep(2) if host == "slow.test" else real(host, *a, **k)
    )
    started = time.monotonic()
    [error] = ingest(["http://slow.test/page"], ReadOptions(connect_timeout=0.2)).errors
    assert time.monotonic() - started < 1.5
    assert "did not resolve within 0.2 s" in error.reason and "--connect-timeout" in error.reason


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"), ("[::ffff:7f00:1]", "::ffff:127.0.0.1"), ("[::]", "::"),
        ("[::ffff:169.254.169.254]", "::ffff:169.254.169.254"),
        ("[64:ff9b::a9fe:a9fe]", "64:ff9b::a9fe:a9fe"), ("[2002:7f00:1::]", "2002:7f00:1::"), ("[ff02::1]", "ff02::1"),
    ],
)  # fmt: skip
def test_odd_spellings_of_inner_addresses_are_refused(host, address):
    [error] = ingest([f"http://{host}:9/x"]).errors
    assert f"resolves to {address}, a" in error.reason and "--allow-private" in error.reason


# --- command line --------------------------------------------------------------------------------

READER_LIMITS = [
    "--max-bytes", "--max-decompressed-bytes", "--max-compression-ratio", "--max-records", "--allow-private",
    "--connect-timeout", "--read-timeout", "--fetch-timeout", "--max-redirects",
]  # fmt: skip


@pytest.mark.parametrize("command", ["ingest", "collate", "run"])
def test_every_reader_limit_is_an_option_of_every_reading_command(command):
    click_command = typer.main.get_command(cli_app).commands[command]
    options = {flag for parameter in click_command.params for flag in parameter.opts}
    assert set(READER_LIMITS) <= options


def test_limit_options_reach_the_readers(tmp_path, trickle_server):
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(zeros_gzip(b'{"text": "', 8, b'"}\n'))  # nothing usable: ingest stops before it loads any model
    store = str(tmp_path / "store.db")
    result = CliRunner().invoke(
        cli_app, ["ingest", str(dump), trickle_server, "--store", store, "--quiet", "--max-compression-ratio", "2",
                  "--allow-private", "--fetch-timeout", "0.3"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "max_compression_ratio limit of 2" in result.output and "longer than 0.3 s" in result.output
    bad = CliRunner().invoke(cli_app, ["ingest", str(dump), "--store", store, "--read-timeout", "0"])
    assert bad.exit_code == 2 and "read_timeout must be more than 0" in bad.output


def test_serve_options_set_the_web_limits(monkeypatch, tmp_path):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kwargs: served.update(app=application))
    args = ["serve", "--store", str(tmp_path / "s.db"), "--max-files", "3", "--max-request-records", "7"]
    assert CliRunner().invoke(cli_app, args).exit_code == 0
    settings = served["app"].state.settings
    assert (settings.max_files, settings.max_request_records) == (3, 7)
    CliRunner().invoke(cli_app, ["serve", "--store", str(tmp_path / "s.db")])
    defaults, settings = WebSettings(store="x"), served["app"].state.settings
    assert (settings.max_files, settings.max_request_records) == (defaults.max_files, defaults.max_request_records)
    help_text = CliRunner().invoke(cli_app, ["serve", "--help"], env={"COLUMNS": "300"}).output
    assert f"(default {defaults.max_files})" in help_text and f"(default {defaults.max_request_records})" in help_text


# --- web requests -------------------------------------------------------------------------------


@pytest.fixture()
def web(tmp_path):
    def client(**limits) -> TestClient:
        return TestClient(create_app(WebSettings(store=tmp_path / "store.db", **limits)))

    return client


def jsonl(count: int) -> bytes:
    return b"".join(json.dumps({"text": f"{STORY} Item {n}."}).encode() + b"\n" for n in range(count))


def test_files_per_upload_are_limited(web):
    with web(max_files=2) as client:
        files = [("files", (f"n{n}.txt", STORY.encode(), "text/plain")) for n in range(3)]
        response = client.post("/api/documents", files=files)
        assert response.status_code == 413
        assert "more than 2 files" in response.json()["error"] and "--max-files" in response.json()["error"]
        assert client.get("/upload").text.count("at most 2 files") == 1


def test_records_per_request_are_limited_across_all_files_and_nothing_is_stored(web):
    with web(max_request_records=4) as client:
        files = [("files", (name, jsonl(count), "application/x-ndjson")) for name, count in (("a.jsonl", 3), ("b.jsonl", 2))]
        response = client.post("/api/documents", files=files)
        assert response.status_code == 413
        message = response.json()["error"]
        assert "more than 4 records in one request" in message and "b.jsonl" in message
        assert "--max-request-records" in message
        big_file = client.post("/api/documents", files=[("files", ("c.jsonl", jsonl(9), "application/x-ndjson"))])
        assert big_file.status_code == 413 and "c.jsonl" in big_file.json()["error"]
        records = client.post("/api/documents", json=[{"text": f"{STORY} {n}"} for n in range(5)])
        assert records.status_code == 413 and "this one has 5" in records.json()["error"]
        assert client.get("/api/events").json()["total"] == 0  # nothing of a refused request was stored


def test_json_nested_too_deeply_in_a_request_is_a_400(web):
    with web() as client:
        deep = b"[" * 100_000 + b"]" * 100_000
        response = client.post("/api/documents", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "nested too deeply" in response.json()["error"]


# --- upload names ------------------------------------------------------------------------------


@pytest.fixture()
def no_events(monkeypatch):
    """Documents are stored but not grouped into events: these tests are about names, and
    grouping would load the language model (seconds)."""
    import newscollate.store.stream

    monkeypatch.setattr(newscollate.store.stream, "stream_into_events", lambda *a, **k: SimpleNamespace(changed_ids=[]))

HOSTILE_NAMES = {
    "../../etc/passwd.txt": "passwd.txt",
    "..\\..\\windows\\x.txt": "x.txt",
    "/var/lib/story.txt": "story.txt",
    "C:\\Users\\ann\\story.txt": "story.txt",
    "right\u202egnp.txt": "right gnp.txt",
    "zero\u200bwidth\x1b[31m.txt": "zero width [31m.txt",
    "..": "upload",
}


def test_upload_names_are_labels_only_never_paths(web, no_events, tmp_path, monkeypatch):
    # A name used as a path would pick up this sidecar (or read the secret file named):
    (tmp_path / "story.meta.json").write_text(json.dumps({"title": "FROM DISK"}))
    (tmp_path / "secret.txt").write_text("SECRET-FROM-DISK " * 20)
    monkeypatch.chdir(tmp_path)
    names = {**HOSTILE_NAMES, str(tmp_path / "secret.txt"): "secret.txt", "story.txt": "story.txt"}
    names["x" * 3000 + ".txt"] = None  # cut to 255 characters, ending as it ended
    with web() as client:
        files = [("files", (name, f"{STORY} Number {n}.".encode(), "text/plain")) for n, name in enumerate(names)]
        report = client.post("/api/documents", files=files).json()
        assert not report["errors"] and len(report["added"]) == len(names)
        stored = [client.get(f"/api/documents/{doc_id}").json() for doc_id in report["added"]]
    paths = [doc["path"] for doc in stored]
    for path, (given, expected) in zip(paths, names.items()):
        assert path == (expected or path), given
    long_name = paths[-1]
    assert len(long_name) == 255 and long_name.endswith("x.txt") and "\u2026" in long_name
    assert all(doc["title"] != "FROM DISK" and "SECRET" not in doc["text"] for doc in stored)
    renamed = [w for w in report["warnings"] if "was uploaded as" in w]
    assert renamed[0] == (
        "passwd.txt: the file was uploaded as '../../etc/passwd.txt'; its folders are dropped, unprintable characters "
        "become spaces and long names are cut (a name is only a label, never opened)"
    )
    assert any("'right\\u202egnp.txt'" in w for w in renamed) and not any("uploaded as 'story.txt'" in w for w in renamed)


def test_json_record_paths_keep_their_folders_but_lose_control_characters(web, no_events):
    records = [{"text": STORY, "path": "feeds/\u202eevil\x00.json"}, {"text": STORY + " Again.", "path": "/tmp/../x"}]
    with web() as client:
        report = client.post("/api/documents", json=records).json()
        paths = [client.get(f"/api/documents/{doc_id}").json()["path"] for doc_id in report["added"]]
    assert paths == ["feeds/ evil .json", "/tmp/../x"]
    assert len([w for w in report["warnings"] if "path was" in w]) == 1
