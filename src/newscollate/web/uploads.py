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

MAX_FILES = 200
"""Most files in one upload."""


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

    def __init__(self, store_path: StoreTarget, options: ReadOptions | None = None) -> None:
        self.store_path = store_path
        self.options = options or ReadOptions()
        self._lock = threading.Lock()

    def files(self, uploads: Iterable[Upload]) -> IngestReport:
        """Read uploaded files (any format ``newscollate ingest`` reads) and ingest their documents."""
        report = IngestReport()
        stats = ReadStats()
        documents: list[Document] = []
        for upload in uploads:
            name = _safe_name(upload.name)
            for item in read_bytes(name, upload.data, self.options, stats, upload.content_type):
                if isinstance(item, InputError):
                    report.errors.append({"input": item.name, "error": item.reason})
                else:
                    documents.append(item)
        report.warnings += stats.warnings
        return self._ingest(documents, report)

    def records(self, records: list[Any]) -> IngestReport:
        """Ingest JSON records (``{"text": ..., "title": ..., "source": ..., "url": ..., "published": ...}``)."""
        report = IngestReport()
        stats = ReadStats()
        documents = []
        for number, record in enumerate(records, 1):
            path = record.get("path") if isinstance(record, dict) and isinstance(record.get("path"), str) else None
            where = path or f"api#{number}"
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
        return report


def _safe_name(name: str) -> str:
    """The file's base name only: a client's path says nothing about this machine."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:200] or "upload"
