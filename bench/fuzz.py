"""Fuzzing the readers and stages: generated and mutated inputs of every format, zero crashes required.

Inputs come from ``tests/fuzz_inputs.py`` (the generators the property tests use): plain text in
many encodings, HTML (pages that lie about their charset, tag soup, deep nesting), WARC (records
built by hand, then cut, flipped, wrongly sized, gzip members truncated), RSS/Atom/RDF feeds,
JSONL and JSON with odd records, some of each gzipped; every second input of each format is
then mutated byte by byte (chunks flipped, inserted, deleted, duplicated, cut off).  Input N is
made by ``random.Random(f"{seed}:{N}")``, so every figure is reproducible and any failure can be
re-run alone with ``--only N``.

Every input is read with ``read_bytes`` (as an upload is); every document read is cleaned
(default cleaners, a batch at a time as a corpus); a sample of the batches is also collated
(full pipeline, spaCy included, on copies of up to six short documents) into a brief that must
validate against the schema and whose every claim, quote, variant, title and timeline text must
be the source text at its span.  Counted as a crash: a reader error saying "internal error" (the
guard that turns an unexpected exception into an InputError) or any exception from clean or
collate.  Counted as a span violation: a span of any layer outside its document's text.

    .venv/bin/python bench/fuzz.py --inputs 100000 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import random
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _report import machine_line, replace_section  # noqa: E402

from tests.fuzz_inputs import FORMATS, Input, generate, item_problems, provenance_problems, span_problems  # noqa: E402

BEGIN, END = "<!-- bench:fuzz:begin -->", "<!-- bench:fuzz:end -->"
#: Most characters of a document put in a collated sample; collation time grows with text.
COLLATE_MAX_CHARS = 3000
COLLATE_DOCUMENTS = 6
FAILURES_SHOWN = 10
#: Characters of a failure kept (a reader's error can quote a whole page).
PROBLEM_CHARS = 600


def make_input(seed: int, number: int) -> Input:
    """Input ``number`` of the run: formats in turn, every second one of each format mutated."""
    kind = FORMATS[number % len(FORMATS)]
    return generate(random.Random(f"{seed}:{number}"), kind, mutated=(number // len(FORMATS)) % 2 == 1)


class Run:
    """Counts and failures of one fuzzing run."""

    def __init__(self) -> None:
        self.per_format: dict[str, Counter] = defaultdict(Counter)
        self.seconds: Counter[str] = Counter()
        self.stages: dict[str, Counter] = defaultdict(Counter)
        self.failures: list[tuple[str, str]] = []
        """``(where, problem)`` of every crash and violation."""
        self.slowest = (0.0, -1)

    def merge(self, other: Run) -> None:
        for kind, counts in other.per_format.items():
            self.per_format[kind].update(counts)
        for stage, counts in other.stages.items():
            self.stages[stage].update(counts)
        self.seconds.update(other.seconds)
        self.failures += other.failures
        self.slowest = max(self.slowest, other.slowest)

    def fail(self, where: str, problem: str) -> None:
        problem = problem if len(problem) <= PROBLEM_CHARS else problem[:PROBLEM_CHARS] + "..."
        self.failures.append((where, problem))
        print(f"FAIL {where}: {problem}", file=sys.stderr)

    def read(self, number: int, source: Input) -> list:
        from newscollate.ingest import Document, ReadOptions, ReadStats, read_bytes

        started = time.perf_counter()
        items = list(read_bytes(source.name, source.data, ReadOptions(), ReadStats()))
        took = time.perf_counter() - started
        self.seconds[source.kind] += took
        self.slowest = max(self.slowest, (took, number))
        counts = self.per_format[source.kind]
        counts["inputs"] += 1
        counts["mutated"] += source.mutated
        counts["bytes"] += len(source.data)
        documents = [item for item in items if isinstance(item, Document)]
        counts["documents"] += len(documents)
        counts["errors"] += len(items) - len(documents)
        for problem in item_problems(source, items):
            kind = "crash" if problem.startswith("crash") else "span" if "outside" in problem else "other"
            counts[kind] += 1
            self.fail(f"input {number} ({source.kind}{', mutated' if source.mutated else ''})", problem)
        return documents

    def clean(self, batch: int, documents: list) -> None:
        from newscollate.clean import default_cleaners
        from newscollate.pipeline import run

        counts = self.stages["clean"]
        started = time.perf_counter()
        try:
            run(documents, default_cleaners())
        except Exception:  # noqa: BLE001 - a crash is what this run counts
            counts["crash"] += 1
            self.fail(f"clean of batch {batch}", traceback.format_exc(limit=-3))
            return
        finally:
            self.seconds["clean"] += time.perf_counter() - started
        counts["documents"] += len(documents)
        for doc in documents:
            segments = doc.spans("segments")
            overlaps = [f"{doc.path}: segments overlap" for a, b in zip(segments, segments[1:]) if a.end > b.start]
            problems = span_problems(doc) + overlaps
            for problem in problems:
                counts["span"] += 1
                self.fail(f"clean of batch {batch}", problem)

    def collate(self, batch: int, documents: list) -> None:
        from newscollate.brief import build_brief
        from newscollate.pipeline import run
        from newscollate.render import validate_brief

        counts = self.stages["collate"]
        started = time.perf_counter()
        try:
            brief = build_brief(run(documents))
            validate_brief(brief)
        except Exception:  # noqa: BLE001 - a crash or an invalid brief is what this run counts
            counts["crash"] += 1
            self.fail(f"collate of batch {batch}", traceback.format_exc(limit=-3))
            return
        finally:
            self.seconds["collate"] += time.perf_counter() - started
        counts["corpora"] += 1
        counts["documents"] += len(documents)
        counts["events"] += len(brief["events"])
        counts["claims"] += sum(len(event["claims"]) for event in brief["events"])
        problems = provenance_problems(brief, {doc.id: doc.text for doc in documents})
        problems += [p for doc in documents for p in span_problems(doc)]
        for problem in problems:
            counts["span"] += 1
            self.fail(f"collate of batch {batch}", problem)


def run_batch(task: tuple[int, int, list[int], bool]) -> Run:
    """Read inputs ``numbers``, clean their documents as one corpus, and collate a sample if asked."""
    seed, batch, numbers, collate = task
    result, documents = Run(), []
    for number in numbers:
        documents += result.read(number, make_input(seed, number))
    distinct = list({d.id: d for d in documents}.values())
    short = [d for d in distinct if len(d.text) <= COLLATE_MAX_CHARS]
    sample = [copy.deepcopy(d) for d in short[:COLLATE_DOCUMENTS]] if collate else []
    if distinct:
        result.clean(batch, distinct)
    if sample:
        result.collate(batch, sample)
    return result


def fuzz(seed: int, numbers: list[int], batch_size: int, collate_every: int, jobs: int) -> Run:
    """Every input of ``numbers`` through :func:`run_batch`, ``jobs`` batches at a time."""
    starts = range(0, len(numbers), batch_size)
    tasks = [(seed, i, numbers[start : start + batch_size], i % collate_every == 0) for i, start in enumerate(starts)]
    total = Run()
    with multiprocessing.Pool(jobs) as pool:
        for done, result in enumerate(pool.imap(run_batch, tasks), 1):
            total.merge(result)
            if done % 50 == 0:
                print(f"{done * batch_size:,}/{len(numbers):,} inputs, {len(total.failures)} failures", file=sys.stderr)
    return total


def report(result: Run, command: str, wall: float, seed: int, batch_size: int, collate_every: int, jobs: int) -> str:
    inputs = sum(c["inputs"] for c in result.per_format.values())
    read_seconds = sum(result.seconds[kind] for kind in FORMATS)
    lines = [
        BEGIN,
        "## Fuzzing the readers and stages (issue 8)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Seed {seed}. Generated inputs (tests/fuzz_inputs.py), formats in turn, every second "
        "input of each format mutated byte by byte; each read with `read_bytes`, every document cleaned (batches of "
        f"{batch_size} inputs' documents), and one batch in {collate_every} collated on copies of up to "
        f"{COLLATE_DOCUMENTS} documents of at most {COLLATE_MAX_CHARS:,} characters (collation is slow, so a sample); "
        f"{jobs} worker processes, so the read and stage seconds add up to more than the wall time.",
        "",
        "| format | inputs | mutated | MB | documents | reader errors | crashes | span violations | other | read s | inputs/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(kind, result.per_format[kind], result.seconds[kind]) for kind in FORMATS]
    total = Counter()
    for counts in result.per_format.values():
        total.update(counts)
    lines.append(_row("all", total, read_seconds))
    clean, collate = result.stages["clean"], result.stages["collate"]
    crashes = total["crash"] + clean["crash"] + collate["crash"]
    spans = total["span"] + clean["span"] + collate["span"]
    slow_seconds, slow_number = result.slowest
    lines += [
        "",
        f"Clean: {clean['documents']:,} documents in {result.seconds['clean']:.0f} s, {clean['crash']} crashes, "
        f"{clean['span']} span violations (spans outside the text, overlapping segments). "
        f"Collate: {collate['corpora']:,} corpora of {collate['documents']:,} documents ({collate['events']:,} events, "
        f"{collate['claims']:,} claims) in {result.seconds['collate']:.0f} s, {collate['crash']} crashes or invalid briefs, "
        f"{collate['span']} provenance or span violations.",
        f"Wall time {wall / 60:.1f} min, {inputs / wall:,.0f} inputs/s overall; slowest single read {slow_seconds:.2f} s "
        f"(input {slow_number}).",
        "",
        f"Goal: zero crashes and zero span violations. {'Met' if crashes == spans == total['other'] == 0 else 'NOT met'} "
        f"({crashes} crashes, {spans} span violations, {total['other']} other reader problems).",
    ]
    if result.failures:
        lines += ["", "First failures (re-run one with `--only N`):", ""]
        shown = result.failures[:FAILURES_SHOWN]
        lines += [f"* {where}: `{problem.strip().splitlines()[-1][:300]}`" for where, problem in shown]
    lines.append(END)
    return "\n".join(lines)


def _row(label: str, c: Counter, seconds: float) -> str:
    return (
        f"| {label} | {c['inputs']:,} | {c['mutated']:,} | {c['bytes'] / 1e6:.1f} | {c['documents']:,} | {c['errors']:,} "
        f"| {c['crash']} | {c['span']} | {c['other']} | {seconds:.0f} | {c['inputs'] / seconds if seconds else 0:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200, help="inputs whose documents are cleaned together")
    parser.add_argument("--collate-every", type=int, default=4, help="collate a sample of every Nth batch")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--only", type=int, action="append", help="run only input N (repeatable), print its problems")
    parser.add_argument("--write", type=Path, help="Markdown file whose fuzz section is replaced")
    args = parser.parse_args()
    numbers = sorted(args.only) if args.only else list(range(args.inputs))
    started = time.perf_counter()
    result = fuzz(args.seed, numbers, args.batch, args.collate_every, args.jobs)
    wall = time.perf_counter() - started
    command = " ".join([".venv/bin/python", "bench/fuzz.py", *sys.argv[1:]])
    section = report(result, command, wall, args.seed, args.batch, args.collate_every, args.jobs)
    print(section)
    if args.write and not args.only:
        replace_section(args.write, BEGIN, END, section)
    sys.exit(1 if result.failures else 0)


if __name__ == "__main__":
    main()
