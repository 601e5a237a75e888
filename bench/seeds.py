"""Time `newscollate collate` on ../shared/seeds (the issue A goal: under 5 s).

Runs the installed command as a user would, N times, and reports the median and
the fastest wall time, plus the in-process time split by stage.  With
--write FILE the results replace the "seeds" section of that Markdown file.

    .venv/bin/python bench/seeds.py --runs 5 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import machine_line, replace_section

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
BEGIN, END = "<!-- bench:seeds:begin -->", "<!-- bench:seeds:end -->"


def wall_times(runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("newscollate")
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(exe), "collate", str(SEEDS), "--out", out, "--quiet"], check=True)
            times.append(time.perf_counter() - started)
    return times


def stage_times() -> dict[str, float]:
    """Per-stage seconds of one in-process run (model already loaded)."""
    sys.path.insert(0, str(REPO / "src"))
    from newscollate.brief import build_brief
    from newscollate.ingest import ingest
    from newscollate.nlp import load_model
    from newscollate.pipeline import Corpus, default_components

    marks: dict[str, float] = {}
    started = time.perf_counter()
    load_model()
    marks["load spaCy model"] = time.perf_counter() - started
    started = time.perf_counter()
    corpus = Corpus(ingest([str(SEEDS)]).documents)
    marks["ingest"] = time.perf_counter() - started
    for component in default_components():
        started = time.perf_counter()
        component(corpus)
        marks[component.name] = time.perf_counter() - started
    started = time.perf_counter()
    build_brief(corpus)
    marks["brief"] = time.perf_counter() - started
    return marks


def report(runs: int) -> str:
    times = wall_times(runs)
    stages = stage_times()
    lines = [
        BEGIN,
        "## Seeds end to end (issue A)",
        "",
        f"Command: `.venv/bin/python bench/seeds.py --runs {runs} --write docs/benchmarks.md`, which times "
        f"`newscollate collate ../shared/seeds --out DIR --quiet` as a fresh process {runs} times.",
        machine_line(),
        "",
        "| measure | seconds |",
        "|---|---|",
        f"| wall time, median of {runs} | {statistics.median(times):.2f} |",
        f"| wall time, fastest | {min(times):.2f} |",
        *(f"| in process: {name} | {seconds:.3f} |" for name, seconds in stages.items()),
        "",
        f"Goal: under 5 s after install. {'Met' if statistics.median(times) < 5 else 'NOT met'} "
        f"(median {statistics.median(times):.2f} s).",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="Markdown file whose seeds section is replaced")
    args = parser.parse_args()
    if not SEEDS.is_dir():
        sys.exit(f"error: {SEEDS} not found; the benchmark needs ../shared/seeds")
    section = report(args.runs)
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
