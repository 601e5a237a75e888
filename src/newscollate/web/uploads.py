"""Documents added from the browser or a program: read, stored and streamed into events.

Files are read by the same readers as ``newscollate ingest`` (any format it reads, sniffed
from the bytes); JSON documents go through the JSONL record reader, so the same field
names work.  A file or record that cannot be used is reported by name and never stops the
others.  One ingest runs at a time (SQLite has one writer); reads go on meanwhile.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..ingest import InputError, ReadOptions, ReadStats, read_bytes
from ..ingest.jsonl import record_document
from ..model import Document
from ..store import Store, StoreTarget
from .memory import give_back_freed_memory

MAX_FILES = 200
"""Most files in one upload, by default (``WebSettings.max_files``)."""

MAX_REQUEST_RECORDS = 10_000
"""Most records (documents, or records that could not be used) in one request, by default
(``WebSettings.max_request_records``)."""

MAX_NAME_CHARS = 255
"""Longest name kept for an uploaded file or a JSON record's ``path``; longer ones are cut in the middle."""


class TooManyRecords(Exception):
    """A request holds more records than ``max_request_records``; nothing of it was stored."""


@dataclass
class Upload:
    """One file received: its name as the client gave it, and its bytes."""

    name: str
    data: bytes
    content_type: str | None = None


@dataclass
class IngestReport:
    """What an upload did; the body of ``POST /api/documents``."""

    added: list[str] = field(default_factory=list)
    """Ids of the new documents, in the order read."""
    already_stored: list[str] = field(default_factory=list)
    """Ids of documents whose text the store had already (left as they were)."""
    errors: list[dict[str, str]] = field(default_factory=list)
    """``{"input": name, "error": reason}`` for each file or record that could not be used."""
    warnings: list[str] = field(default_factory=list)
    events_changed: list[str] = field(default_factory=list)
    """Ids of the events the new documents created or grew."""

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "already_stored": self.already_stored,
            "errors": self.errors,
            "warnings": self.warnings,
            "events_changed": self.events_changed,
        }


class Ingester:
    """Adds documents to the store at ``store_path`` (a file name or a ``postgresql://`` URL), one ingest at a time."""

    def __init__(
        self, store_path: StoreTarget, options: ReadOptions | None = None, max_records: int = MAX_REQUEST_RECORDS
    ) -> None:
        self.store_path = store_path
        self.options = options or ReadOptions()
        self.max_records = max_records
        """Most records in one request, all its files together (see :class:`TooManyRecords`)."""
        self._lock = threading.Lock()

    def files(self, uploads: Iterable[Upload]) -> IngestReport:
        """Read uploaded files (any format ``newscollate ingest`` reads) and ingest their documents.

        Raises :class:`TooManyRecords`, storing nothing, when the files hold more than
        ``max_records`` records together: a request is taken whole or not at all.
        """
        report = IngestReport()
        stats = ReadStats()
        documents: list[Document] = []
        records = 0
        for upload in uploads:
            name = label(upload.name, base_name=True) or "upload"
            if name != upload.name:
                shown = ascii(upload.name[:300])
                report.warnings.append(f"{name}: the file was uploaded as {shown}; its folders are dropped, {_RENAMED}")
            for item in read_bytes(name, upload.data, self.options, stats, upload.content_type):
                records += 1
                if records > self.max_records:
                    raise TooManyRecords(_too_many(self.max_records, f"the limit was passed in {name}"))
                if isinstance(item, InputError):
                    report.errors.append({"input": item.name, "error": item.reason})
                else:
                    documents.append(item)
        report.warnings += stats.warnings
        return self._ingest(documents, report)

    def records(self, records: list[Any]) -> IngestReport:
        """Ingest JSON records (``{"text": ..., "title": ..., "source": ..., "url": ..., "published": ...}``).

        Raises :class:`TooManyRecords` for more than ``max_records`` of them."""
        if len(records) > self.max_records:
            raise TooManyRecords(_too_many(self.max_records, f"this one has {len(records):,}"))
        report = IngestReport()
        stats = ReadStats()
        documents = []
        for number, record in enumerate(records, 1):
            path = record.get("path") if isinstance(record, dict) and isinstance(record.get("path"), str) else None
            where = (label(path) if path else "") or f"api#{number}"
            if path and where != path:
                report.warnings.append(f"{where}: the record's path was {ascii(path[:300])}; {_RENAMED}")
            try:
                documents.append(record_document(record, where, self.options, stats, "api"))
            except InputError as error:
                report.errors.append({"input": error.name, "error": error.reason})
        report.warnings += stats.warnings
        return self._ingest(documents, report)

    def _ingest(self, documents: list[Document], report: IngestReport) -> IngestReport:
        from ..store.stream import stream_into_events

        if not documents:
            return report
        with self._lock, Store.open(self.store_path) as store:
            added = store.add_documents(documents)
            report.added = added.added_ids
            report.errors += [{"input": r.path, "error": r.reason} for r in added.rejected]
            not_stored_before = set(added.added_ids) | {r.id for r in added.rejected}
            report.already_stored = list(dict.fromkeys(d.id for d in documents if d.id not in not_stored_before))
            if added.added_ids:
                # no worker processes: forking a threaded server is not safe
                streamed = stream_into_events(store, added.added_ids, parallel=False)
                report.events_changed = streamed.changed_ids
        give_back_freed_memory()
        return report


_RENAMED = "unprintable characters become spaces and long names are cut (a name is only a label, never opened)"


def label(name: str, *, base_name: bool = False) -> str:
    """``name`` made safe to store and show (``""`` if nothing but dots is left): control,
    format (bidi overrides, zero-width) and other unprintable characters become spaces, runs of white space one space, and a name longer than
    :data:`MAX_NAME_CHARS` loses its middle (the end, with the file extension, stays).

    ``base_name`` keeps only the part after the last ``/`` or ``\\``: a client's folders say
    nothing about this machine.  Names are labels only: nothing opens a file by them.
    """
    if base_name:
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if len(name) > MAX_NAME_CHARS:
        tail = 60
        name = name[: MAX_NAME_CHARS - tail - 1] + "\u2026" + name[-tail:]
    return name if name.strip(". ") else ""


def _too_many(limit: int, detail: str) -> str:
    return (
        f"more than {limit:,} records in one request ({detail}); nothing was stored: send them in several "
        "requests, or raise the limit with newscollate serve --max-request-records (WebSettings.max_request_records)"
    )
