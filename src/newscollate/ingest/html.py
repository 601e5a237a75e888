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
from htmldate import find_date
from trafilatura.external import SANITIZED_XPATH
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.utils import load_html

from ..model import Document, Metadata
from .dates import to_date
from .errors import InputError
from .text import guess_encoding

__all__ = ["decode_html", "extract_html", "html_to_text", "read_html"]

#: Bytes searched for a ``<meta charset>`` / ``http-equiv`` / XML declaration.
#: The HTML standard says 1024; real pages put long scripts first, so look further.
CHARSET_SCAN_BYTES = 8192

#: Fewer words than this extracted from a page is not an article but a leftover
#: link or label ("Home") from a page without one.
MIN_ARTICLE_WORDS = 5

#: Below this length trafilatura's full mode asks jusText for a longer text.
MIN_EXTRACTED_CHARS = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")

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
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
    return data.decode(guess_encoding(data), errors="replace")


def _decode_declared(data: bytes, label: str) -> str | None:
    try:
        encoding = codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except (LookupError, ValueError):  # ValueError: a label with a NUL byte in it (an HTTP header's charset)
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
    page names a canonical URL.  ``fast`` uses trafilatura's fast mode alone,
    never its fallback extractors.

    Returns ``(text, metadata)``: the text has one paragraph, heading or list
    item per line; it is ``""`` when the page has no recognisable main text.
    Comments sections are left out.  Dates come only from the page's markup,
    URL and date lines, never from a bare copyright year.
    """
    html = data if isinstance(data, str) else decode_html(data, charset)
    try:
        tree = load_html(html)
        if tree is None:
            return "", Metadata(url=url)
        try:
            meta = _page_metadata(tree, url)
        except Exception:  # noqa: BLE001 - metadata is best effort; a parser bug must not lose the text
            meta = Metadata(url=url)
        page_url = meta.url or url
        found = _extract(tree, page_url, fast=True)
        if not fast and _fallback_could_win(found, tree):
            found = _extract(load_html(html), page_url, fast=False)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, lxml.etree.LxmlError):
        return "", Metadata(url=url)
    return ((found.text or "").strip() if found is not None else ""), meta


def _extract(tree, url: str | None, *, fast: bool):
    # favor_precision: news pages carry more link lists and teasers than missing paragraphs
    return trafilatura.bare_extraction(tree, url=url, fast=fast, include_comments=False, favor_precision=True)


def _fallback_could_win(found, pruned_tree) -> bool:
    """Whether trafilatura's full mode could extract something else than its fast mode did.

    Full mode differs only by comparing its own extraction with readability's
    and jusText's (``trafilatura.external.compare_extraction``), and keeps its
    own unless it is short, lacks paragraphs, is table-dominated, holds
    leftover page furniture, or readability finds twice as much text.  Those
    are the tests here, with the page's paragraph text (after trafilatura's
    raw-tree pruning, which is what readability reads) as an upper bound of
    readability's length.  Skipping the comparison where none can pass makes
    extraction about a third faster with the same text.
    """
    body = found.body if found is not None else None
    if body is None:
        return True
    length = len(found.text or "")
    if length < MIN_EXTRACTED_CHARS or body.xpath(SANITIZED_XPATH) or not body.xpath(".//p//text()"):
        return True
    if len(body.findall(".//table")) > len(body.findall(".//p")):
        return True
    paragraph_chars = sum(len(" ".join(p.text_content().split())) for p in pruned_tree.iter("p"))
    return 2 * length < paragraph_chars


def _page_metadata(tree, url: str | None) -> Metadata:
    """Title, site, canonical URL, date and author, as trafilatura's ``extract_metadata``
    finds them, less the categories, tags and licence it also looks for (a third of its
    time) and less its author search in the page body.
    The tree is not changed.
    """
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a one-word "author" meta is usually a site handle
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD parser fails on odd JSON; the meta tags remain
        pass
    page_url = found.url or extract_url(tree, url) or url
    sitename = (found.sitename or extract_sitename(tree) or "").lstrip("@")
    if sitename and "." not in sitename and not sitename[0].isupper():
        sitename = sitename.title()
    return Metadata(
        title=_clean(found.title or extract_title(tree)),
        source=_clean(sitename),
        url=page_url,
        published=to_date(find_date(tree, url=page_url, **_date_params())),
        # Only markup names the author: trafilatura's fallback (extract_author) prunes and
        # scans the whole page, half the metadata time, and the byline line stays in the text.
        author=_clean(found.author),
    )


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
    if len(text.split()) < MIN_ARTICLE_WORDS:
        found = f" (only {text!r})" if text else ""
        raise InputError(
            name,
            f"no article text found in this web page{found}; it may be an index page, a paywall, or built by "
            "JavaScript: save the article text as a .txt file to read it",
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
    # lxml cannot hold these in a tree and raises when a text holding one is set
    fragment = _NOT_IN_XML.sub(" ", fragment)
    try:
        # Parsed as a page holding one div: fragment_fromstring asserts that the markup makes exactly
        # one <body>, and stray <html>/<body> tags in a feed item make none or two.
        root = lxml.html.document_fromstring(f"<div>{fragment}</div>")
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
