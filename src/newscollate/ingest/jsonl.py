"""JSON Lines (one article per line) and JSON files of articles.

JSONL is streamed line by line, so memory does not grow with the number of
lines; documents are named ``FILE:line N`` (N counts physical lines from 1).
A whole-file JSON (a pretty-printed object, as news-please writes one per
article, or an array of objects) is read at once within ``max_bytes``; an
array's items are named ``FILE#N``.  Which keys hold the text, title, URL,
date, source and author is set by :class:`ReadOptions`.
"""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO, Iterator

from ..model import Document, Metadata
from .dates import to_date
from .errors import InputError
from .options import ReadOptions, ReadStats, limit_error, too_many_records

# JSON's \uXXXX escapes can name half a surrogate pair, which no text encoding can write.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: Bytes skipped per step when discarding the rest of an over-long line.
_SKIP_CHUNK = 1 << 20


def iter_json(stream: BinaryIO, name: str, options: ReadOptions, stats: ReadStats) -> Iterator[Document | InputError]:
    """Documents and per-record errors from a JSONL or JSON ``stream``."""
    number, first = 0, b""
    while not first.strip():
        first, too_long = _read_line(stream, options.max_bytes)
        number += 1
        if not first and not too_long:
            raise InputError(name, "empty file (no JSON records)")
        if too_long:
            break
    opening = first.lstrip().removeprefix(b"\xef\xbb\xbf").rstrip()
    if not too_long and (opening.startswith(b"[") or opening == b"{"):
        yield from _whole_json(first + stream.read(options.max_bytes + 1 - len(first)), name, options, stats)
        return
    yield from _lines(stream, first, too_long, number, name, options, stats)


def _lines(stream, line: bytes, too_long: bool, number: int, name: str, options: ReadOptions, stats: ReadStats):
    records = 0
    while line or too_long:
        where = f"{name}:line {number}"
        if not too_long and not line.strip():
            stats.skipped["JSONL blank line"] += 1
        else:
            records += 1
            stats.records += 1
            if records > options.max_records:
                yield too_many_records(name, options, "JSONL records")
                return
            if too_long:
                yield limit_error(where, "max_bytes", options.max_bytes, "JSONL line")
            else:
                try:
                    yield record_document(_parse(line, where), where, options, stats, name)
                except InputError as error:
                    yield error
        line, too_long = _read_line(stream, options.max_bytes)
        number += 1


def _whole_json(data: bytes, name: str, options: ReadOptions, stats: ReadStats) -> Iterator[Document | InputError]:
    if len(data) > options.max_bytes:
        raise limit_error(name, "max_bytes", options.max_bytes, "JSON file")
    value = _parse(data, name)
    if isinstance(value, dict):
        stats.records += 1
        yield record_document(value, name, options, stats, name)
        return
    if not isinstance(value, list):
        raise InputError(name, "JSON file holds neither an article object nor an array of them")
    if not value:
        raise InputError(name, "JSON array is empty (no records)")
    for number, record in enumerate(value, 1):
        if number > options.max_records:
            yield too_many_records(name, options, "JSON records")
            return
        stats.records += 1
        try:
            yield record_document(record, f"{name}#{number}", options, stats, name)
        except InputError as error:
            yield error


def _read_line(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """The next line (``b""`` at the end) and whether it was longer than ``limit`` (then it is skipped)."""
    line = stream.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line, False
    while line and not line.endswith(b"\n"):
        line = stream.readline(_SKIP_CHUNK)
    return b"", True


def _parse(data: bytes, where: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 text ({exc.reason}); JSON must be UTF-8") from None
    except RecursionError:  # a depth bomb ([[[[...]]]]): no article nests this deep
        raise InputError(where, "JSON nested too deeply (over about 1,000 levels); not an article record") from None


def record_document(record: Any, where: str, options: ReadOptions, stats: ReadStats, name: str) -> Document:
    """A document from one decoded record; ``where`` names it in errors and becomes its path."""
    if not isinstance(record, dict):
        raise InputError(where, f"record is a JSON {type(record).__name__}, not an object")
    key, text = _pick(record, options.text_field)
    if key is None:
        raise InputError(where, f"no text field (looked for {', '.join(options.text_field)}); "
                         "name the field with --text-field")  # fmt: skip
    if not isinstance(text, str):
        raise InputError(where, f"text field {key!r} holds a JSON {type(text).__name__}, not a string")
    if not text.strip():
        raise InputError(where, f"text field {key!r} is empty")
    text = _valid_unicode(text)
    date_key, date_value = _pick(record, options.date_field)
    published = to_date(date_value)
    if published is None and date_value not in (None, ""):
        stats.warn(name, f"{date_key} {date_value!r} is not a date; ignored", where)
    meta = Metadata(
        title=_string(_pick(record, options.title_field)[1]),
        source=_string(_pick(record, options.source_field)[1]),
        url=_string(_pick(record, options.url_field)[1]),
        published=published,
        author=_string(_pick(record, options.author_field)[1]),
    )
    return Document.from_text(text, where, meta)


def _pick(record: dict, keys: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first of ``keys`` with a non-empty value; else the first present key (empty) or ``(None, None)``."""
    present = None
    for key in keys:
        if key in record:
            value = record[key]
            if value not in (None, "", [], {}):
                return key, value
            present = present or (key, value)
    return present or (None, None)


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    elif isinstance(value, dict):
        value = value.get("name")
    value = " ".join(str(value).split()) if value not in (None, "") else ""
    return _valid_unicode(value) or None


def _valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate (from an escape like ``\\ud800``) replaced by U+FFFD,
    as a decoder replaces an invalid byte."""
    return _LONE_SURROGATE.sub("\ufffd", text)
