"""Soak: ``newscollate serve`` under a mixed load for ten minutes or more, its memory measured throughout.

A copy of the web benchmark's store (bench/web_load.py: about 1,000 fictional events, cached under
/tmp/newscollate-bench/) is served by ``newscollate serve`` in a subprocess on loopback; the copy
takes the uploads, so the cached store stays as it was.  Client threads, each with one keep-alive
connection, send a weighted mix of requests:

* event pages of all events (their rendered pages and the events-list pages together are more
  than the 64 MiB page cache holds, so it evicts all along);
* the events list with search, outlet, date and page query strings;
* document pages with a highlight range, the outlets page;
* the API: events list with filters and offsets, briefs, documents;
* requests for things that do not exist (404) and malformed ones: bad ids, dates, numbers out of
  range, bodies that are not JSON, the wrong content type (4xx).

Beside them one uploader posts a small JSON document to ``POST /api/documents`` every few seconds:
the text of a document the store holds already (answered ``already_stored``, the store does not
grow), and a few times in the run a new fictional event's 2-4 reports, which the server ingests,
groups and collates in the request: new events legitimately add a little memory.

Warm-up first: every event page is fetched once, ``--warmup-new-events`` new events are uploaded
one after the other (the first ingest loads the models), then the same mix runs for ``--warmup``
seconds, so the page cache is full and the allocator has settled before the measured window starts.
The server's resident memory (VmRSS, its child processes included, and of it RssAnon) is sampled
every ``--sample-every`` seconds; its stderr is read as it comes (into soak-server.log beside the
cached store) and the exceptions it names are reported.  Growth is the RSS at the end of the measured
window over the RSS at its start.  The script exits 1 when growth is over ``--goal`` percent, or when
any request got a 5xx answer or lost its connection.  ``--commit HEAD`` serves that commit's code,
not a working tree that others are editing.

    .venv/bin/python bench/soak.py --minutes 10 --commit HEAD --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load_client import Server, warm  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402
from _soak_load import UPLOAD_TIMEOUT_S, WEIGHTS, Tally, build_catalog, drive, send, upload_call  # noqa: E402
from _web_corpus import CACHE_DIR, event_ids, open_or_build  # noqa: E402

BEGIN, END = "<!-- bench:soak:begin -->", "<!-- bench:soak:end -->"
LOG = CACHE_DIR / "soak-server.log"
GOAL_GROWTH = 10.0
MiB = 2**20
REPO = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------------------------
# Memory


def parse_rss(status: str, field: str = "VmRSS") -> int | None:
    """Bytes of ``field`` (VmRSS, RssAnon...) in the text of /proc/PID/status, else None (a kernel thread)."""
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            value, unit = line.split()[1:3]
            if unit != "kB":
                raise ValueError(f"{field} in {unit!r}, not kB")
            return int(value) * 1024
    return None


def descendants(parents: dict[int, int], root: int) -> list[int]:
    """``root`` and every process below it, from a ``{pid: parent pid}`` map."""
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    # the command name may hold spaces and parentheses: fields start after the last ")"
                    parents[int(entry.name)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of ``pid`` and its children (uvicorn forks none unless given workers, but count them),
    and of those the anonymous ones (the heap: what a leak grows; the rest is mapped files)."""
    total = anon = 0
    for member in descendants(_parents(), pid):
        try:
            with open(f"/proc/{member}/status") as status:
                text = status.read()
        except OSError:
            continue
        total += parse_rss(text) or 0
        anon += parse_rss(text, "RssAnon") or 0
    return total, anon


def growth_percent(start: int, end: int) -> float:
    return (end - start) / start * 100


def verdict(start: int, end: int, goal: float, server_errors: int, lost: int) -> tuple[bool, list[str]]:
    """Whether the soak passed, and why not."""
    problems = []
    if growth_percent(start, end) > goal:
        problems.append(f"RSS grew {growth_percent(start, end):.1f} % (goal: at most {goal:g} %)")
    if server_errors:
        problems.append(f"{server_errors} answers were 5xx")
    if lost:
        problems.append(f"{lost} requests lost their connection")
    return not problems, problems


def series(samples: list[tuple], every: float) -> list[tuple]:
    """The sample nearest each multiple of ``every`` seconds (a minute-by-minute view of many samples)."""
    if not samples:
        return []
    marks = range(int(samples[-1][0] // every) + 1)
    picked = [min(samples, key=lambda s: abs(s[0] - m * every)) for m in marks]
    if picked[-1] != samples[-1]:
        picked.append(samples[-1])
    return picked


class Sampler(threading.Thread):
    """The server's RSS every ``every`` seconds, as (seconds since ``origin``, bytes, anonymous bytes)."""

    def __init__(self, pid: int, every: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.origin = time.monotonic()
        self.samples: list[tuple[float, int, int]] = []
        self.halt = threading.Event()

    def sample(self) -> tuple[int, int]:
        rss, anon = tree_rss(self.pid)
        self.samples.append((time.monotonic() - self.origin, rss, anon))
        return rss, anon

    def run(self) -> None:
        while not self.halt.wait(self.every):
            self.sample()


class ServerLog(threading.Thread):
    """Reads the server's stderr as it comes, into ``path``: a pipe nobody reads blocks the server
    once 64 KiB of tracebacks fill it.  Counts the exceptions it names."""

    def __init__(self, stream, path: Path) -> None:
        super().__init__(daemon=True)
        self.stream, self.path = stream, path
        self.exceptions: Counter = Counter()

    def run(self) -> None:
        with open(self.path, "w") as log:
            for line in self.stream:
                log.write(line)
                if re.match(r"[A-Za-z_][\w.]*(Error|Exception)\b", line):
                    self.exceptions[line.strip()[:160]] += 1


# ---------------------------------------------------------------------------------------------
# Report


def percentile(values: list[float], p: float) -> float | None:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else None


def _mib(value: int) -> str:
    return f"{value / MiB:,.1f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def report(run: dict, args: argparse.Namespace, command: str) -> str:
    tally: Tally = run["tally"]
    mem = run["memory"]
    info = run["store"]
    served = tally.requests()
    lost = sum(tally.lost.values())
    uploads = {k: sum(tally.statuses.get(k, Counter()).values()) for k in ("upload, stored", "upload, new event")}
    ok, problems = verdict(mem["start"], mem["end"], args.goal, tally.server_errors(), lost)
    lines = [
        BEGIN,
        "## Sustained load: memory over a soak (issue 8)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} "
        + (f"Code: commit `{args.commit[:12]}` (its `src/`, not the working tree). " if args.commit else "")
        + f"Store: a copy of the web benchmark's store ({info['events']:,} fictional events, "
        f"{info['documents']:,} reports; see above), served by `newscollate serve` (one uvicorn process, no "
        "child processes) on loopback. Warm-up: every event page fetched once "
        f"({run['warming']['seconds']:.0f} s), {args.warmup_new_events} new events uploaded one after the other (RSS "
        f"after each: {', '.join(_mib(r) + ' MiB' for r in run['after_ingests'])}; the first ingest loads the "
        "models) and "
        f"{args.warmup} s of the same mix as the measured window, so the page cache is full, the models are in "
        f"memory and the allocator has settled before the window starts. Measured window: {args.minutes} minutes; "
        f"{args.connections} client threads, each with one keep-alive `http.client` connection, send the mix "
        "below as fast as they are answered, and one more posts a JSON document to `POST /api/documents` "
        f"every {args.upload_every:g} s: a document the store holds already "
        f"({uploads['upload, stored']:,} in the window: nothing is added) and, spread over the window, "
        f"{args.new_events} new fictional events ({uploads['upload, new event']} posts, "
        f"{run['new_documents']} reports), which the server ingests, groups and collates in the request and "
        "which add a little to memory by right. The cacheable pages asked for (event pages and events-list "
        f"pages) add up to {run['cacheable_bytes'] / MiB:,.0f} MiB, "
        + ("over the 64 MiB page cache, so it evicted all along. " if run["cacheable_bytes"] > 64 * MiB
           else "within the 64 MiB page cache, which never evicted: run longer. ")
        + "RSS is the server's VmRSS (its children included), sampled every "
        f"{args.sample_every:g} s.",
        "",
        "| RSS before warm-up | at the start of the window | at its end | peak in the window | growth | VmHWM |",
        "|---|---|---|---|---|---|",
        f"| {_mib(mem['boot'])} MiB | {_mib(mem['start'])} MiB | {_mib(mem['end'])} MiB | {_mib(mem['peak'])} MiB "
        f"| {growth_percent(mem['start'], mem['end']):+.1f} % | {_mib(mem['hwm'] or 0)} MiB |",
        "",
        "RSS over the window (minute: MiB): "
        + ", ".join(f"{t / 60:.0f}: {_mib(rss)}" for t, rss, _ in series(mem["samples"], 60)) + "; of it "
        "anonymous memory (RssAnon, the heap; the rest is mapped files): "
        + ", ".join(f"{t / 60:.0f}: {_mib(anon)}" for t, _, anon in series(mem["samples"], 60)) + ".",
        "",
        "| route kind | requests | p50 ms | p99 ms | statuses | 5xx | connection lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in [*WEIGHTS, "upload, stored", "upload, new event"]:
        counts = tally.statuses.get(kind, Counter())
        times = tally.latencies.get(kind, [])
        shown = ", ".join(f"{status}: {n:,}" for status, n in sorted(counts.items()))
        fives = sum(n for status, n in counts.items() if status >= 500)
        lines.append(f"| {kind} | {sum(counts.values()):,} | {_ms(percentile(times, 50))} | "
                     f"{_ms(percentile(times, 99))} | {shown} | {fives} | {tally.lost[kind]} |")  # fmt: skip
    errors = tally.server_errors() + lost
    lines += [
        "",
        f"{served:,} requests answered in the window ({served / run['seconds']:,.1f}/s), "
        f"{tally.server_errors()} with a 5xx status and {lost} connections lost: an error rate of "
        f"{errors / max(served + lost, 1) * 100:.3f} %. "
        + ("Answers with a status other than the one expected (not 5xx), and lost connections by error: "
           + "; ".join(f"`{what}` ×{n}" for what, n in tally.unexpected.most_common(5)) + ". "
           if tally.unexpected else "Every answer had the status expected. ")
        + (f"The server logged {sum(run['exceptions'].values())} exceptions ({LOG}): "
           + "; ".join(f"`{e}` ×{n}" for e, n in run["exceptions"].most_common(3)) + ". " if run["exceptions"] else "")
        + "Latencies are noisy: the client and the server share the machine's 2 cores, which other jobs "
        "were using at the same time; memory is what this benchmark is for.",
        "",
        f"Goal: RSS growth over the window at most {args.goal:g} % and no 5xx: "
        + ("met." if ok else "NOT met: " + "; ".join(problems) + "."),
    ]
    if args.note:
        lines += ["", args.note]
    lines.append(END)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The run


def soak(store: Path, info: dict, args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    print("reading the store's catalog ...", file=sys.stderr)
    catalog = build_catalog(store, info["generated_events"], args.seed, rng)
    server = Server(store)
    log = ServerLog(server.process.stderr, LOG)
    log.start()
    try:
        sampler = Sampler(server.process.pid, args.sample_every)
        boot, _ = sampler.sample()
        print(f"warming: every event page, then {args.warmup} s of load ...", file=sys.stderr)
        warming = warm(server.base, [f"/events/{i}" for i in event_ids(store)])
        # new events first, each waited for: the first ingest loads the models, and in trial runs a server's
        # second ingest added up to 35 MiB once, later ones a few MiB; all before the window
        host, port = server.base.removeprefix("http://").split(":")
        after_ingests = []
        for number in range(args.warmup_new_events):
            first = upload_call(catalog, rng, number)
            status, _ = send(http.client.HTTPConnection(host, int(port), timeout=UPLOAD_TIMEOUT_S), first)
            if status not in first.expect:
                print(f"warning: the warm-up's new event got {status}", file=sys.stderr)
            after_ingests.append(sampler.sample()[0])
        warmed = drive(server.base, catalog, args.warmup, args.connections, args.upload_every, [], rng)
        if warmed.server_errors() or sum(warmed.lost.values()):
            print(f"warning: {warmed.server_errors()} 5xx and {sum(warmed.lost.values())} lost in the warm-up: "
                  f"{dict(warmed.unexpected)}", file=sys.stderr)  # fmt: skip
        sampler.origin = time.monotonic()
        sampler.samples.clear()
        start, _ = sampler.sample()
        sampler.start()
        print(f"measuring for {args.minutes} minutes from {start / MiB:.1f} MiB ...", file=sys.stderr)
        began = time.monotonic()
        news = list(range(args.warmup_new_events, args.warmup_new_events + args.new_events))
        tally = drive(server.base, catalog, args.minutes * 60, args.connections, args.upload_every, news, rng)
        seconds = time.monotonic() - began
        sampler.halt.set()
        sampler.join()
        end, _ = sampler.sample()
        hwm = server.peak_rss()
    finally:
        server.stop()
    from _web_corpus import generate_event

    new_documents = sum(len(generate_event(catalog.first_new_event + n, args.seed).reports) for n in news)
    cacheable = warmed.cacheable | tally.cacheable
    log.join(10)
    return {"store": info, "warming": warming, "after_ingests": after_ingests, "exceptions": log.exceptions,
            "tally": tally, "seconds": seconds, "new_documents": new_documents,
            "cacheable_bytes": sum(cacheable.values()) + warming["total_bytes"],
            "memory": {"boot": boot, "start": start, "end": end, "hwm": hwm, "samples": sampler.samples,
                       "peak": max(rss for _, rss, _ in sampler.samples)}}  # fmt: skip


def checkout(revision: str, into: Path) -> str:
    """``revision``'s src/ under ``into``, first on the server's import path; its full hash."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{revision}^{{commit}}"], check=True,
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(into / "src"), os.environ.get("PYTHONPATH")]))
    return sha


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10, help="length of the measured window (default 10)")
    parser.add_argument("--warmup", type=int, default=60, help="seconds of load before the window (default 60)")
    parser.add_argument("--events", type=int, default=1_000, help="events in the store (default 1,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4, help="client threads for the reads (default 4)")
    parser.add_argument("--upload-every", type=float, default=10, help="seconds between uploads (default 10)")
    parser.add_argument("--new-events", type=int, default=5, help="new events uploaded in the window (default 5)")
    parser.add_argument("--warmup-new-events", type=int, default=2, help="new events uploaded in the warm-up (default 2)")
    parser.add_argument("--sample-every", type=float, default=5, help="seconds between RSS samples (default 5)")
    parser.add_argument("--goal", type=float, default=GOAL_GROWTH, help="most RSS growth allowed, in %% (default 10)")
    parser.add_argument("--commit", help="serve this commit's src/ (git archive), not the working tree being edited")
    parser.add_argument("--note", help="a paragraph added to the section (e.g. what a debug run found)")
    parser.add_argument("--write", type=Path, help="Markdown file whose soak section is replaced")
    parser.add_argument("--json", type=Path, help="write the measurements here")
    args = parser.parse_args()
    if args.minutes <= 0 or args.warmup < 0 or args.connections < 1 or args.upload_every <= 0 or args.sample_every <= 0:
        sys.exit("error: --minutes, --connections, --upload-every and --sample-every must be positive")
    cached, info = open_or_build(args.events, args.seed, False)
    scratch = Path(tempfile.mkdtemp(prefix="newscollate-soak-"))
    try:
        store = scratch / "soak.db"
        shutil.copyfile(cached, store)  # uploads go to the copy: the cached store stays as web_load.py expects it
        if args.commit:
            args.commit = checkout(args.commit, scratch / "code")
        run = soak(store, info, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    shown = ["'<the last paragraph below>'" if args.note and arg == args.note else shlex.quote(arg) for arg in sys.argv[1:]]
    section = report(run, args, " ".join([".venv/bin/python bench/soak.py", *shown]))
    print(section)
    if args.write:
        replace_section(args.write, BEGIN, END, section)
    if args.json:
        tally = run["tally"]
        args.json.write_text(json.dumps({"store": info, "memory": run["memory"], "seconds": run["seconds"],
                                         "statuses": {k: dict(v) for k, v in tally.statuses.items()},
                                         "lost": dict(tally.lost), "unexpected": dict(tally.unexpected)}, indent=2))  # fmt: skip
    ok, problems = verdict(run["memory"]["start"], run["memory"]["end"], args.goal, run["tally"].server_errors(),
                           sum(run["tally"].lost.values()))  # fmt: skip
    if not ok:
        sys.exit("soak failed: " + "; ".join(problems))


if __name__ == "__main__":
    main()
