"""Ray executor throughput: read + clean + dedup + group, 1 worker against 2, on a generated corpus.

Generates N articles (fixed seed) with bench/group_throughput.py's generator
(ECB+ events rewritten into many distinct ones, junk lines, about 10 %
syndicated copies, outlets and dates) and writes them as JSONL files of
``--per-file`` records (the Ray executor reads a file per task, record by
record).  For each worker count it starts a local Ray with that many CPUs and
times ``RayExecutor.events``: reading, numbering (dropping repeated texts),
cleaning in batches of ``--clean-batch`` and grouping all segments into
events; collation per event is not included (it is timed apart, see
docs/scaling.md).  Memory: the driver's peak RSS (VmHWM) and, sampled every
half second, the largest summed RSS of all processes of this user but the
driver (Ray's raylet, object store and workers), in MiB.  Per-block cost: wall
seconds of each clean batch (one task); shuffle volume: bytes of the rows each
shuffle moves, as Ray Data counts them.

    .venv/bin/python bench/ray_throughput.py --docs 100000 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ecbplus import EcbLayoutError, load_ecbplus  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402
from group_throughput import SHARED_DATA, ArticleStream, hwm  # noqa: E402
from warc_throughput import mib  # noqa: E402

BEGIN, END = "<!-- bench:ray-throughput:begin -->", "<!-- bench:ray-throughput:end -->"


def write_corpus(folder: Path, sources, total: int, per_file: int, seed: int) -> None:
    articles = iter(ArticleStream(sources, seed))
    for first in range(0, total, per_file):
        with open(folder / f"part-{first // per_file:05d}.jsonl", "w", encoding="utf-8") as out:
            for _ in range(min(per_file, total - first)):
                a = next(articles)
                out.write(json.dumps({"text": a.text, "source": a.outlet, "date": a.published.isoformat()}) + "\n")


class OthersRss:
    """The largest summed resident memory of this user's processes other than this one, sampled."""

    def __init__(self) -> None:
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me, uid = os.getpid(), os.getuid()
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(0.5):
            total = 0
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if int(pid) == me or os.stat(f"/proc/{pid}").st_uid != uid:
                        continue
                    with open(f"/proc/{pid}/statm") as statm:
                        total += int(statm.read().split()[1]) * page
                except (OSError, ValueError):
                    continue
            self.peak = max(self.peak, total)


def measure(folder: Path, workers: int, clean_batch: int, group: str) -> dict:
    import ray

    from newscollate.executors import RunOptions
    from newscollate.executors.ray_executor import RayExecutor, _Session

    with OthersRss() as others:
        baseline = others.peak
        with _Session(None, workers):
            started = time.perf_counter()
            result, _, events = RayExecutor(workers=workers, group=group).events([str(folder)], RunOptions(clean_batch=clean_batch), lambda _s: None)
            seconds = time.perf_counter() - started
            assert ray.is_initialized()
    return {"workers": workers, "seconds": seconds, "documents": result.documents, "segments": result.segments,
            "events": len(events), "stages": result.seconds, "shuffled": result.shuffled_bytes,
            "blocks": result.block_seconds, "driver_peak": hwm(), "others_peak": others.peak, "baseline": baseline}


def report(runs: list[dict], total: int, per_file: int, clean_batch: int, command: str, group: str) -> str:
    lines = [
        BEGIN,
        "## Ray executor throughput: read + clean + dedup + group (issue F)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Input: {total:,} generated articles (bench/group_throughput.py's generator, fixed seed) "
        f"in JSONL files of {per_file:,}; clean batches of {clean_batch:,} documents; a local Ray started with "
        "as many CPUs as workers; grouping " + ("on the driver (`--group local`)" if group == "local" else "by `executors.ray_group`") + ". The clock "
        "covers `RayExecutor.events` (read, number, clean, group), not generating the files nor collating.",
        "",
        "| workers | documents | segments | events | seconds | documents/s | read s | clean s | group s | "
        "driver peak RSS MiB | Ray processes peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        s = r["stages"]
        lines.append(
            f"| {r['workers']} | {r['documents']:,} | {r['segments']:,} | {r['events']:,} | {r['seconds']:.1f} | "
            f"{r['documents'] / r['seconds']:.1f} | {s.get('read', 0):.1f} | {s.get('clean', 0):.1f} | "
            f"{s.get('group', 0):.1f} | {mib(r['driver_peak'])} | {mib(r['others_peak'])} |")
    last = runs[-1]
    blocks = last["blocks"]
    shuffled = ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in last["shuffled"].items())
    lines += [
        "",
        f"Per clean block ({clean_batch:,} documents, one task; {len(blocks)} blocks): median "
        f"{statistics.median(blocks):.1f} s, max {max(blocks):.1f} s, so "
        f"{clean_batch / statistics.median(blocks):.0f} documents/s per worker in the clean stage. Rows moved: "
        f"{shuffled} ({last['shuffled'].get('clean', 0) / max(last['documents'], 1) / 1024:.1f} KiB per "
        "cleaned document, its readings included).",
        "",
        "Scaling (estimate, not measured on a cluster): reading and cleaning are independent per file and per "
        "clean batch, so they scale with workers until the driver's numbering pass (tens of bytes per document) "
        "and the shuffle of the cleaned rows dominate; see docs/scaling.md.",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=5_000)
    parser.add_argument("--clean-batch", type=int, default=1_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--group", choices=("auto", "local"), default="auto",
                        help="auto: executors.ray_group when installed; local: group on the driver")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    try:
        sources = load_ecbplus(args.data)
    except EcbLayoutError as exc:
        sys.exit(f"error: {exc}")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), sources, args.docs, args.per_file, args.seed)
        for workers in args.workers:
            runs.append(measure(Path(tmp), workers, args.clean_batch, args.group))
            print(runs[-1], file=sys.stderr)
    section = report(runs, args.docs, args.per_file, args.clean_batch,
                     " ".join([".venv/bin/python bench/ray_throughput.py", *sys.argv[1:]]), args.group)
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
