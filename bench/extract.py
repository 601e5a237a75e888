"""Score newscollate's HTML main-text extraction against trafilatura on labelled page sets.

Every system runs in this process over the same pages; only the extraction
calls are timed (pages are read and decompressed beforehand).  Each system
first extracts a few pages untimed (imports, caches); then, ``--rounds`` times,
the systems take turns page by page, and each page's fastest time counts.

Systems: ``trafilatura`` (``trafilatura.extract`` with default settings),
``trafilatura-fast`` (``fast=True``), ``newscollate-nojunk``
(``newscollate.ingest.html.extract_html``) and ``newscollate`` (the same, then
:class:`newscollate.clean.JunkLineRemover` with its removed lines dropped).

A page set is a folder laid out either like the Zyte article extraction
benchmark (``html/<id>.html.gz`` and ``ground-truth.json`` {id: {articleBody,
url}}; scored by 4-gram shingles) or like fundus-evaluation (``html/<id>``
and ``ground_truth.json`` {id: {body: [paragraphs], url}}; scored by
ROUGE-LSum).  See bench/_metrics.py for the exact metrics.

    .venv/bin/python bench/extract.py --data ../shared/data/zyte-aeb --data ../shared/data/fundus-eval \\
        --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _metrics import Summary, fundus_score, fundus_summary, shingle_match, zyte_summary  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_SETS = [REPO.parent / "shared" / "data" / "zyte-aeb", REPO.parent / "shared" / "data" / "fundus-eval"]
BEGIN, END = "<!-- bench:extract:begin -->", "<!-- bench:extract:end -->"
SYSTEMS = ("trafilatura", "trafilatura-fast", "newscollate-nojunk", "newscollate")
WARMUP_PAGES = 5

#: Published scores quoted from ../shared/README.md, by layout.
PUBLISHED = {
    "zyte": "Zyte set (F1 of mean shingle P/R) — trafilatura 2.0.0 0.958, newspaper4k 0.949, news-please 0.948, "
    "readability (JS) 0.947, readability-lxml 0.922, goose3 0.896, justext 0.804; measured before on this "
    "kind of machine: trafilatura 2.3.1 default 0.953 at about 65 pages/s, `fast=True` 0.955 at about 100 "
    "pages/s, resiliparse 0.898 at about 716 pages/s.",
    "fundus": "Fundus set (mean ROUGE-LSum F1) — Fundus 0.977, trafilatura 1.12 0.936, news-please 0.934, "
    "jusText 0.870.",
}


@dataclass
class Page:
    id: str
    url: str | None
    html: str
    truth: str | list[str]
    """Zyte layout: the article body; fundus layout: its paragraphs."""


@dataclass
class PageSet:
    name: str
    layout: str  # "zyte" or "fundus"
    pages: list[Page]


def load_page_set(folder: Path, limit: int | None) -> PageSet:
    """The pages of ``folder`` in id order, their HTML decoded as UTF-8 (at most ``limit`` of them)."""
    if (folder / "ground-truth.json").is_file():
        layout, truth_file, field, html_name = "zyte", "ground-truth.json", "articleBody", "{}.html.gz"
    elif (folder / "ground_truth.json").is_file():
        layout, truth_file, field, html_name = "fundus", "ground_truth.json", "body", "{}"
    else:
        sys.exit(f"error: {folder} has neither ground-truth.json (Zyte layout) nor ground_truth.json (fundus layout)")
    truth = json.loads((folder / truth_file).read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        entry = truth[page_id]
        if field not in entry:
            sys.exit(f"error: {folder / truth_file}: entry {page_id!r} has no {field!r}")
        path = folder / "html" / html_name.format(page_id)
        if not path.is_file():
            sys.exit(f"error: {path} is missing (named in {truth_file})")
        data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        html = data.decode("utf-8", errors="replace")
        pages.append(Page(page_id, entry.get("url"), html, entry[field] or ("" if layout == "zyte" else [])))
    if not pages:
        sys.exit(f"error: {folder / truth_file} lists no pages")
    return PageSet(folder.name, layout, pages)


# --- systems ------------------------------------------------------------------------------------------

Extractor = Callable[[str, "str | None"], str]


def without_junk(text: str) -> tuple[str, list[str]]:
    """``text`` less the lines our junk remover removes, and the rules that removed them."""
    from newscollate.clean import JunkLineRemover
    from newscollate.model import Document

    doc = Document.from_text(text, "bench")
    JunkLineRemover().clean(doc)
    removed = sorted(doc.spans("removed"), key=lambda s: s.start)
    if not removed:
        return text, []
    kept, pos = [], 0
    for span in removed:
        kept.append(text[pos : span.start])
        pos = max(pos, span.end)
    kept.append(text[pos:])
    return "".join(kept), [span.data.get("rule", span.label) for span in removed]


def make_systems(names: list[str]) -> dict[str, Extractor]:
    import trafilatura

    made: dict[str, Extractor] = {}
    for name in names:
        if name == "trafilatura":
            made[name] = lambda html, url: trafilatura.extract(html) or ""
        elif name == "trafilatura-fast":
            made[name] = lambda html, url: trafilatura.extract(html, fast=True) or ""
        elif name in ("newscollate", "newscollate-nojunk"):
            from newscollate.ingest.html import extract_html

            if name == "newscollate":
                made[name] = lambda html, url: without_junk(extract_html(html, url)[0])[0]
            else:
                made[name] = lambda html, url: extract_html(html, url)[0]
        else:
            sys.exit(f"error: unknown system {name!r}; choose from {', '.join(SYSTEMS)}")
    return made


@dataclass
class Run:
    texts: list[str]
    seconds: float
    failures: list[str]

    def pages_per_s(self) -> float:
        return len(self.texts) / self.seconds if self.seconds > 0 else float("inf")


def _extract_timed(extract: Extractor, page: Page) -> tuple[str, float, str | None]:
    started = time.perf_counter()
    try:
        text, failure = extract(page.html, page.url), None
    except Exception as exc:  # a crash scores as an empty extraction and is reported
        text, failure = "", f"{page.id}: {type(exc).__name__}: {exc}"
    return text, time.perf_counter() - started, failure


def run_systems(pages: list[Page], systems: dict[str, Extractor], rounds: int) -> dict[str, Run]:
    """Each system over every page, ``rounds`` times; a page's time is its fastest round.

    The systems take turns page by page (in a rotating order), so a burst of
    load from other work on a shared machine falls on all of them alike rather
    than on whichever system was running; the per-page minimum then drops most
    of what such bursts add.
    """
    names = list(systems)
    for name in names:
        for page in pages[:WARMUP_PAGES]:
            systems[name](page.html, page.url)
    best = {name: [float("inf")] * len(pages) for name in names}
    texts: dict[str, list[str]] = {name: [""] * len(pages) for name in names}
    failures: dict[str, dict[int, str]] = {name: {} for name in names}
    gc.collect()
    for round_ in range(rounds):
        for i, page in enumerate(pages):
            shift = (i + round_) % len(names)
            for name in names[shift:] + names[:shift]:
                text, seconds, failure = _extract_timed(systems[name], page)
                best[name][i] = min(best[name][i], seconds)
                texts[name][i] = text
                if failure:
                    failures[name][i] = failure
    return {name: Run(texts[name], sum(best[name]), list(failures[name].values())) for name in names}


# --- scoring and reporting ----------------------------------------------------------------------------


def score(page_set: PageSet, texts: list[str]) -> tuple[Summary, list[dict]]:
    """The set's summary and each page's figures (``None`` where the Zyte metric leaves a page out)."""
    if page_set.layout == "zyte":
        matches = [shingle_match(p.truth, t) for p, t in zip(page_set.pages, texts)]
        return zyte_summary(matches), [{"precision": m.precision, "recall": m.recall} for m in matches]
    scores = [fundus_score(p.truth, t) for p, t in zip(page_set.pages, texts)]
    return fundus_summary(scores), [{"precision": s.precision, "recall": s.recall, "f1": s.f1} for s in scores]


@dataclass
class Result:
    page_set: PageSet
    runs: dict[str, Run]
    summaries: dict[str, Summary]
    per_page: dict[str, list[dict]]
    junk_rules: Counter[str]
    junk_pages: int


def evaluate(page_set: PageSet, systems: dict[str, Extractor], rounds: int) -> Result:
    runs = run_systems(page_set.pages, systems, rounds)
    summaries, per_page = {}, {}
    for name, run in runs.items():
        summaries[name], per_page[name] = score(page_set, run.texts)
    rules: Counter[str] = Counter()
    pages_with_junk = 0
    for text in runs["newscollate-nojunk"].texts if "newscollate-nojunk" in runs else []:
        removed = without_junk(text)[1]
        rules.update(removed)
        pages_with_junk += bool(removed)
    return Result(page_set, runs, summaries, per_page, rules, pages_with_junk)


def goal(results: list[Result]) -> str:
    """The issue's goal line for these results, saying which half failed where."""
    needed = {"newscollate", "trafilatura"}
    if not all(needed <= r.runs.keys() for r in results):
        return "Goal not judged: the run lacks `newscollate` or `trafilatura`."
    met = True
    figures = []
    for r in results:
        ours, theirs = r.summaries["newscollate"], r.summaries["trafilatura"]
        speed = r.runs["newscollate"].pages_per_s() / r.runs["trafilatura"].pages_per_s()
        good_f1, fast_enough = ours.f1 >= theirs.f1, speed >= 1.0
        met &= good_f1 and fast_enough
        figures.append(
            f"{r.page_set.name}: F1 {ours.f1:.4f} vs {theirs.f1:.4f} ({'at least' if good_f1 else 'BELOW'}), "
            f"{r.runs['newscollate'].pages_per_s():.1f} vs {r.runs['trafilatura'].pages_per_s():.1f} pages/s "
            f"({speed:.2f}×, {'as fast or faster' if fast_enough else 'SLOWER'})"
        )
    return (
        "Goal: F1 at least trafilatura's on both sets, at no less than trafilatura default's speed. "
        f"{'Met' if met else 'NOT met'}: {'; '.join(figures)}."
    )


def table(result: Result) -> list[str]:
    base = result.runs.get("trafilatura")
    lines = [
        "| system | F1 | precision | recall | pages/s | speed vs trafilatura |",
        "|---|---|---|---|---|---|",
    ]
    for name, run in result.runs.items():
        s = result.summaries[name]
        ratio = f"{run.pages_per_s() / base.pages_per_s():.2f}×" if base else "—"
        failed = f" ({len(run.failures)} pages failed)" if run.failures else ""
        lines.append(
            f"| {name}{failed} | {s.f1:.4f} | {s.precision:.4f} | {s.recall:.4f} | {run.pages_per_s():.1f} | {ratio} |"
        )
    return lines


def junk_line(result: Result) -> str | None:
    if not {"newscollate", "newscollate-nojunk"} <= result.summaries.keys():
        return None
    delta = result.summaries["newscollate"].f1 - result.summaries["newscollate-nojunk"].f1
    removed = sum(result.junk_rules.values())
    rules = ", ".join(f"{rule} {n}" for rule, n in result.junk_rules.most_common())
    return (
        f"Junk removal on extracted text removed {removed} lines on {result.junk_pages} of "
        f"{len(result.page_set.pages)} pages ({rules or 'none'}); F1 change {delta:+.4f}."
    )


def report(results: list[Result], command: str, rounds: int) -> str:
    import trafilatura

    lines = [
        BEGIN,
        "## HTML main-text extraction vs trafilatura (issue B)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} trafilatura {trafilatura.__version__}. Pages/s is pages over the summed time of "
        f"the extraction calls alone, each page timed {rounds} times per system and its fastest time kept; "
        "the systems take turns page by page in a rotating order (so load from other work on this shared "
        "machine falls on all of them alike), after a few untimed pages each.",
        "",
        "Systems: `trafilatura` = `trafilatura.extract(html)` (default settings); `trafilatura-fast` = "
        "`extract(html, fast=True)`; `newscollate-nojunk` = `newscollate.ingest.html.extract_html(html, url)`; "
        "`newscollate` = the same, then the lines `newscollate.clean.JunkLineRemover` removes are dropped.",
    ]
    for result in results:
        layout = result.page_set.layout
        metric = (
            "per-page 4-gram shingle precision/recall over `\\w+` tokens (case kept) as in the Zyte benchmark's "
            "evaluate.py; F1 of mean P and mean R"
            if layout == "zyte"
            else "ROUGE-LSum as rouge_score computes it (lowercase `[a-z0-9]+` tokens, union LCS of each truth "
            "sentence with the extracted ones) against the truth paragraphs, best over optional-paragraph "
            "choices as in fundus-evaluation; means over pages. One difference: a sentence here is a line "
            "(a truth paragraph, an extracted line), where fundus-evaluation splits with NLTK's punkt model"
        )
        lines += ["", f"### {result.page_set.name} ({len(result.page_set.pages)} pages)", "", f"Metric: {metric}.", ""]
        lines += table(result)
        if (junk := junk_line(result)) is not None:
            lines += ["", junk]
        lines += ["", f"Published: {PUBLISHED[layout]}"]
    lines += ["", goal(results), END]
    return "\n".join(lines)


def write_details(path: Path, results: list[Result]) -> None:
    """Per page and system: the page's figures and the length of each extraction."""
    details = {
        r.page_set.name: {
            page.id: {
                name: {**r.per_page[name][i], "chars": len(r.runs[name].texts[i])} for name in r.runs
            }
            for i, page in enumerate(r.page_set.pages)
        }
        for r in results
    }
    path.write_text(json.dumps(details, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="page set folder (repeatable); "
                        "default: ../shared/data/zyte-aeb and ../shared/data/fundus-eval")
    parser.add_argument("--json", type=Path, help="write {'systems': {NAME: {f1, precision, recall, pages_per_s}}} "
                        "(needs exactly one --data)")
    parser.add_argument("--write", type=Path, help="Markdown file whose extract section is replaced")
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id) of each set")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is extracted per system; the fastest counts (default 3)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ", ".join(SYSTEMS))
    parser.add_argument("--details", type=Path, help="write per-page figures of every system as JSON")
    args = parser.parse_args()
    folders = args.data or SHARED_SETS
    if args.json and len(folders) != 1:
        sys.exit("error: --json writes one set's figures; give exactly one --data")
    if args.rounds < 1:
        sys.exit("error: --rounds must be at least 1")
    for folder in folders:
        if not folder.is_dir():
            sys.exit(f"error: {folder} is not a folder")
    systems = make_systems([s.strip() for s in args.systems.split(",") if s.strip()])

    results = []
    for folder in folders:
        page_set = load_page_set(folder, args.limit)
        print(f"{page_set.name}: {len(page_set.pages)} pages, {', '.join(systems)}", file=sys.stderr)
        results.append(evaluate(page_set, systems, args.rounds))
        for name, run in results[-1].runs.items():
            for failure in run.failures[:3]:
                print(f"warning: {name} failed on {failure}", file=sys.stderr)

    command = " ".join(["python bench/extract.py", *sys.argv[1:]])
    section = report(results, f".venv/bin/{command}", args.rounds)
    print(section)
    if args.json:
        (result,) = results
        figures = {
            name: {
                "f1": result.summaries[name].f1,
                "precision": result.summaries[name].precision,
                "recall": result.summaries[name].recall,
                "pages_per_s": result.runs[name].pages_per_s(),
            }
            for name in result.runs
        }
        args.json.write_text(json.dumps({"systems": figures}, indent=2) + "\n", encoding="utf-8")
    if args.details:
        write_details(args.details, results)
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
