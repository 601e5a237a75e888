"""Conversions between :class:`Document` objects and rows of the store's tables.

Values are written as portable SQL values: ISO-8601 text for dates, JSON text
for span data; reading accepts ``date``/``datetime`` objects too, which is what
a PostgreSQL driver returns for DATE and TIMESTAMP columns.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from ..model import Document, Metadata, content_id
from .schema import StoreError

NUL = "\x00"  # PostgreSQL text cannot hold it; SQLite can
DOC_COLUMNS = "id, path, text, title, source, url, published, author, ingested_at"
DOC_INSERT_COLUMNS = "id, content_hash, path, text, chars, title, source, url, published, author, ingested_at"
SPAN_COLUMNS = "doc_id, layer, seq, start_char, end_char, label, data"
DOCS_BY_ID = f"SELECT {DOC_COLUMNS} FROM documents WHERE id IN ({{}})"
FIRST_PAGE = f"SELECT {DOC_COLUMNS} FROM documents ORDER BY ingested_at, path, id LIMIT ?"
NEXT_PAGE = (
    f"SELECT {DOC_COLUMNS} FROM documents WHERE (ingested_at, path, id) > (?, ?, ?)"
    " ORDER BY ingested_at, path, id LIMIT ?"
)


def batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size``, consumed lazily."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def document_row(doc: Document, ingested_at: str, nul_free: bool = False) -> tuple:
    """The ``documents`` row of ``doc``; :class:`ValueError` saying why it cannot be stored.

    ``nul_free``: the database cannot store a NUL character in text (PostgreSQL);
    SQLite can, and a text read with one is stored as it is there.
    """
    meta = doc.meta
    try:
        digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        for value in (doc.path, meta.title, meta.source, meta.url, meta.author):
            if value is not None:
                value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"its text or metadata is not valid Unicode ({exc.reason} at {exc.start})") from None
    if nul_free:
        for name, value in (("text", doc.text), ("path", doc.path), ("title", meta.title), ("source", meta.source),
                            ("url", meta.url), ("author", meta.author)):  # fmt: skip
            at = value.find(NUL) if value is not None else -1
            if at >= 0:
                raise ValueError(
                    f"its {name} has a NUL character (at {at}), which PostgreSQL cannot store in text;"
                    " remove it, or use an SQLite store"
                )
    if doc.id != content_id(doc.text):
        raise ValueError(f"its id {doc.id!r} is not the content id of its text (make it with Document.from_text)")
    published = meta.published
    day = f"{published.year:04d}-{published.month:02d}-{published.day:02d}" if published else None
    return (doc.id, digest, doc.path, doc.text, len(doc.text), meta.title, meta.source, meta.url, day, meta.author,
            ingested_at)  # fmt: skip


def document_from_row(row: tuple) -> Document:
    """A :class:`Document` without layers from a row of :data:`DOC_COLUMNS`."""
    doc_id, path, text, title, source, url, published, author, _ = row
    meta = Metadata(title=title, source=source, url=url, published=as_date(published), author=author)
    return Document(id=doc_id, path=path, text=text, meta=meta)


def span_rows(doc: Document, layers: Sequence[str]) -> Iterator[tuple]:
    """``spans`` rows of ``doc``'s ``layers``; :class:`StoreError` for a span that cannot be stored as it is.

    Span data must come back from JSON unchanged (no tuples, sets or non-string
    keys), so that a stored document reads back equal to the one written.
    """
    for layer in layers:
        for seq, span in enumerate(doc.spans(layer)):
            if span.doc != doc.id or span.end > len(doc.text):
                raise StoreError(f"span {span.start}:{span.end} of layer {layer!r} does not belong to {doc.path}")
            data = None
            if span.data:
                try:
                    data = json.dumps(span.data, ensure_ascii=False, sort_keys=True, allow_nan=False)
                except (TypeError, ValueError) as exc:
                    raise StoreError(
                        f"cannot store layer {layer!r} of {doc.path}: span data is not JSON ({exc})"
                    ) from None
                if json.loads(data) != span.data:
                    raise StoreError(
                        f"cannot store layer {layer!r} of {doc.path}: span data {span.data!r} would not read back"
                        " the same from JSON (use lists, not tuples, and string keys)"
                    )
            yield doc.id, layer, seq, span.start, span.end, span.label, data


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def as_date(value: Any) -> date | None:
    # SQLite hands back ISO text; a PostgreSQL driver hands back date objects.
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
