"""Ingest throughput and memory on a generated WARC: records/s, and peak memory at three sizes.

Writes fictional news pages (bench/_synthetic.py, fixed seed) as Common Crawl
style ``.warc.gz`` files of N/4, N/2 and N response records (each file starts
with the same records), then reads each one through
``newscollate.ingest.iter_documents`` in a fresh Python process, so that every
peak is that run's own.  Each run first reads a few documents untimed (lazy
imports, caches), notes its memory, then reads the whole file, counting
documents and sampling resident memory as it goes.  A second run per size
measures the Python heap peak with tracemalloc (slower, so not timed).

    .venv/bin/python bench/warc_throughput.py --records 10000 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine_line, replace_section  # noqa: E402
from _synthetic import Mix, write_warcs  # noqa: E402

BEGIN, END = "<!-- bench:warc:begin -->", "<!-- bench:warc:end -->"
WARMUP_DOCUMENTS = 20
SAMPLES = 8
MIB = 1024 * 1024
#: Largest run's peak over the smallest run's peak that still counts as "not growing".
GROWTH_ALLOWED = 1.10


def current_rss() -> int | None:
    """Resident set size of this process now, in bytes (Linux), else ``None``."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def peak_rss() -> int:
    """Highest resident set size of this process so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def measure(path: Path, responses: int, trace: bool, fast: bool) -> dict:
    """Read ``path`` once through iter_documents (in this process) and say what it took."""
    import tracemalloc

    from newscollate.ingest import InputError, ReadOptions, ReadStats, iter_documents

    options = ReadOptions(fast=fast)
    warmup = iter_documents([str(path)], options, ReadStats())
    for _item in itertools.islice(warmup, WARMUP_DOCUMENTS):
        pass
    warmup.close()
    gc.collect()
    before = {"peak_rss": peak_rss(), "rss": current_rss()}
    if trace:
        tracemalloc.start()
    stats = ReadStats()
    documents = errors = chars = 0
    every = max(1, responses // SAMPLES)
    samples = []
    started = time.perf_counter()
    for item in iter_documents([str(path)], options, stats):
        if isinstance(item, InputError):
            errors += 1
        else:
            documents += 1
            chars += len(item.text)
            if documents % every == 0:
                samples.append([documents, current_rss()])
    seconds = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "warc_records": stats.records,
        "documents": documents,
        "errors": errors,
        "characters": chars,
        "skipped": dict(stats.skipped),
        "seconds": seconds,
        "before": before,
        # The kernel's high-water mark lags its live counter by a few pages; never report a peak below a sample.
        "peak_rss": max([peak_rss(), *(rss for _, rss in samples if rss is not None)]),
        "traced_peak": traced_peak,
        "rss_samples": samples,
    }


def run_measure(path: Path, responses: int, trace: bool, fast: bool) -> dict:
    """:func:`measure` in a fresh interpreter, so its peak memory is its own."""
    command = [sys.executable, __file__, "--measure", str(path), "--records", str(responses)]
    command += ["--trace"] if trace else []
    command += ["--fast"] if fast else []
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: measuring {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def mib(value: int | None) -> str:
    return "—" if value is None else f"{value / MIB:.1f}"


def report(runs: dict[int, dict], traced: dict[int, dict], files: dict[int, int], command: str, fast: bool) -> str:
    sizes = sorted(runs)
    lines = [
        BEGIN,
        "## WARC ingest throughput and memory (issue B)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Input: generated `.warc.gz` files of fictional news pages (3-8 KB of HTML each; "
        "some gzip-encoded or windows-1252; about 4 % robots.txt, images, redirects and 404s), each response "
        "after its request record, as in Common Crawl. Read with "
        f"`iter_documents([path], ReadOptions({'fast=True' if fast else ''}))`, which extracts every page's main "
        "text and metadata; each size in a fresh process; the clock covers the read only. These pages are "
        "small and regular, so documents/s here is an upper bound: real news pages (typically 50-500 KB) "
        "extract at the pages/s of the extraction section.",
        "",
        "| response records | WARC MB | documents | skipped | seconds | records/s | documents/s "
        "| peak RSS MiB | RSS before read MiB | growth during read MiB | Python heap peak MiB (tracemalloc) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        run = runs[n]
        skipped = sum(v for k, v in run["skipped"].items() if "request" not in k and "warcinfo" not in k)
        traced_peak = traced[n]["traced_peak"] if n in traced else None
        lines.append(
            f"| {n:,} | {files[n] / 1e6:.1f} | {run['documents']:,} | {skipped:,} | {run['seconds']:.1f} "
            f"| {n / run['seconds']:.1f} | {run['documents'] / run['seconds']:.1f} | {mib(run['peak_rss'])} "
            f"| {mib(run['before']['peak_rss'])} | {mib(run['peak_rss'] - run['before']['peak_rss'])} "
            f"| {mib(traced_peak)} |"
        )
    largest = runs[sizes[-1]]
    samples = ", ".join(f"{docs:,}: {mib(rss)}" for docs, rss in largest["rss_samples"])
    lines += [
        "",
        f"Resident memory (MiB) during the {sizes[-1]:,}-record read, after N documents: {samples}.",
        "Skipped records are the robots.txt, image, redirect and 404 responses (request and warcinfo records "
        "are not counted); records/s counts response records.",
    ]
    small, big = runs[sizes[0]], largest
    checks = [("peak RSS", small["peak_rss"], big["peak_rss"])]
    if sizes[0] in traced and sizes[-1] in traced:
        checks.append(("Python heap peak", traced[sizes[0]]["traced_peak"], traced[sizes[-1]]["traced_peak"]))
    met = all(b <= a * GROWTH_ALLOWED for _, a, b in checks)
    figures = "; ".join(f"{name} {mib(a)} MiB at {sizes[0]:,} records, {mib(b)} MiB at {sizes[-1]:,}"
                        for name, a, b in checks)  # fmt: skip
    lines += [
        "",
        f"Goal: memory does not grow with the number of records (the {sizes[-1]:,}-record peak within "
        f"{GROWTH_ALLOWED - 1:.0%} of the {sizes[0]:,}-record one). {'Met' if met else 'NOT met'} ({figures}).",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000, help="response records of the largest file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fast", action="store_true", help="read with ReadOptions(fast=True)")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--keep", type=Path, help="write the WARC files to this folder and keep them")
    parser.add_argument("--write", type=Path, help="Markdown file whose warc section is replaced")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.records, args.trace, args.fast)))
        return
    if args.records < 4:
        sys.exit("error: --records must be at least 4")
    sizes = sorted({args.records // 4, args.records // 2, args.records})

    with tempfile.TemporaryDirectory(prefix="newscollate-warc-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths, made = write_warcs(sizes, folder, args.seed, Mix())
        print(f"wrote {len(paths)} WARC files in {time.perf_counter() - started:.1f} s "
              f"({made.articles:,} of {made.responses:,} responses are articles)", file=sys.stderr)  # fmt: skip
        files = {n: paths[n].stat().st_size for n in sizes}
        runs, traced = {}, {}
        for n in sizes:
            runs[n] = run_measure(paths[n], n, trace=False, fast=args.fast)
            peak = mib(runs[n]["peak_rss"])
            print(f"{n:,} records: {runs[n]['seconds']:.1f} s, peak RSS {peak} MiB", file=sys.stderr)
        if not args.no_trace:
            for n in sizes:
                traced[n] = run_measure(paths[n], n, trace=True, fast=args.fast)
                print(f"{n:,} records traced: heap peak {mib(traced[n]['traced_peak'])} MiB", file=sys.stderr)

    command = " ".join([".venv/bin/python bench/warc_throughput.py", *sys.argv[1:]])
    section = report(runs, traced, files, command, args.fast)
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
