"""WARC and WARC.gz crawl archives (Common Crawl style), streamed with FastWARC.

Every ``response`` (or ``resource``) record holding a successful HTML page
becomes a document named ``FILE#OFFSET``: OFFSET is the record's byte offset in
FILE, the number CDX indexes and ``warcio extract FILE OFFSET`` use (for a
``.warc.gz`` that is not gzipped record by record, the offset in the
decompressed stream).  Its URL is the record's ``WARC-Target-URI`` and, when
the page carries no date of its own, its publication date is the crawl date
(``WARC-Date``).  Other records are counted in :attr:`ReadStats.skipped`.

Only one record is in memory at a time.  A record cut short, a malformed
header or a damaged gzip member ends the file with an :class:`InputError`
naming the offset; the documents read before it are kept.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO, Iterator

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..model import Document
from .dates import to_date
from .errors import InputError
from .html import read_html
from .options import ReadOptions, ReadStats, expansion_error, limit_error, too_many_records
from .sniff import HTML, sniff
from .streams import GzipStream

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Content types that say nothing about the payload; those payloads are sniffed.
_VAGUE_TYPES = {"", "application/octet-stream", "unknown/unknown", "application/unknown", "text/plain"}
_PAGE_RECORDS = WarcRecordType.response | WarcRecordType.resource


def iter_warc(
    stream: BinaryIO, name: str, options: ReadOptions, stats: ReadStats, gzip: GzipStream | None = None
) -> Iterator[Document | InputError]:
    """Documents and per-record errors from the WARC in ``stream``.

    ``gzip`` is the :class:`GzipStream` that ``stream`` reads from, if the file
    is compressed; it maps record positions back to offsets in the file.
    """
    count = 0
    last_offset: int | None = None
    record_error: InputError | None = None  # held back: damage found later may explain it
    try:
        for record in ArchiveIterator(stream, parse_http=True, auto_decode="none", stream_detect=False):
            if record_error is not None:
                yield record_error
                record_error = None
            offset = record.stream_pos
            if gzip is not None:
                offset = gzip.compressed_offset(offset) or offset
            count += 1
            stats.records += 1
            if count > options.max_records:
                yield too_many_records(name, options, "WARC records")
                return
            last_offset = offset
            try:
                document = _read_record(record, f"{name}#{offset}", offset, options, stats, name)
            except InputError as error:
                record_error = error
                continue
            if document is not None:
                yield document
    except OSError as exc:  # FastWARC's parse errors
        if gzip is not None and gzip.over_limit:
            yield _cut_off(name, options, gzip, last_offset)
            return
        if record_error is not None:
            problem = f"{record_error.reason}, and reading stopped there ({exc})"
        elif last_offset is not None:
            problem = f"malformed WARC data after the record at byte {last_offset:,} ({exc})"
        else:
            problem = f"malformed WARC data at the start of the file ({exc})"
        yield InputError(name, f"{problem}; the records before it were read")
        return
    if gzip is not None and gzip.over_limit:
        yield _cut_off(name, options, gzip, last_offset)  # the record cut off by it is not reported as truncated
    elif gzip is not None and gzip.error is not None:
        yield InputError(name, f"{gzip.error}; the records decompressed before the damage were read")
    elif record_error is not None:
        yield record_error
    elif count == 0:
        yield InputError(name, "no WARC record could be read: the file is empty or its first record header is cut off")


def _cut_off(name: str, options: ReadOptions, gzip: GzipStream, last_offset: int | None) -> InputError:
    where = f"in the record at byte {last_offset:,}" if last_offset is not None else "in the first record"
    return expansion_error(name, options, gzip.over_limit, f"reading stopped {where}, the records before it were read")


def _read_record(record, where: str, offset: int, options: ReadOptions, stats: ReadStats, name: str) -> Document | None:
    declared = (record.headers.get("Content-Length") or "").strip()
    if not declared.isdigit():
        raise InputError(where, f"malformed WARC record at byte {offset:,}: no valid Content-Length header")
    record_type = record.record_type
    content_type = (record.headers.get("Content-Type") or "").lower()
    is_http = content_type.startswith("application/http")
    expected = record.content_length if record.is_http_parsed else int(declared)
    if is_http and not record.is_http_parsed and int(declared) > 0:
        record.reader.consume()
        raise InputError(where, f"WARC record at byte {offset:,} has malformed or cut-off HTTP headers")

    kind = _page_kind(record, record_type, is_http, content_type)
    if kind is None:
        _consume_whole(record, where, offset, expected)
        stats.skipped[_skip_reason(record, record_type, is_http)] += 1
        return None
    payload = record.reader.read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        record.reader.consume()
        raise limit_error(where, "max_bytes", options.max_bytes, "WARC record payload")
    if len(payload) < expected:
        raise _truncated(where, offset, len(payload), expected)
    if is_http:
        payload = _decode_http(payload, record.http_headers, where, options.max_bytes)
    if kind != HTML and sniff(payload[:2048]) != HTML:
        stats.skipped["WARC non-HTML response"] += 1
        return None
    url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    try:
        return read_html(
            payload,
            where,
            url=url,
            charset=record.http_charset if is_http else None,
            crawled=to_date(record.headers.get("WARC-Date")),
            fast=options.fast,
        )
    except InputError as error:
        # Crawls are full of index and error pages: count them, do not flood the error list.
        stats.skipped["WARC HTML page without article text"] += 1
        stats.warn(name, error.reason, where)
        return None


def _page_kind(record, record_type, is_http: bool, content_type: str) -> str | None:
    """``html`` for an HTML page, ``?`` for a page to sniff, ``None`` for anything else."""
    if not record_type & _PAGE_RECORDS:
        return None
    if is_http:
        status = record.http_headers.status_code
        if status is None or not 200 <= status < 300:
            return None
        content_type = (record.http_content_type or "").lower()
    else:
        content_type = content_type.split(";")[0].strip()
        if record_type != WarcRecordType.resource and content_type not in _HTML_TYPES:
            return None  # a non-HTTP response (dns:, ftp:)
    if content_type in _HTML_TYPES:
        return HTML
    return "?" if content_type in _VAGUE_TYPES else None


def _skip_reason(record, record_type, is_http: bool) -> str:
    if not record_type & _PAGE_RECORDS:
        return f"WARC {record.headers.get('WARC-Type') or record_type} record"
    if is_http and record.is_http_parsed:
        status = record.http_headers.status_code
        if status is None or not 200 <= status < 300:
            return f"WARC response with HTTP status {status // 100 if status else '?'}xx"
    return "WARC non-HTML response"


def _consume_whole(record, where: str, offset: int, expected: int) -> None:
    got = record.reader.consume()
    if got < expected:
        raise _truncated(where, offset, got, expected)


def _truncated(where: str, offset: int, got: int, expected: int) -> InputError:
    return InputError(
        where,
        f"WARC record at byte {offset:,} is truncated: {got:,} of {expected:,} payload bytes "
        "(the file ends early; re-download it); the records before it were read",
    )


def _decode_http(payload: bytes, headers, where: str, limit: int) -> bytes:
    """Undo chunked transfer and gzip/deflate/br content encoding (most crawlers store them as sent)."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        payload = _dechunk(payload)
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("", "identity", "none", "utf-8"):
        return payload
    if encoding not in ("gzip", "x-gzip", "deflate", "br"):
        raise InputError(where, f"HTTP payload uses the unsupported content encoding {encoding!r}")
    try:
        decoded = _decompress(payload, encoding, limit + 1)
    except ValueError as exc:
        if sniff(payload[:2048]) == HTML:  # stored already decoded despite the header
            return payload
        raise InputError(where, f"HTTP payload declared {encoding!r} cannot be decoded: {exc}") from None
    if len(decoded) > limit:
        raise limit_error(where, "max_bytes", limit, f"decoded {encoding} HTTP payload")
    return decoded


def _decompress(payload: bytes, encoding: str, most: int) -> bytes:
    """At most ``most`` bytes of ``payload`` decompressed; ``ValueError`` if it is not ``encoding``."""
    if encoding == "br":
        try:
            import brotli
        except ImportError:
            raise ValueError("brotli is not installed (pip install brotli)") from None
        try:
            return brotli.Decompressor().process(payload, output_buffer_limit=most)
        except brotli.error as exc:
            raise ValueError(str(exc)) from None
    # wbits 47: gzip or zlib wrapper, detected; -15: raw deflate, which some servers send as "deflate".
    wbits = 47 if payload[:1] in (b"\x1f", b"\x78") else -15
    try:
        return zlib.decompressobj(wbits=wbits).decompress(payload, most)
    except zlib.error as exc:
        raise ValueError(str(exc)) from None


def _dechunk(payload: bytes) -> bytes:
    parts, pos = [], 0
    while pos < len(payload):
        end = payload.find(b"\n", pos)
        try:
            size = int(payload[pos:end].split(b";")[0].strip(), 16) if end >= 0 else -1
        except ValueError:
            size = -1
        if size < 0:
            return payload if pos == 0 else b"".join(parts)  # not chunked after all, or a cut-off tail
        if size == 0:
            break
        parts.append(payload[end + 1 : end + 1 + size])
        pos = end + 1 + size
        pos += 2 if payload[pos : pos + 2] == b"\r\n" else 1 if payload[pos : pos + 1] == b"\n" else 0
    return b"".join(parts)
