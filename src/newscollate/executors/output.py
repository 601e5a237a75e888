"""What a run writes, the same for every executor.

``OUT/documents.parquet``  id, path, title, source (the outlet), url, published (date), text
``OUT/removed.parquet``    doc, start, end, reason: the spans the readers and the clean stage removed
``OUT/events.parquet``     event, doc, start, end: each event's segments, events in brief order
``OUT/lineage.parquet``    event, doc, role, derives_from, wire, similarity (0-1, see :class:`~newscollate.group.Lineage`)
``OUT/briefs/<event id>/brief.json|.md|.html``  one ``newscollate.brief/1`` brief per event

Each table is one Parquet file written by pyarrow, streamed a batch of rows
at a time (documents and removed spans) so that memory does not grow with the
corpus; offsets are Python string offsets into ``text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Document

DOCUMENTS = pa.schema([
    ("id", pa.string()), ("path", pa.string()), ("title", pa.string()), ("source", pa.string()),
    ("url", pa.string()), ("published", pa.date32()), ("text", pa.string()),
])
REMOVED = pa.schema([("doc", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("reason", pa.string())])
EVENTS = pa.schema([("event", pa.string()), ("doc", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
LINEAGE = pa.schema([
    ("event", pa.string()), ("doc", pa.string()), ("role", pa.string()), ("derives_from", pa.string()),
    ("wire", pa.string()), ("similarity", pa.float64()),
])
TABLES = ("documents", "removed", "events", "lineage")


class RunOutput:
    """Writes one run's tables and briefs into ``out_dir`` (created if missing)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._writers = {
            name: pq.ParquetWriter(self.out_dir / f"{name}.parquet", schema)
            for name, schema in (("documents", DOCUMENTS), ("removed", REMOVED))
        }
        self.documents = self.removed = self.briefs = 0
        self._events: list[tuple[int, list[dict[str, Any]], list[dict[str, Any]]]] = []

    def add_documents(self, docs: Iterable[Document]) -> None:
        """Append cleaned documents (in input order) and their removed spans."""
        docs = list(docs)
        rows = [
            {"id": d.id, "path": d.path, "title": d.title, "source": d.meta.outlet, "url": d.meta.url,
             "published": d.meta.published, "text": d.text}
            for d in docs
        ]
        removed = [
            {"doc": d.id, "start": s.start, "end": s.end, "reason": s.label}
            for d in docs
            for s in sorted(d.spans("removed"), key=lambda s: s.start)
        ]
        self._writers["documents"].write_table(pa.Table.from_pylist(rows, DOCUMENTS))
        self._writers["removed"].write_table(pa.Table.from_pylist(removed, REMOVED))
        self.documents += len(rows)
        self.removed += len(removed)

    def add_brief(self, index: int, brief: Mapping[str, Any], texts: Mapping[str, str]) -> None:
        """Write the brief of the run's ``index``-th event (any order) and keep its table rows."""
        from ..render import write_brief

        (event,) = brief["events"]
        write_brief(brief, texts, self.out_dir / "briefs" / event["id"])
        segments = [{"event": event["id"], **span} for span in event["segments"]]
        lineage = [
            {"event": event["id"], "doc": entry["doc"], "role": entry["role"], "derives_from": entry["derives_from"],
             "wire": entry["wire"], "similarity": entry["similarity"]}
            for entry in event["lineage"]
        ]
        self._events.append((index, segments, lineage))
        self.briefs += 1

    def close(self) -> None:
        """Finish the document tables and write the event tables, events in run order."""
        for writer in self._writers.values():
            writer.close()
        self._events.sort(key=lambda found: found[0])
        for name, schema, column in (("events", EVENTS, 1), ("lineage", LINEAGE, 2)):
            rows = [row for found in self._events for row in found[column]]
            pq.write_table(pa.Table.from_pylist(rows, schema), self.out_dir / f"{name}.parquet")


def read_table(out_dir: Path, name: str) -> list[dict[str, Any]]:
    """One of a run's tables as a list of rows (for tests and comparisons)."""
    return pq.read_table(Path(out_dir) / f"{name}.parquet").to_pylist()
