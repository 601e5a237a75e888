"""RSS and Atom feeds, parsed with feedparser; one document per item.

An item's text is its full content (``content:encoded``, Atom ``content``),
else its summary/description, with HTML turned into plain lines by
:func:`~newscollate.ingest.html.html_to_text` (feed content is already the
article, so nothing is judged boilerplate).  Linked pages are not fetched.
Items are named ``FILE#N``, N counting items from 1 in feed order.
"""

from __future__ import annotations

import io
import re
from typing import Iterator

import feedparser

from ..model import Document, Metadata
from .dates import to_date
from .errors import InputError
from .html import html_to_text
from .options import ReadOptions, ReadStats, too_many_records

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,16}));?")
_NO_CHARACTER = b"&#xFFFD;"


def iter_feed(data: bytes, name: str, options: ReadOptions, stats: ReadStats) -> Iterator[Document | InputError]:
    """Documents and per-item errors from the feed ``data`` (the whole file).

    A feed that cannot be parsed at all or has no items is one error; an item
    without text is an error naming that item, and the other items are kept.
    """
    # A file-like object, never a string: feedparser would fetch a string that looks like a URL.
    data = _CHARREF.sub(_valid_charref, data)
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except (UnicodeError, ValueError) as exc:
        # feedparser has no guard for an undecodable encoding name in the XML declaration, nor
        # (in a UTF-16 feed, which the rewrite above cannot see into) for bad character references
        raise InputError(name, f"not a readable RSS/Atom feed: {type(exc).__name__}: {exc}") from None
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if problem is not None:
            raise InputError(name, f"not a readable RSS/Atom feed: {problem}")
        raise InputError(name, "feed has no items")
    if problem is not None:
        stats.warn(name, f"feed is not well-formed ({problem}); its {len(parsed.entries):,} items were read anyway")
    source = _clean(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, 1):
        if number > options.max_records:
            yield too_many_records(name, options, "feed items")
            return
        stats.records += 1
        where = f"{name}#{number}"
        text = _item_text(entry)
        title = _clean(entry.get("title"))
        if not text:
            shown = f" ({title!r})" if title else ""
            yield InputError(where, f"feed item {number}{shown} has no text (no content or summary); "
                             "linked pages are not fetched: give its URL to read the page")  # fmt: skip
            continue
        meta = Metadata(
            title=title,
            source=source,
            url=_clean(entry.get("link")),
            published=to_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            author=_clean(entry.get("author")),
        )
        yield Document.from_text(text, where, meta)


def _item_text(entry) -> str:
    """The longest text among the item's contents and its summary."""
    candidates = list(entry.get("content") or [])
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry.summary, "type": "text/html"})
    best = ""
    for content in candidates:
        value = content.get("value") or ""
        kind = (content.get("type") or "text/html").lower()
        text = html_to_text(value, is_html=kind in _HTML_TYPES)
        if len(text) > len(best):
            best = text
    return best


def _valid_charref(match: re.Match) -> bytes:
    """A character reference kept if it names a character, else U+FFFD, as the HTML standard
    reads it; feedparser would raise on ``&#xD800;`` or ``&#99999999;``."""
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    return match.group(0) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else _NO_CHARACTER


def _clean(value) -> str | None:
    value = " ".join(str(value).split()) if value else ""
    return value or None
