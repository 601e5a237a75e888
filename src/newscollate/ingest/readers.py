"""One input, a file or a URL, to documents: sniff its format, apply the limits, run its reader."""

from __future__ import annotations

import io
import os
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import urlsplit

from ..model import Document
from .errors import InputError
from .feeds import iter_feed
from .html import read_html
from .jsonl import iter_json
from .options import ReadOptions, ReadStats, expansion_error, limit_error
from .sniff import FEED, GZIP, HEAD_BYTES, HTML, JSON, TEXT, WARC, XML, sniff, unsupported_reason
from .streams import CHUNK, GzipStream
from .text import open_input, parse_metadata, read_sidecar, read_text, sidecar_path
from .url import fetch

Items = Iterator[Document | InputError]


def read_input(name: str, path: Path | None, options: ReadOptions, stats: ReadStats) -> Items:
    """Everything read from one input: documents, and errors for what could not be read.

    ``path`` is ``None`` for a URL.  Raises nothing: every failure, even an
    unexpected one, becomes an :class:`InputError` naming the input.
    """
    if path is None:
        return _guarded(name, _read_url(name, options, stats), stats)
    return _guarded(name, _read_file(path, name, options, stats), stats)


def read_bytes(name: str, data: bytes, options: ReadOptions, stats: ReadStats, content_type: str | None = None) -> Items:
    """Everything read from ``data`` received under the file name ``name`` (an upload): any
    format :func:`read_input` reads, sniffed the same way.  Raises nothing, like it."""
    stream = io.BytesIO(data)
    return _guarded(name, _read_stream(stream, name, options, stats, size=len(data), hint=name, content_type=content_type), stats)


def _guarded(name: str, items: Items, stats: ReadStats) -> Items:
    try:
        yield from items
    except InputError as error:
        yield error
    except OSError as exc:
        yield InputError(name, f"cannot be read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one input's crash must not lose the others
        yield InputError(name, f"could not be read because of an internal error ({type(exc).__name__}: {exc}); "
                         "please report it with this input")  # fmt: skip
    finally:
        stats.close_input(name)


def _read_url(url: str, options: ReadOptions, stats: ReadStats) -> Items:
    fetched = fetch(url, options)
    hint = urlsplit(fetched.url).path
    yield from _read_stream(
        io.BytesIO(fetched.data), url, options, stats, size=len(fetched.data), hint=hint,
        content_type=fetched.content_type, url=fetched.url, charset=fetched.charset,
    )  # fmt: skip


def _read_file(path: Path, name: str, options: ReadOptions, stats: ReadStats) -> Items:
    with open_input(path, name) as stream:
        size = os.fstat(stream.fileno()).st_size
        yield from _read_stream(stream, name, options, stats, size=size, hint=name, sidecar=sidecar_path(path))


def _read_stream(
    stream: BinaryIO,
    name: str,
    options: ReadOptions,
    stats: ReadStats,
    *,
    size: int,
    hint: str,
    content_type: str | None = None,
    url: str | None = None,
    charset: str | None = None,
    sidecar: Path | None = None,
) -> Items:
    head = _peek(stream)
    if not head.strip():
        raise InputError(name, "empty file (no text)")
    fmt = _format(head, name, hint, content_type)
    gzip = None
    if fmt == GZIP:
        gzip = GzipStream(stream, options.max_decompressed_bytes, options.max_compression_ratio)
        stream = io.BufferedReader(gzip, buffer_size=CHUNK)
        hint = hint[:-3] if hint.lower().endswith(".gz") else hint
        head = _peek(stream)
        if not head and gzip.error is not None:
            raise InputError(name, f"damaged gzip file: {gzip.error}")
        fmt = _format(head, name, hint, content_type if content_type != "application/gzip" else None)
        if fmt == GZIP:
            raise InputError(name, "gzip inside gzip; decompress it once first")
    if fmt == WARC:
        from .warc import iter_warc  # FastWARC loads only when a WARC is read

        yield from iter_warc(stream, name, options, stats, gzip)
        return
    if fmt == JSON:
        yield from iter_json(stream, name, options, stats)
        if gzip is not None and gzip.over_limit:
            yield expansion_error(name, options, gzip.over_limit, "the records before it were read")
        elif gzip is not None and gzip.error is not None:
            yield InputError(name, f"damaged gzip file: {gzip.error}; the records before it were read")
        return
    if gzip is None:
        if size > options.max_bytes:
            raise limit_error(name, "max_bytes", options.max_bytes, f"file of {size:,} bytes")
        data = stream.read()
    else:
        data = stream.read(options.max_bytes + 1)
        if gzip.over_limit:
            raise expansion_error(name, options, gzip.over_limit)
        if len(data) > options.max_bytes:
            raise limit_error(name, "max_bytes", options.max_bytes, "decompressed file")
        if gzip.error is not None:
            raise InputError(name, f"damaged gzip file: {gzip.error}")
    yield from _read_whole(data, name, fmt, options, stats, url=url, charset=charset, sidecar=sidecar)


def _read_whole(data: bytes, name: str, fmt: str, options: ReadOptions, stats: ReadStats, *,
                url: str | None, charset: str | None, sidecar: Path | None) -> Items:  # fmt: skip
    warnings: list[str] = []
    if fmt == HTML:
        document = read_html(data, name, url=url, charset=charset, fast=options.fast)
        given = read_sidecar(sidecar, warnings)
        if given:  # a sidecar beside a saved page corrects what the page says about itself
            for key, value in asdict(parse_metadata(given, name, warnings)).items():
                if value is not None:
                    setattr(document.meta, key, value)
        stats.warnings.extend(warnings)
        yield document
    elif fmt == FEED:
        yield from iter_feed(data, name, options, stats)
    elif fmt == XML:
        raise InputError(name, "XML that is neither an RSS/Atom feed nor an XHTML page; convert it to text or HTML")
    elif fmt == TEXT:
        document = read_text(data, name, warnings, sidecar)
        stats.warnings.extend(warnings)
        if url and not document.meta.url:
            document.meta.url = url
        yield document
    else:  # pragma: no cover - every format sniff returns is handled above
        raise AssertionError(fmt)


def _peek(stream: BinaryIO) -> bytes:
    if isinstance(stream, io.BufferedReader):
        return stream.peek(HEAD_BYTES)[:HEAD_BYTES]
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return head


def _format(head: bytes, name: str, hint: str, content_type: str | None) -> str:
    reason = unsupported_reason(head)
    if reason:
        raise InputError(name, f"is {reason}")
    return sniff(head, hint, content_type)
