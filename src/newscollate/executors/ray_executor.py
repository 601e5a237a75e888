"""The Ray executor: the stages of :mod:`.stages` as Ray Data pipelines.

1. Read: the driver expands folders into files (:func:`~newscollate.ingest.discover`);
   one task per block of files reads each file record by record (WARC,
   JSONL, feeds stream) into rows (:func:`.rows.to_row`); unreadable inputs
   and warnings become rows of their own.
2. Number: the driver gathers each row's file, record and document id (tens
   of bytes per document) to number the documents in input order and drop
   repeated texts, the first kept, as :func:`~newscollate.ingest.ingest` does.
3. Clean: ``groupby(clean batch).map_groups`` - a shuffle of the document rows
   by batch number; each group is one clean batch (:func:`.stages.clean`) and
   its rows come back with their segments' readings.
4. Group: one row per segment (the ``ray_group`` contract) goes to
   ``executors.ray_group.group_events``; when that module is absent, or with
   ``group="local"``, the driver gathers the segment rows and groups them
   (:func:`.stages.group_segment_rows`).  Either way: the events of a local run.
5. Collate: each document row is repeated once per event citing it and the
   rows are grouped by event onto a pool of actors, each loading spaCy once;
   an actor turns one event's documents into its brief (:func:`.stages.collate_event`).
6. Write: the driver streams the cleaned documents (input order) and the
   briefs into :class:`.output.RunOutput`.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import time
import warnings
from pathlib import Path
from typing import Any, Iterator

from . import Progress, RayUnavailable, RunOptions, RunResult
from .output import RunOutput
from .ray_client import is_client_address, run_through_client
from .rows import from_row, readings_blob, segment_rows, to_row
from .stages import clean, collate_event, group_segment_rows

_DOCUMENT = [
    ("id", "string"), ("path", "string"), ("text", "string"), ("title", "string"), ("source", "string"),
    ("url", "string"), ("published", "int64"), ("author", "string"), ("layers", "string"), ("order", "int64"),
]
"""The columns of a document row (:func:`.rows.to_row`) and their Arrow types: blocks of a
shuffle must agree on them even where a block's titles, say, are all missing."""
_NUMBERED = _DOCUMENT + [("batch", "int64")]
_CLEANED = _DOCUMENT + [("readings", "binary"), ("segments", "int64"), ("clean_seconds", "float64")]
_CITED = _CLEANED + [("event", "int64"), ("event_id", "string"), ("spans", "string")]
_ROW = dict.fromkeys(("id", "path", "text", "title", "source", "url", "author", "layers", "name", "reason"))
"""Every column a read row has (a row leaves those of other kinds empty)."""
_FILES_PER_BLOCK = 4
"""Files per read task when there are many (one task per file costs more than reading a small file)."""


class RayExecutor:
    """Runs on the Ray cluster at ``address``, else on a local Ray of ``workers`` CPUs.

    ``address``: ``HEAD:6379`` from a node of the cluster, or ``ray://HEAD:10001``
    (Ray Client) from anywhere, the driver then running on the head node
    (:mod:`.ray_client`: paths are the cluster's).

    ``workers``: parallel clean tasks and collate actors (default: the
    cluster's CPUs).  ``group``: ``auto`` uses ``executors.ray_group`` when it
    is installed, ``local`` always groups on the driver.
    """

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, group: str = "auto") -> None:
        if group not in ("auto", "local"):
            raise ValueError(f"group must be 'auto' or 'local', not {group!r}")
        self.address, self.workers, self.group_mode = address, workers, group

    def run(self, inputs: list[str], out_dir: Path, options: RunOptions, progress: Progress | None = None) -> RunResult:
        if is_client_address(self.address):
            return run_through_client(self.address, self.workers, self.group_mode, inputs, out_dir, options, progress)
        say = progress or (lambda _stage: None)
        with _Session(self.address, self.workers) as ray:
            result, cleaned, events = self.events(inputs, options, say)
            output = RunOutput(out_dir)
            try:
                started = time.perf_counter()
                say("writing documents")
                for batch in cleaned.iter_batches(batch_format="pandas", batch_size=options.clean_batch):
                    output.add_documents(from_row(row) for row in batch.to_dict("records"))
                result.seconds["write"] = time.perf_counter() - started
                self._collate(ray, cleaned, events, output, result, say)
            finally:
                output.close()
        result.documents, result.removed, result.briefs = output.documents, output.removed, output.briefs
        return result

    def events(self, inputs: list[str], options: RunOptions, say: Progress) -> tuple[RunResult, Any, list]:
        """Read, clean and group (Ray must be connected): the result so far, the cleaned
        document rows (a materialised dataset, input order) and the events."""
        import ray.data

        from ..group import GroupConfig

        result = RunResult()
        started = time.perf_counter()
        say("reading")
        read = self._read(inputs, options).materialize()
        result.shuffled_bytes["read"] = read.size_bytes()
        orders = self._number(read, result)
        result.seconds["read"] = time.perf_counter() - started
        if not orders:
            return result, ray.data.from_items([]), []
        started = time.perf_counter()
        say(f"cleaning {len(orders):,} documents")
        docs = read.map_batches(_numbered, batch_format="pandas", fn_kwargs={"orders": orders, "batch": options.clean_batch})
        tasks = ray.data.TaskPoolStrategy(size=self.workers) if self.workers else None
        cleaned = docs.groupby("batch", num_partitions=-(-len(orders) // options.clean_batch)).map_groups(_clean_group, batch_format="pandas", compute=tasks).materialize()
        result.shuffled_bytes["clean"] = cleaned.size_bytes()
        counts = sorted(cleaned.select_columns(["order", "segments", "clean_seconds"]).iter_rows(), key=lambda r: r["order"])
        result.block_seconds = [r["clean_seconds"] for r in counts if r["clean_seconds"] > 0]
        result.seconds["clean"] = time.perf_counter() - started
        started = time.perf_counter()
        say("grouping")
        firsts, total = {}, 0
        for row in counts:
            firsts[row["order"]] = total
            total += row["segments"]
        result.documents, result.segments = len(counts), total
        segments = cleaned.flat_map(_segment_rows, fn_kwargs={"firsts": firsts})
        if self.group_mode == "auto" and importlib.util.find_spec(f"{__package__}.ray_group") is not None:
            from .ray_group import group_events

            events = group_events(segments, GroupConfig())
        else:
            events = group_segment_rows(segments.iter_rows(), GroupConfig())
        result.events = len(events)
        result.seconds["group"] = time.perf_counter() - started
        return result, cleaned, events

    def _read(self, inputs: list[str], options: RunOptions):
        import ray.data

        from ..ingest import discover

        files = [
            {"file": i, "path": str(path.absolute()) if path else None, "name": name, "error": error.reason if error else None}
            for i, (path, name, error) in enumerate(discover(inputs))
        ]
        blocks = max(1, min(len(files), -(-len(files) // _FILES_PER_BLOCK) if len(files) > 64 else len(files)))
        return ray.data.from_items(files, override_num_blocks=blocks).flat_map(_read_file, fn_kwargs={"options": options.read})

    @staticmethod
    def _number(read, result: RunResult) -> dict[tuple[int, int], int]:
        """Each kept document's position in input order, by (file, record); errors, warnings
        and repeated texts go into ``result``."""
        keys = read.select_columns(["kind", "file", "record", "id", "path", "name", "reason"]).take_all()
        from ..ingest import InputError

        orders: dict[tuple[int, int], int] = {}
        seen: set[str] = set()
        for row in sorted(keys, key=lambda r: (r["file"], r["record"])):
            if row["kind"] == "error":
                result.errors.append(InputError(row["name"], row["reason"]))
            elif row["kind"] == "warning":
                result.warnings.append(row["reason"])
            elif row["id"] in seen:
                result.duplicates.append((row["path"], row["id"]))
            else:
                seen.add(row["id"])
                orders[(row["file"], row["record"])] = len(orders)
        return orders

    def _collate(self, ray, cleaned, events: list, output: RunOutput, result: RunResult, say: Progress) -> None:
        started = time.perf_counter()
        say(f"collating {len(events):,} events")
        cited: dict[str, list[tuple[int, str, list[tuple[int, int]]]]] = {}
        for i, event in enumerate(events):
            spans: dict[str, list[tuple[int, int]]] = {}
            for s in event.segments:
                spans.setdefault(s.doc, []).append((s.start, s.end))
            for doc, own in spans.items():
                cited.setdefault(doc, []).append((i, event.id, own))
        if events:
            pairs = cleaned.map_batches(_event_rows, batch_format="pyarrow", fn_kwargs={"cited": cited}).materialize()
            result.shuffled_bytes["collate"] = pairs.size_bytes()
            # Half a CPU per actor: the group-by's sort tasks must still find a CPU while the
            # actors hold theirs (at a whole CPU each, a pool as large as the cluster starves them).
            pool = ray.data.ActorPoolStrategy(size=self.workers or _cpus(ray))
            partitions = min(len(events), 4 * (self.workers or _cpus(ray)))
            briefs = pairs.groupby("event", num_partitions=partitions).map_groups(_EventCollator, batch_format="pandas", compute=pool, num_cpus=0.5)
            for done, row in enumerate(briefs.iter_rows(), 1):
                output.add_brief(row["event"], json.loads(row["brief"]), json.loads(row["texts"]))
                say(f"collating: {done:,} of {len(events):,} events")
        result.seconds["collate"] = time.perf_counter() - started


def _cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


class _Session:
    """Connects to Ray (or starts a local instance) and leaves it as it found it."""

    def __init__(self, address: str | None, workers: int | None) -> None:
        self.address, self.workers, self.started = address, workers, False

    def __enter__(self):
        try:
            import ray
            import ray.data
        except ImportError:
            raise RayUnavailable("Ray is not installed: pip install newscollate[ray]") from None
        # Ray's own notices (token authentication, progress bars off) are not the user's business.
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", module="ray\\.data")
        if not ray.is_initialized():
            quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
            try:
                if self.address:
                    ray.init(address=self.address, **quiet)
                else:
                    # "local": a new instance even where `ray start` left a cluster on this machine
                    ray.init(address="local", num_cpus=self.workers, include_dashboard=False, **quiet)
            except Exception as exc:  # noqa: BLE001 - Ray raises many kinds; the message says what failed
                where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
                reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
                if "auth" in str(exc).lower():
                    reason += " (a cluster with token authentication: set RAY_AUTH_TOKEN, see `ray get-auth-token`)"
                raise RayUnavailable(f"cannot connect to {where}: {reason}") from None
            self.started = True
        context = ray.data.DataContext.get_current()
        # Documents must come out in input order; the command line shows its own progress.
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        return ray

    def __exit__(self, *exc) -> None:
        if self.started:
            import ray

            ray.shutdown()


def _read_file(item: dict[str, Any], options) -> Iterator[dict[str, Any]]:
    """The rows of one input: a row per document (kind ``doc``), error and warning."""
    from ..ingest import InputError, ReadStats
    from ..ingest.readers import read_input

    base = {**_ROW, "file": item["file"], "record": 0, "published": 0, "order": 0}
    if item["error"]:
        yield {**base, "kind": "error", "name": item["name"], "reason": item["error"]}
        return
    stats = ReadStats()
    for record, found in enumerate(read_input(item["name"], Path(item["path"]) if item["path"] else None, options, stats)):
        if isinstance(found, InputError):
            yield {**base, "kind": "error", "record": record, "name": found.name, "reason": found.reason}
        else:
            yield {**base, **to_row(found), "kind": "doc", "record": record}
    for k, warning in enumerate(stats.warnings):
        yield {**base, "kind": "warning", "record": 1 << 40 | k, "reason": warning}


def _numbered(rows, orders: dict[tuple[int, int], int], batch: int):
    """The kept documents of a block of read rows, with their ``order`` and clean ``batch`` number."""
    found = [orders.get(key, -1) for key in zip(rows["file"].tolist(), rows["record"].tolist())]
    rows = rows.assign(order=found)
    rows = rows[(rows["kind"] == "doc") & (rows["order"] >= 0)]
    return _table(rows.assign(batch=rows["order"] // batch).to_dict("records"), _NUMBERED)


def _clean_group(rows):
    """One clean batch's rows, cleaned, in input order; ``segments`` counts each document's
    segments and the first row's ``clean_seconds`` is the batch's cleaning time (0 on the others)."""
    started = time.perf_counter()
    docs = [from_row(row) for row in rows.sort_values("order").to_dict("records")]
    orders = sorted(rows["order"].tolist())
    out = [
        {**to_row(doc, order), "readings": readings_blob(doc), "segments": len(doc.spans("segments")), "clean_seconds": 0.0}
        for doc, order in zip(clean(docs), orders)
    ]
    out[0]["clean_seconds"] = time.perf_counter() - started
    return _table(out, _CLEANED)


def _segment_rows(row: dict[str, Any], firsts: dict[int, int]) -> list[dict[str, Any]]:
    return segment_rows(row, firsts[row["order"]])


def _event_rows(rows, cited):
    """Each document row once per event citing it, with the event's number, id and the document's segments in it."""
    return _table([
        {**row, "event": i, "event_id": event_id, "spans": json.dumps(spans)}
        for row in rows.to_pylist()
        for i, event_id, spans in cited.get(row["id"], [])
    ], _CITED)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]):
    import pyarrow as pa

    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in columns])
    return pa.Table.from_pylist([{name: row[name] for name, _ in columns} for row in rows], schema)


class _EventCollator:
    """A Ray actor: loads spaCy once, then turns each event's rows into its brief."""

    def __init__(self) -> None:
        from ..nlp import load_model

        load_model()

    def __call__(self, rows):
        import pandas as pd

        from ..group import Event, _published_key
        from ..model import Span

        records = sorted(rows.to_dict("records"), key=lambda r: r["order"])
        docs = [from_row(r) for r in records]
        by_id = {d.id: d for d in docs}
        spans = [Span(r["id"], start, end) for r in records for start, end in json.loads(r["spans"])]
        # the order EventGrouper gives an event's segments: by publication, document, offset
        spans.sort(key=lambda s: (_published_key(by_id[s.doc]), s.doc, s.start))
        brief = collate_event(Event(records[0]["event_id"], spans), docs)
        texts = {d.id: d.text for d in docs}
        return pd.DataFrame([{"event": int(records[0]["event"]), "brief": json.dumps(brief), "texts": json.dumps(texts)}])
