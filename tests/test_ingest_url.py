"""URL inputs, against a local server only: no test reaches the internet."""

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newscollate.ingest import InputError, ReadOptions, ingest
from newscollate.ingest import url as url_module
from newscollate.ingest.url import fetch, is_url, refusal

from .fixtures.ingest.builders import PARAGRAPHS, article_html, rss

LOCAL = ReadOptions(allow_private=True)
PAGE = article_html().encode()


class Handler(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        self.seen.append(self.path)
        path = self.path
        if path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            return self._redirect(f"/hop/{left - 1}" if left else "/article")
        redirects = {"/to-ftp": "ftp://127.0.0.1/file", "/to-other": f"http://127.0.0.2:{self.server.server_port}/secret"}
        if path in redirects:
            return self._redirect(redirects[path])
        if path == "/slow":
            time.sleep(1.0)
        if path == "/missing":
            return self._send(404, b"gone", "text/plain")
        if path == "/stream-big":  # no Content-Length: the size cap must stop the download itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE * 20)
            return None
        bodies = {
            "/article": (PAGE, "text/html; charset=utf-8", None),
            "/feed.php": (rss([{"title": "Lorries", "description": "Lorries will use the coast road, the council said."}]).encode(), "application/rss+xml", None),
            "/note": ("Tidewater council approved the new sea wall on Monday.\n".encode(), "text/plain", None),
            "/gzip": (gzip.compress(PAGE), "text/html", "gzip"),
            "/slow": (PAGE, "text/html", None),
        }  # fmt: skip
        body, content_type, encoding = bodies.get(path, (PAGE, "text/html", None))
        return self._send(200, body, content_type, encoding)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status, body, content_type, encoding=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(httpd: ThreadingHTTPServer) -> ThreadingHTTPServer:
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def local_server():
    httpd = serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def server(local_server):
    Handler.seen = []
    return local_server


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
        ("172.16.5.4", "private"), ("fd00::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"), ("2002:a00:1::", "private"), ("100.64.0.1", "special-purpose (not public)"),
        ("192.0.2.1", "private"), ("93.184.216.34", None), ("2606:4700:4700::1111", None),
    ],
)  # fmt: skip
def test_address_policy(address, reason):
    assert refusal(address) == reason


def test_is_url():
    assert is_url("https://gazette.example/a") and is_url("ftp://x/y")
    assert not is_url("stories/a.txt") and not is_url("C:\\news\\a.txt") and not is_url("notes: a://b")


def test_a_page_is_fetched_sniffed_and_extracted(server):
    [doc] = ingest([f"{server}/article"], LOCAL).documents
    assert doc.path == f"{server}/article" and PARAGRAPHS[0] in doc.text
    assert doc.meta.url == f"{server}/article" and doc.meta.source == "Tidewater Gazette"


def test_feeds_text_and_gzip_responses(server):
    result = ingest([f"{server}/feed.php", f"{server}/note", f"{server}/gzip"], LOCAL)
    feed_item, note, page = result.documents
    assert feed_item.path == f"{server}/feed.php#1" and feed_item.meta.title == "Lorries"
    assert note.text.startswith("Tidewater council") and note.meta.url == f"{server}/note"
    assert page.path == f"{server}/gzip" and PARAGRAPHS[0] in page.text
    assert result.duplicates == []


def test_private_addresses_are_refused_without_a_request(server):
    [error] = ingest([f"{server}/article"]).errors
    assert "127.0.0.1, a loopback address" in error.reason and "--allow-private" in error.reason
    assert Handler.seen == []


def test_every_resolved_address_is_checked(monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "mixed.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 80)) for a in ("93.184.216.34", "10.0.0.5")]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    [error] = ingest(["http://mixed.example/story"]).errors
    assert "10.0.0.5, a private address" in error.reason


def test_each_redirect_target_is_checked_again(server, monkeypatch):
    monkeypatch.setattr(url_module, "refusal", lambda address: None if address == "127.0.0.1" else "private")
    [error] = ingest([f"{server}/to-other"]).errors
    assert "127.0.0.2, a private address (redirected to http://127.0.0.2:" in error.reason
    assert Handler.seen == ["/to-other"]


def test_redirects_are_followed_up_to_the_limit(server):
    [doc] = ingest([f"{server}/hop/2"], LOCAL).documents
    assert doc.path == f"{server}/hop/2" and doc.meta.url == f"{server}/article"
    [error] = ingest([f"{server}/hop/5"], LOCAL).errors  # six redirects
    assert "more than 5 redirects" in error.reason and "--max-redirects" in error.reason


def test_only_http_and_https(server):
    assert "only http and https" in ingest(["ftp://127.0.0.1/file"], LOCAL).errors[0].reason
    assert "only http and https URLs are read, not ftp: (redirected to ftp://" in ingest([f"{server}/to-ftp"], LOCAL).errors[0].reason


def test_size_cap_by_header_and_while_streaming(server):
    small = ReadOptions(allow_private=True, max_bytes=len(PAGE) * 2)
    for path in ("/stream-big", "/article"):
        result = ingest([f"{server}{path}"], small)
        assert bool(result.errors) == (path == "/stream-big")
    assert "--max-bytes" in ingest([f"{server}/stream-big"], small).errors[0].reason
    assert "response of" in ingest([f"{server}/article"], ReadOptions(allow_private=True, max_bytes=1000)).errors[0].reason


def test_http_errors_and_timeouts_name_the_url(server):
    [error] = ingest([f"{server}/missing"], LOCAL).errors
    assert error.name == f"{server}/missing" and error.reason == "HTTP 404 Not Found"
    [error] = ingest([f"{server}/slow"], ReadOptions(allow_private=True, read_timeout=0.2)).errors
    assert "sent nothing for 0.2 s" in error.reason and "--read-timeout" in error.reason


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")
def test_https_connects_to_the_checked_address_and_verifies_the_host_name(tmp_path, monkeypatch):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    serve(httpd)
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1" if host in ("news.test", "other.test") else host, *a, **k),
    )  # fmt: skip
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        fetched = fetch(f"https://news.test:{httpd.server_port}/article", LOCAL, verify=trust)
        assert fetched.data == PAGE and fetched.content_type == "text/html" and fetched.charset == "utf-8"
        with pytest.raises(InputError) as refused:
            fetch(f"https://other.test:{httpd.server_port}/article", LOCAL, verify=trust)
        assert "CERTIFICATE_VERIFY_FAILED" in refused.value.reason and "other.test" in refused.value.reason
    finally:
        httpd.shutdown()
        httpd.server_close()
