"""Web pages: decoding, main text and metadata via trafilatura.

The document made from a page is its *extracted* main text (paragraphs one per
line), so span offsets refer to that text; the markup is not kept.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

from ..model import Document, Metadata
from .dates import to_date
from .errors import InputError

__all__ = ["decode_html", "extract_html", "html_to_text", "read_html"]

#: Bytes searched for a ``<meta charset>`` / ``http-equiv`` / XML declaration.
#: The HTML standard says 1024; real pages put long scripts first, so look further.
CHARSET_SCAN_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
_DECLARED = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)
# The HTML standard decodes these labels as windows-1252, a superset.
_AS_CP1252 = {"ascii", "latin_1", "iso8859_1"}
_SINGLE_BYTE = re.compile(r"^(cp125\d|latin_1|iso8859_\d+|ascii|cp1252|koi8_[ru]|mac_\w+)$")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "hr",
}  # fmt: skip


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Page bytes to text: a BOM wins, then ``charset`` (from HTTP), then the
    page's own ``<meta charset>``/``http-equiv``/XML declaration, then strict
    UTF-8, then charset_normalizer's guess.

    A declaration that the bytes contradict is not trusted: a page declared
    UTF-8 that is not valid UTF-8, or one declared Latin-1/windows-1252 whose
    non-ASCII bytes are all valid UTF-8 (a frequent mislabel), is decoded by
    the next rule instead.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = [charset] if charset else []
    declared += [a or b for a, b in (m.groups() for m in _DECLARED.finditer(data[:CHARSET_SCAN_BYTES]))]
    for label in declared:
        text = _decode_declared(data, label.decode("ascii", "replace") if isinstance(label, bytes) else label)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[:65536]).best()
    return data.decode(guess.encoding if guess else "cp1252", errors="replace")


def _decode_declared(data: bytes, label: str) -> str | None:
    try:
        encoding = codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None
    if encoding in ("utf_8", "utf_8_sig"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if encoding.startswith(("utf_16", "utf_32")):
        return None  # a page without a BOM that says UTF-16 is lying: its markup was readable as ASCII
    if _SINGLE_BYTE.match(encoding):
        if not data.isascii():
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        return data.decode("cp1252" if encoding in _AS_CP1252 else encoding, errors="replace")
    try:
        return data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
    except UnicodeDecodeError:
        return None


def extract_html(
    data: bytes | str,
    url: str | None = None,
    *,
    fast: bool = False,
    charset: str | None = None,
) -> tuple[str, Metadata]:
    """The main text of a web page and what the page says about itself.

    ``data`` is the page as bytes (decoded by :func:`decode_html`, with
    ``charset`` from an HTTP header if known) or as text.  ``url`` is where it
    came from; it helps date extraction and becomes ``Metadata.url`` unless the
    page names a canonical URL.  ``fast`` uses trafilatura's faster heuristics.

    Returns ``(text, metadata)``: the text has one paragraph, heading or list
    item per line; it is ``""`` when the page has no recognisable main text.
    Comments sections are left out.  Dates come only from the page's markup,
    URL and date lines, never from a bare copyright year.
    """
    html = data if isinstance(data, str) else decode_html(data, charset)
    try:
        found = trafilatura.bare_extraction(
            html,
            url=url,
            fast=fast,
            include_comments=False,
            with_metadata=True,
            date_extraction_params=_date_params(),
        )
    except (ValueError, TypeError, RecursionError, lxml.etree.LxmlError):
        found = None
    if found is None:
        return "", Metadata(url=url)
    meta = Metadata(
        title=_clean(found.title),
        source=_clean(found.sitename),
        url=found.url or url,
        published=to_date(found.date),
        author=_clean(found.author),
    )
    return (found.text or "").strip(), meta


def _date_params() -> dict:
    # extensive_search=False: htmldate's free-text search dates a page with no
    # date markup from its "(c) 2026" footer as 2026-01-01.
    return {"original_date": True, "extensive_search": False, "max_date": datetime.now().strftime("%Y-%m-%d")}


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def read_html(
    data: bytes | str,
    name: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    crawled: date | None = None,
    fast: bool = False,
) -> Document:
    """A document of the page's main text; ``name`` is its path as the user will see it.

    ``crawled`` (a WARC record's date) becomes the publication date when the
    page has none of its own.  Raises :class:`InputError` when the page has no
    main text.
    """
    text, meta = extract_html(data, url, fast=fast, charset=charset)
    if not text:
        raise InputError(
            name,
            "no article text found in this web page (it may be an index page, a paywall, or built by "
            "JavaScript); save the article text as a .txt file to read it",
        )
    if meta.published is None and crawled is not None:
        meta.published = crawled
    return Document.from_text(text, name, meta)


def html_to_text(fragment: str, *, is_html: bool = True) -> str:
    """Plain text of an HTML fragment (a feed item's content): one block per line.

    Unlike :func:`extract_html` nothing is judged boilerplate; scripts and
    styles are dropped and whitespace inside a line is collapsed.  With
    ``is_html=False`` the fragment is plain text and only whitespace is tidied.
    """
    if not is_html or ("<" not in fragment and "&" not in fragment):
        return _join_lines(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):
        return ""
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _join_lines(root.text_content())


def _join_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
