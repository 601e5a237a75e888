"""The local executor: every stage in this process (the clean stage one batch ahead in a worker)."""

from __future__ import annotations

import time
from pathlib import Path

from ..pipeline import cleaned_batches
from . import Progress, RunOptions, RunResult
from .output import RunOutput
from .stages import collate_event, group


class LocalExecutor:
    """Runs :mod:`.stages` here: read all inputs, clean batch by batch, group, collate event by event."""

    name = "local"

    def run(self, inputs: list[str], out_dir: Path, options: RunOptions, progress: Progress | None = None) -> RunResult:
        say = progress or (lambda _stage: None)
        output = RunOutput(out_dir)
        try:
            result, cleaned, events = self.events(inputs, options, say, output)
            started = time.perf_counter()
            position = {doc.id: i for i, doc in enumerate(cleaned)}
            for i, event in enumerate(events):
                say(f"collating: event {i + 1:,} of {len(events):,}")
                docs = [cleaned[j] for j in sorted(position[d] for d in event.document_ids)]
                output.add_brief(i, collate_event(event, docs), {d.id: d.text for d in docs})
            result.seconds["collate"] = time.perf_counter() - started
        finally:
            output.close()
        result.removed, result.briefs = output.removed, output.briefs
        return result

    def events(
        self, inputs: list[str], options: RunOptions, say: Progress, output: RunOutput | None = None
    ) -> tuple[RunResult, list, list]:
        """Read, clean (writing the documents to ``output`` if given) and group: the result so far,
        the cleaned documents in input order and the events."""
        from ..ingest import ingest

        result = RunResult()
        clock = _Clock(result)
        say("reading")
        read = ingest(inputs, options.read)
        result.errors, result.warnings, result.duplicates = read.errors, read.warnings, read.duplicates
        clock.lap("read")
        docs, step = read.documents, options.clean_batch
        batches = [docs[i : i + step] for i in range(0, len(docs), step)]
        cleaned = []
        for batch in cleaned_batches(batches, background=len(batches) > 1):
            if output is not None:
                output.add_documents(batch)
            cleaned += batch
            say(f"cleaning: {len(cleaned):,} of {len(docs):,} documents")
        clock.lap("clean")
        say("grouping")
        events = group(cleaned)
        clock.lap("group")
        result.documents, result.events = len(cleaned), len(events)
        result.segments = sum(len(d.spans("segments")) for d in cleaned)
        return result, cleaned, events


class _Clock:
    """Records the wall time of each stage into ``result.seconds``."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.result.seconds[stage] = now - self.last
        self.last = now
