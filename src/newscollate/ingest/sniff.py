"""Which reader an input needs, decided from its first bytes.

Content decides whenever it is unambiguous (a ``.txt`` file holding a web page
is read as HTML, a ``.xml`` file holding an Atom feed as a feed); the file
extension or an HTTP ``Content-Type`` only settles inputs whose first bytes say
nothing clear (an HTML fragment that starts with text, say).
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from .text import SIDECAR_SUFFIX

#: Bytes of an input looked at to decide its format.
HEAD_BYTES = 8192

WARC, GZIP, HTML, FEED, JSON, TEXT, XML = "warc", "gzip", "html", "feed", "json", "text", "xml"

#: Formats recognised only to be refused, with what to do instead.
UNSUPPORTED = {
    b"%PDF-": "a PDF file; convert it to text first (e.g. pdftotext) and give the .txt",
    b"PK\x03\x04": "a ZIP archive; unpack it and give the folder",
    b"BZh": "bzip2-compressed; decompress it first (only gzip is read directly)",
    b"\xfd7zXZ\x00": "xz-compressed; decompress it first (only gzip is read directly)",
    b"\x28\xb5\x2f\xfd": "zstd-compressed; decompress it first (only gzip is read directly)",
}

#: Suffixes a folder walk picks up; ``NAME.gz`` counts when NAME's suffix is one of these.
KNOWN_SUFFIXES = {
    ".txt": TEXT, ".text": TEXT,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".warc": WARC,
    ".xml": FEED, ".rss": FEED, ".atom": FEED,
    ".jsonl": JSON, ".ndjson": JSON, ".json": JSON,
}  # fmt: skip

_HTML_TAGS = {
    "html", "head", "body", "meta", "title", "link", "script", "style", "base", "noscript",
    "div", "p", "article", "main", "section", "header", "nav", "span", "a", "h1", "h2", "h3",
    "table", "ul", "ol", "form", "iframe", "img", "br", "center", "font", "b", "i", "strong",
}  # fmt: skip
_FEED_TAGS = {"rss", "feed", "rdf:rdf", "rdf"}
_SKIP_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.S | re.I)
_FIRST_TAG = re.compile(r"<([a-z][\w.:-]*)", re.I)
# An object with a key, or an array of objects/arrays/strings: "[2026-03-02] Quay..." stays text.
_JSON_START = re.compile(r'(?:\{\s*["}]|\[\s*[\[{"\]])')
_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


def suffix_format(name: str) -> str | None:
    """The format a file name suggests (``story.html.gz`` -> ``html``), or ``None``."""
    path = PurePath(name.lower())
    suffixes = path.suffixes
    if not suffixes:
        return None
    if suffixes[-1] == ".gz":
        return KNOWN_SUFFIXES.get(suffixes[-2]) if len(suffixes) > 1 else None
    return KNOWN_SUFFIXES.get(suffixes[-1])


def is_known_file(name: str) -> bool:
    """Whether a folder walk reads this file (sidecars ``*.meta.json`` are not read on their own)."""
    return not name.lower().endswith(SIDECAR_SUFFIX) and suffix_format(name) is not None


def unsupported_reason(head: bytes) -> str | None:
    for magic, reason in UNSUPPORTED.items():
        if head.startswith(magic):
            return reason
    return None


def sniff(head: bytes, name: str = "", content_type: str | None = None) -> str:
    """The format of an input whose first bytes are ``head``.

    Returns one of ``warc``, ``gzip`` (look inside), ``html``, ``feed``
    (RSS/Atom/RDF), ``json`` (JSON or JSONL), ``xml`` (XML that is neither a
    feed nor XHTML) or ``text``; ``name`` and ``content_type`` only break ties.
    """
    if head.startswith(b"\x1f\x8b"):
        return GZIP
    text = _head_text(head).lstrip()
    if text.startswith("WARC/"):
        return WARC
    if _JSON_START.match(text):
        return JSON
    hinted = _hint(name, content_type)
    if text.startswith("<"):
        lowered = text.lower()
        pos, declared_html = 0, False
        while prolog := _SKIP_PROLOG.match(lowered, pos):
            declared_html = declared_html or prolog.group(0).lstrip().startswith("<!doctype html")
            pos = prolog.end()
        tag = _FIRST_TAG.match(lowered[pos:].lstrip())
        tag_name = tag.group(1) if tag else ""
        if tag_name in _FEED_TAGS or tag_name.endswith(":rss"):
            return FEED
        if declared_html or tag_name in _HTML_TAGS:
            return HTML
        if hinted:
            return hinted
        return XML if lowered.startswith("<?xml") else HTML
    if "<html" in text[:2048].lower():
        return HTML
    # Text that its name says is a page, a crawl, a feed or JSON goes to that reader, which
    # then says what is wrong with it: a cut-off "cnn.warc" is not an article that reads "WAR".
    return hinted or TEXT


def _head_text(head: bytes) -> str:
    for bom, encoding in _UTF16_32:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _hint(name: str, content_type: str | None) -> str | None:
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return HTML
        if kind.endswith(("rss+xml", "atom+xml", "rdf+xml")):
            return FEED
    return suffix_format(name) if name else None
