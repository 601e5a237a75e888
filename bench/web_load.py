"""Web UI and JSON API under load: requests/s and latency percentiles of ``newscollate serve``.

A store of N fictional events (``--events``, default 1,000) is built once and
cached under /tmp/newscollate-bench/web-N.db (``--rebuild`` builds it again).
Every event is invented from templates in this script with a seeded
generator: a made-up town (unique to the event), people, a street, a hall, an organisation, counts, amounts and
dates, one of 14 kinds of local news (a fire, a flood, a strike, an
election...), reported 2-4 times by different fictional outlets, each report
reworded (every sentence in one of two wordings: the kind's five sentences and
2-4 of 14 generic ones, in its own order, about 130 words), some with page
junk lines ("Advertisement", "Share this article"), and about a third of the
events with one report that gives another count, amount or day, so their
briefs have discrepancies.  Events come in rounds of one per kind on the same
day, rounds 30 days apart, so two fires are never in the grouper's window
together.  The documents go through the pipeline as ``newscollate ingest``
sends them (``Store.add_documents`` then ``store.stream_into_events``).
Generated events of one round that the grouper finds alike (the generic
sentences are what they share) merge into one; more events are generated
until the store holds at least N.

The server is ``newscollate serve --store ... --port P`` in a subprocess (one
uvicorn process, as a user runs it), on loopback.  Each target is loaded with
wrk for ``--duration`` seconds, ``--connections`` keep-alive connections and
one thread per core, with ``--latency``; a wrk Lua script picks a random event
id for every request of the event and brief targets.  Targets, in order:

* event page ``/events/{id}``, cache cold: the server has just started, so a
  page is rendered from the stored brief the first time it is asked for
  and served from the page cache after that (during the run, most of the
  N pages are asked for at least once);
* event page, cache warm: every event page was fetched once before the run;
* event page, no cache (``--no-uncached`` skips it): a second server,
  ``create_app(WebSettings(cache_bytes=0))`` under uvicorn, so every request
  renders the page: the cost of a page that changed;
* API brief ``/api/events/{id}`` (the stored brief JSON);
* API list ``/api/events`` (the newest 50 events);
* events list page ``/`` (the newest 50 events, with the outlet filter).

wrk and the server share the machine's cores.  Without wrk on PATH a Python
client (threads with keep-alive ``http.client`` connections) replaces it,
and the report says so.  The server's peak resident memory is its VmHWM.

    .venv/bin/python bench/web_load.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load_client import measure  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402
from _web_corpus import event_ids, open_or_build  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- bench:web:begin -->", "<!-- bench:web:end -->"
GOAL_RPS = 200
GOAL_P99_MS = 100.0

# ---------------------------------------------------------------------------------------------
# Report

PATHS = {
    "event page, cache cold": "`/events/{id}`, random of all events",
    "event page, cache warm": "`/events/{id}`, random of all events",
    "event page, no cache": "`/events/{id}`, random of all events",
    "API brief": "`/api/events/{id}`, random of all events",
    "API list": "`/api/events`",
    "events list page": "`/`",
}


def _f(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def report(result: dict, info: dict, args: argparse.Namespace, command: str, use_wrk: bool) -> str:
    targets = result["targets"]
    warming = result.get("warming", {})
    client = (
        f"wrk ({args.threads} threads, one per core, {args.connections} keep-alive connections, {args.duration} s per "
        "target, `--latency`; a Lua script picks a random event id for every request of the per-event targets)"
        if use_wrk
        else f"a Python client (wrk was not on PATH: {args.connections} threads, each with a keep-alive "
        f"`http.client` connection, {args.duration} s per target; the client's own GIL-bound work adds latency)"
    )
    lines = [
        BEGIN,
        "## Web UI and API under load (issue E)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Store: {info['events']:,} events from {info['documents']:,} fictional reports "
        f"({info['generated_events']:,} generated events of 14 kinds, 2-4 reworded reports each from different "
        f"fictional outlets, {info.get('words_per_document', 0)} words on average, some with page junk and about "
        "a third with a count, amount or date another report contradicts; generated by this script, generated "
        "events the grouper finds alike merge, so more are generated than the store holds; ingested with "
        "`Store.add_documents` and `stream_into_events`"
        + (f", in {info['build_seconds']:.0f} s" if info.get("build_seconds") else "")
        + "). Server: `newscollate serve` (one uvicorn process) on loopback; the no-cache row runs the same app "
        "with `WebSettings(cache_bytes=0)`. Client: " + client + ". The client and the server share the "
        "machine's 2 cores, so these are lower bounds of what the server alone would do (the machine is shared, "
        "so runs differ by 10-20 %).",
        "",
        "| target | path | requests/s | p50 ms | p90 ms | p99 ms | errors (non-2xx/3xx + socket) |",
        "|---|---|---|---|---|---|---|",
    ]
    order = ["event page, cache cold", "event page, cache warm", "event page, no cache", "API brief", "API list",
             "events list page"]  # fmt: skip
    for name in [n for n in order if n in targets]:
        r = targets[name]
        lines.append(f"| {name} | {PATHS[name]} | {_f(r['rps'])} | {_f(r['p50'])} | {_f(r['p90'])} | {_f(r['p99'])} "
                     f"| {r['non_2xx'] + r['socket_errors']} |")  # fmt: skip
    lines.append("")
    notes = []
    if warming:
        notes.append(
            f"Warming fetched all {warming['pages']:,} event pages once, one at a time, in {warming['seconds']:.1f} s "
            f"({warming['pages'] / warming['seconds']:.1f} pages/s: the cold run had cached most already); a page is "
            f"{warming['mean_bytes'] / 1024:.1f} KiB on average (largest {warming['max_bytes'] / 1024:.1f} KiB), "
            f"{warming['total_bytes'] / 2**20:.1f} MiB for all, within the 64 MiB page cache."
        )
    if result.get("peak_rss"):
        notes.append(f"Server peak RSS (VmHWM) after all its targets: {result['peak_rss'] / 2**20:.1f} MiB"
                     + (f"; the no-cache server's: {result['uncached_peak_rss'] / 2**20:.1f} MiB."
                        if result.get("uncached_peak_rss") else "."))  # fmt: skip
    if notes:
        lines += [" ".join(notes), ""]
    verdicts = []
    for name in [n for n in order if n in targets]:
        r = targets[name]
        fast = r["rps"] >= GOAL_RPS
        quick = r["p99"] is not None and r["p99"] < GOAL_P99_MS
        verdicts.append(f"{name}: {'met' if fast and quick else 'NOT met'} ({_f(r['rps'])} requests/s, "
                        f"p99 {_f(r['p99'])} ms)")  # fmt: skip
    lines += [
        f"Goal: at least {GOAL_RPS} requests/s with p99 under {GOAL_P99_MS:.0f} ms, on this 2-core machine. "
        + "; ".join(verdicts) + ".",
    ]
    if args.note:
        lines += ["", args.note]
    lines.append(END)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000, help="events in the store (default 1,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if a cached one exists")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per target (default 15)")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections (default 8)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="wrk threads (default: one per core)")
    parser.add_argument("--no-uncached", dest="uncached", action="store_false",
                        help="skip the event page with the page cache off")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk is installed")
    parser.add_argument("--note", help="a paragraph added to the section (e.g. where the time goes)")
    parser.add_argument("--write", type=Path, help="Markdown file whose web section is replaced")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    args = parser.parse_args()
    if args.events < 1 or args.duration < 1 or args.connections < 1 or args.threads < 1:
        sys.exit("error: --events, --duration, --connections and --threads must be at least 1")
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    if not use_wrk and not args.python_client:
        print("wrk is not on PATH: using the Python client", file=sys.stderr)
    store, info = open_or_build(args.events, args.seed, args.rebuild)
    ids = event_ids(store)
    result = measure(store, ids, args.duration, args.connections, min(args.threads, args.connections), use_wrk,
                     args.uncached)  # fmt: skip
    shown = ["'<the last paragraph below>'" if args.note and arg == args.note else shlex.quote(arg) for arg in sys.argv[1:]]
    command = " ".join([".venv/bin/python bench/web_load.py", *shown])
    section = report(result, info, args, command, use_wrk)
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)
    if args.json:
        clean = {name: {k: v for k, v in r.items() if k != "raw"} for name, r in result["targets"].items()}
        args.json.write_text(json.dumps({"store": info, "client": "wrk" if use_wrk else "python",
                                         **result, "targets": clean}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()

