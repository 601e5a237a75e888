"""Agreement of the Ray executor with the local one: the same events, B-cubed F1 between them.

Runs both executors of ``newscollate.executors`` on the same inputs with the
same clean batch (``--clean-batch``, default 1,000 documents) and compares
their events segment by segment: the events are identical when both runs give
every segment (document, start, end) to an event of the same id with the same
members, in the same order.  B-cubed F1 (over segments, 1.0 = the same
partition) scores how far apart two different clusterings would be.

* ``examples/``: the whole run, every table (documents, removed, events,
  lineage) and every brief file compared byte for byte.
* ECB+ (``--data``, default ../shared/data/ecbplus): each text written as a
  text file (in the order bench/_ecbplus.load_ecbplus gives) to a temporary
  folder; read, clean and group compared (``--full`` also collates and
  compares tables and briefs as for examples/).

    .venv/bin/python bench/ray_agreement.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cluster_metrics import bcubed  # noqa: E402
from _ecbplus import EcbLayoutError, load_ecbplus  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data" / "ecbplus"
BEGIN, END = "<!-- bench:ray-agreement:begin -->", "<!-- bench:ray-agreement:end -->"


def segments_of(events) -> list[tuple[str, str, int, int]]:
    """(event, doc, start, end) of every segment, events and segments in run order."""
    return [(e.id, s.doc, s.start, s.end) for e in events for s in e.segments]


def compare(local: list[tuple], ray: list[tuple]) -> dict:
    """Whether two runs' segment lists are identical, and B-cubed P/R/F1 of the Ray run's
    clustering against the local one over every segment either reports (a segment one run
    leaves out is an event of its own there)."""
    ours = {row[1:]: row[0] for row in local}
    theirs = {row[1:]: row[0] for row in ray}
    keys = sorted(set(ours) | set(theirs))
    p, r, f1 = bcubed([ours.get(k, f"alone:{k}") for k in keys], [theirs.get(k, f"alone:{k}") for k in keys])
    return {"identical": local == ray, "segments": len(keys), "events": len({row[0] for row in local}),
            "ray_events": len({row[0] for row in ray}), "p": p, "r": r, "f1": f1}


def run_full(inputs: list[str], options, workers: int) -> dict:
    """Both executors end to end; tables and brief files compared."""
    from newscollate.executors import executor_for
    from newscollate.executors.output import TABLES, read_table

    with tempfile.TemporaryDirectory() as tmp:
        outs, seconds = {}, {}
        for name in ("local", "ray"):
            outs[name] = Path(tmp) / name
            started = time.perf_counter()
            executor_for(name, workers=workers if name == "ray" else None).run(inputs, outs[name], options)
            seconds[name] = time.perf_counter() - started
        rows = {name: [(r["event"], r["doc"], r["start"], r["end"]) for r in read_table(out, "events")] for name, out in outs.items()}
        found = compare(rows["local"], rows["ray"])
        found["tables"] = [t for t in TABLES if read_table(outs["local"], t) == read_table(outs["ray"], t)]
        briefs = sorted(p.relative_to(outs["local"]) for p in (outs["local"] / "briefs").rglob("brief.*"))
        found["briefs"] = len(briefs)
        found["briefs_same"] = sum((outs["local"] / b).read_bytes() == (outs["ray"] / b).read_bytes() for b in briefs)
    return {**found, "seconds": seconds}


def run_events(inputs: list[str], options, workers: int) -> dict:
    """Both executors' read, clean and group; events compared."""
    from newscollate.executors.local import LocalExecutor
    from newscollate.executors.ray_executor import RayExecutor, _Session

    quiet = lambda _stage: None  # noqa: E731
    started = time.perf_counter()
    _, _, local = LocalExecutor().events(inputs, options, quiet)
    seconds = {"local": time.perf_counter() - started}
    ray_executor = RayExecutor(workers=workers)
    with _Session(None, workers):
        started = time.perf_counter()
        _, _, ray = ray_executor.events(inputs, options, quiet)
        seconds["ray"] = time.perf_counter() - started
    return {**compare(segments_of(local), segments_of(ray)), "seconds": seconds}


def write_ecbplus(folder: Path, data: Path) -> int:
    """Each ECB+ text as ``NNNN-name.txt`` (the number keeps load order); how many."""
    docs = load_ecbplus(data)
    for i, doc in enumerate(docs):
        (folder / f"{i:04d}-{doc.name}.txt").write_text(doc.text, encoding="utf-8")
    return len(docs)


def report(results: dict[str, dict], command: str, clean_batch: int, workers: int) -> str:
    lines = [
        BEGIN,
        "## Ray executor against the local executor (issue F)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Both executors with clean batches of {clean_batch:,} documents; Ray on a local "
        f"instance with {workers} workers; grouping on Ray by `executors.ray_group` when installed. "
        "Identical: the same events, ids, members and order; B-cubed over segments, the local run as reference.",
        "",
        "| input | compared | segments | events local / Ray | identical | B-cubed P | R | F1 | seconds local / Ray |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        what = "events" if "tables" not in r else (
            f"events; tables equal: {', '.join(r['tables']) or 'none'}; briefs equal: {r['briefs_same']}/{r['briefs']}")
        lines.append(
            f"| {name} | {what} | {r['segments']:,} | {r['events']:,} / {r['ray_events']:,} | "
            f"{'yes' if r['identical'] else 'NO'} | {r['p']:.4f} | {r['r']:.4f} | {r['f1']:.4f} | "
            f"{r['seconds']['local']:.1f} / {r['seconds']['ray']:.1f} |")
    agree = all(r["identical"] for r in results.values())
    lines += ["", f"Goal: identical events. {'Met' if agree else 'NOT met'}.", END]
    return "\n".join(lines)


def main() -> None:
    from newscollate.executors import RunOptions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="ECB+ folder (default ../shared/data/ecbplus)")
    parser.add_argument("--examples", type=Path, default=ROOT / "examples")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clean-batch", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="on ECB+ too, run and compare the whole pipeline")
    parser.add_argument("--write", type=Path, help="Markdown file whose ray-agreement section is replaced")
    args = parser.parse_args()
    options = RunOptions(clean_batch=args.clean_batch)
    results = {"examples/": run_full([str(args.examples)], options, args.workers)}
    print(results, file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            count = write_ecbplus(Path(tmp), args.data)
        except EcbLayoutError as exc:
            sys.exit(f"error: {exc}")
        run = run_full if args.full else run_events
        results[f"ECB+ ({count} texts)"] = run([tmp], options, args.workers)
    print(results, file=sys.stderr)
    section = report(results, " ".join([".venv/bin/python bench/ray_agreement.py", *sys.argv[1:]]), args.clean_batch, args.workers)
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
