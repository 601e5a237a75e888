"""Score event clustering on ECB+ (or any folder in its layout) against two baselines, in one run.

A document's gold event is its topic and half (``12ecb`` / ``12ecbplus``): the
two halves of a topic are two different real events of the same kind, so a
system must tell apart, say, two celebrities' rehab stays.  Systems:

* ``newscollate``: the clean stage and ``newscollate.group.group_components(mode="batch")``
  with default settings, over all documents in one run;
* ``newscollate-stream``: the same with ``mode="stream"``, fed in file order
  (ECB+ has no publication dates) in batches of ``--stream-batch`` documents
  through one component list, so the clusterer keeps its state across batches;
* ``tfidf-agglomerative``: sklearn ``TfidfVectorizer`` (word unigrams,
  sublinear tf, English stop words) and ``AgglomerativeClustering`` (cosine
  distance, average linkage, ``distance_threshold``);
* ``minilm-agglomerative``: all-MiniLM-L6-v2 embeddings (bench/_minilm.py,
  first 256 WordPiece tokens) and the same clustering.

The baselines' threshold is tuned on the documents being scored (the grid
value with the best B-cubed F1: an upper bound for them), or with
``--no-tune`` fixed to the constants below.  Ours is never tuned on the folder
it scores; ``--tune-ours --grid FIELD=V1,V2,...`` searches ``GroupConfig``
settings on topics 1-25 only and prints the best, so that they can be shipped.

    .venv/bin/python bench/cluster.py --data ../shared/data/ecbplus --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cluster_metrics import ClusterScores, score_clustering  # noqa: E402
from _ecbplus import EcbDoc, EcbLayoutError, load_ecbplus  # noqa: E402
from _report import machine_line, replace_section  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"
BEGIN, END = "<!-- bench:cluster:begin -->", "<!-- bench:cluster:end -->"
SYSTEMS = ("newscollate", "newscollate-stream", "tfidf-agglomerative", "minilm-agglomerative")
OURS = {"newscollate": "batch", "newscollate-stream": "stream"}
TUNING_TOPICS = range(1, 26)
HELD_OUT_TOPICS = range(26, 36)
GOAL_F1 = 0.95
THRESHOLD_GRID = tuple(round(t, 3) for t in np.arange(0.05, 0.976, 0.025))
#: Cosine-distance thresholds of ``--no-tune``: the THRESHOLD_GRID value with the best B-cubed F1 on ECB+
#: topics 1-25 (535 documents; B-cubed F1 there 0.8840 and 0.8418), found by
#: ``bench/cluster.py --data ../shared/data/ecbplus --topics 1-25 --systems tfidf-agglomerative,minilm-agglomerative``.
FIXED_THRESHOLDS = {"tfidf-agglomerative": 0.85, "minilm-agglomerative": 0.45}
WARMUP_DOCUMENTS = 10


@dataclass
class Outcome:
    labels: list
    seconds: float
    threshold: float | None = None


# --- our pipeline -------------------------------------------------------------------------------------


def group_components_or_none():
    from newscollate import group

    return getattr(group, "group_components", None)


def event_labels(docs: list, corpora: list) -> list:
    """Each document's event: the event holding most of its characters in the last run that reports the document.

    A stream's run reports the events it created or changed, earlier documents
    included, so a document's last report is where the stream left it.  A
    document in no event is an event of its own.
    """
    latest: dict[str, str] = {}
    for corpus in corpora:
        chars: dict[str, dict[str, int]] = {}
        for event in corpus.events:
            for segment in event.segments:
                per_event = chars.setdefault(segment.doc, {})
                per_event[event.id] = per_event.get(event.id, 0) + len(segment)
        for doc_id, per_event in chars.items():
            latest[doc_id] = max(per_event, key=lambda e: (per_event[e], e))
    return [latest.get(doc.id, f"alone:{i}") for i, doc in enumerate(docs)]


def run_ours(texts: list[EcbDoc], mode: str, stream_batch: int, config=None) -> Outcome:
    from newscollate.clean import default_cleaners
    from newscollate.model import Document
    from newscollate.pipeline import run

    group_components = group_components_or_none()

    def components():
        kwargs = {} if config is None else {"config": config}
        return [*default_cleaners(), *group_components(mode=mode, **kwargs)]

    warmup = [Document.from_text(d.text, path=d.name) for d in texts[:WARMUP_DOCUMENTS]]
    run(warmup, components=components())  # untimed: lazy imports, the spaCy model
    started = time.perf_counter()
    docs = [Document.from_text(d.text, path=d.name) for d in texts]
    pipeline = components()
    step = len(docs) if mode == "batch" else stream_batch
    corpora = [run(docs[i : i + step], components=pipeline) for i in range(0, len(docs), step)]
    seconds = time.perf_counter() - started
    return Outcome(event_labels(docs, corpora), seconds)


# --- baselines ----------------------------------------------------------------------------------------


def cosine_distances(vectors) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_distances as distances

    return np.clip(distances(vectors), 0.0, None)


def agglomerative(distances: np.ndarray, threshold: float) -> list:
    """Average-linkage clusters of items whose precomputed cosine ``distances`` merge below ``threshold``.

    The same as ``AgglomerativeClustering(metric="cosine")`` on the vectors, but the distances are computed
    once for every threshold tried.
    """
    from sklearn.cluster import AgglomerativeClustering

    if distances.shape[0] < 2:
        return [0] * distances.shape[0]
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)  # fmt: skip
    return model.fit_predict(distances).tolist()


def tfidf_vectors(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)


def minilm_vectors(texts: list[str]):
    from _minilm import MiniLM

    return MiniLM(max_tokens=256).encode(texts)


def run_baseline(vectorise: Callable, texts: list[str], gold: list[str], threshold: float | None) -> Outcome:
    """Vectorise and cluster, timed; ``threshold=None`` picks the grid value with the best B-cubed F1 on ``gold``."""
    vectorise(texts[:WARMUP_DOCUMENTS])  # untimed: imports, model load
    started = time.perf_counter()
    distances = cosine_distances(vectorise(texts))
    vectorised = time.perf_counter() - started
    if threshold is None:
        threshold = max(THRESHOLD_GRID, key=lambda t: score_clustering(gold, agglomerative(distances, t)).bcubed_f1)
    started = time.perf_counter()
    labels = agglomerative(distances, threshold)
    return Outcome(labels, vectorised + time.perf_counter() - started, threshold)


def minilm_available() -> bool:
    try:
        from _minilm import MiniLM

        MiniLM(max_tokens=8)
    except (ImportError, RuntimeError) as exc:
        print(f"warning: skipping minilm-agglomerative: {exc}", file=sys.stderr)
        return False
    return True


# --- running and reporting ----------------------------------------------------------------------------


@dataclass
class Subset:
    title: str
    docs: list[EcbDoc]
    scores: dict[str, ClusterScores] = dataclasses.field(default_factory=dict)
    outcomes: dict[str, Outcome] = dataclasses.field(default_factory=dict)


def evaluate(subset: Subset, systems: list[str], tune: bool, stream_batch: int) -> None:
    texts, gold = [d.text for d in subset.docs], [d.gold for d in subset.docs]
    for name in systems:
        if name in OURS:
            outcome = run_ours(subset.docs, OURS[name], stream_batch)
        else:
            vectorise = tfidf_vectors if name == "tfidf-agglomerative" else minilm_vectors
            outcome = run_baseline(vectorise, texts, gold, None if tune else FIXED_THRESHOLDS[name])
        subset.outcomes[name] = outcome
        subset.scores[name] = score_clustering(gold, outcome.labels)
        s = subset.scores[name]
        threshold = "" if outcome.threshold is None else f", threshold {outcome.threshold}"
        print(f"{subset.title}: {name}: B3 F1 {s.bcubed_f1:.4f} (P {s.bcubed_p:.4f} R {s.bcubed_r:.4f}) "
              f"ARI {s.ari:.4f} V {s.v_measure:.4f}, {docs_per_s(subset, name):.1f} docs/s{threshold}", file=sys.stderr)


def docs_per_s(subset: Subset, name: str) -> float:
    seconds = subset.outcomes[name].seconds
    return len(subset.docs) / seconds if seconds > 0 else float("inf")


def table(subset: Subset) -> list[str]:
    events = len({d.gold for d in subset.docs})
    lines = [
        f"### {subset.title}: {len(subset.docs)} documents, {events} gold events",
        "",
        "| system | B³ F1 | B³ precision | B³ recall | ARI | V-measure | docs/s | clusters | threshold |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in subset.scores.items():
        outcome = subset.outcomes[name]
        threshold = "—" if outcome.threshold is None else f"{outcome.threshold:g}"
        lines.append(
            f"| {name} | {s.bcubed_f1:.4f} | {s.bcubed_p:.4f} | {s.bcubed_r:.4f} | {s.ari:.4f} | {s.v_measure:.4f} "
            f"| {docs_per_s(subset, name):.1f} | {len(set(outcome.labels))} | {threshold} |"
        )
    return lines


def goal(subsets: list[Subset]) -> str:
    text = (f"Goal: B-cubed F1 of at least {GOAL_F1} at event level without tuning on the folder being scored, "
            "ahead of both baselines.")  # fmt: skip
    baselines = ("tfidf-agglomerative", "minilm-agglomerative")
    if not all({"newscollate", *baselines} <= s.scores.keys() for s in subsets):
        return text + " Not judged: the run lacks `newscollate` or a baseline."
    met, figures = True, []
    for subset in subsets:
        ours = subset.scores["newscollate"].bcubed_f1
        best = max(baselines, key=lambda b: subset.scores[b].bcubed_f1)
        theirs = subset.scores[best].bcubed_f1
        met &= ours >= GOAL_F1 and ours > theirs
        figures.append(f"{subset.title}: {ours:.4f} ({'at least' if ours >= GOAL_F1 else 'BELOW'} {GOAL_F1}; "
                       f"{'ahead of' if ours > theirs else 'NOT ahead of'} {best} {theirs:.4f})")  # fmt: skip
    return f"{text} {'Met' if met else 'NOT met'}: {'; '.join(figures)}."


def report(subsets: list[Subset], command: str, tune: bool, stream_batch: int) -> str:
    how = (
        "tuned on the documents of each table (the grid value with the best B-cubed F1, so an upper bound for them)"
        if tune
        else "fixed (" + ", ".join(f"{n} {t}" for n, t in FIXED_THRESHOLDS.items()) + "; tuned on topics 1-25)"
    )
    lines = [
        BEGIN,
        "## Event clustering on ECB+ (issue C)",
        "",
        f"Command: `{command}`.",
        f"{machine_line()} Each table is a separate run of every system over just its documents.",
        "",
        "Gold event of a document: its topic and half (`12ecb`, `12ecbplus`); the two halves of a topic are two "
        "different real events of the same kind. Texts: the tokens detokenised, one sentence a line (the URL "
        "that starts `ecbplus` files is left out: the `ecb` half has none). Metrics: B-cubed over documents "
        "(each weighs the same), adjusted Rand index, V-measure; docs/s over the clustering wall time "
        "(ours: document creation, cleaning and grouping; baselines: vectorisation and clustering, the MiniLM "
        "encoding included), after an untimed warm-up on a few documents.",
        "",
        "Systems: `newscollate` = `pipeline.run(docs, [*default_cleaners(), *group_components(mode=\"batch\")])` "
        "with default settings; `newscollate-stream` = `mode=\"stream\"`, the documents in file order in batches "
        f"of {stream_batch} through one component list (a document's event: the one holding most of its "
        "characters); `tfidf-agglomerative` = TfidfVectorizer (word unigrams, sublinear tf, English stop "
        "words) + AgglomerativeClustering (cosine, average linkage); `minilm-agglomerative` = all-MiniLM-L6-v2 "
        "(int8 ONNX, first 256 WordPiece tokens, mean pooled) + the same clustering. Baseline distance "
        f"thresholds: {how}. Ours is not tuned on the folder it scores.",
    ]
    for subset in subsets:
        lines += ["", *table(subset)]
    lines += ["", goal([s for s in subsets if s.title.startswith(("all", "topics 26"))]), END]
    return "\n".join(lines)


# --- tuning ours --------------------------------------------------------------------------------------


def config_fields(config, prefix: str = "") -> dict[str, object]:
    """Every setting of a (nested) config dataclass by dotted path: ``{"cluster.merge_distance": 0.925, ...}``."""
    fields = {}
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value):
            fields.update(config_fields(value, f"{prefix}{f.name}."))
        else:
            fields[prefix + f.name] = value
    return fields


def with_settings(config, settings: dict[str, object]):
    """``config`` with the dotted-path ``settings`` replaced (nested dataclasses are rebuilt, not mutated)."""
    changes: dict[str, object] = {}
    nested: dict[str, dict[str, object]] = {}
    for path, value in settings.items():
        head, _, rest = path.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            changes[head] = value
    for head, inner in nested.items():
        changes[head] = with_settings(getattr(config, head), inner)
    return dataclasses.replace(config, **changes)


def parse_grid(specs: list[str], defaults) -> list[dict]:
    """``["merge_distance=0.9,0.95", "window.max_items=1000,4000"]`` -> every combination of dotted paths.

    A field may be named by its last part alone when that names one setting; values are typed like the defaults.
    """
    known = config_fields(defaults)
    axes = {}
    for spec in specs:
        name, sep, values = spec.partition("=")
        name = name.strip()
        if not sep or not values.strip():
            sys.exit(f"error: --grid {spec!r}: write FIELD=VALUE,VALUE,...")
        paths = [p for p in known if p == name or p.endswith("." + name)]
        if len(paths) != 1:
            why = "names several settings" if paths else "names no setting"
            sys.exit(f"error: --grid {spec!r}: {name!r} {why} of {type(defaults).__name__} ({', '.join(known)})")
        kind = type(known[paths[0]])
        try:
            axes[paths[0]] = [_typed(kind, v.strip()) for v in values.split(",") if v.strip()]
        except ValueError as exc:
            sys.exit(f"error: --grid {spec!r}: {exc}")
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]


def _typed(kind: type, value: str):
    if kind is bool:
        if value.lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"{value!r} is not true or false")
        return value.lower() in ("true", "1")
    return kind(value) if kind in (int, float, str) else json.loads(value)


def tune_ours(folder: Path, specs: list[str], modes: list[str], stream_batch: int) -> None:
    from newscollate.group import GroupConfig

    docs = load(folder, TUNING_TOPICS)
    gold = [d.gold for d in docs]
    settings = parse_grid(specs, GroupConfig()) if specs else [{}]
    results = []
    for setting in settings:
        config = with_settings(GroupConfig(), setting)
        for mode in modes:
            outcome = run_ours(docs, mode, stream_batch, config)
            s = score_clustering(gold, outcome.labels)
            results.append((s.bcubed_f1, mode, setting, s))
            print(f"{mode} {setting or 'defaults'}: B3 F1 {s.bcubed_f1:.4f} (P {s.bcubed_p:.4f} R {s.bcubed_r:.4f}) "
                  f"ARI {s.ari:.4f} V {s.v_measure:.4f}", flush=True)  # fmt: skip
    print(f"\nTopics 1-25 of {folder} ({len(docs)} documents); best B-cubed F1 per mode:")
    for mode in modes:
        f1, _, setting, s = max((r for r in results if r[1] == mode), key=lambda r: r[0])
        print(f"  {mode}: {setting or 'defaults'} -> F1 {f1:.4f} (P {s.bcubed_p:.4f} R {s.bcubed_r:.4f})")


# --- command line -------------------------------------------------------------------------------------


def load(folder: Path, topics=None) -> list[EcbDoc]:
    try:
        return load_ecbplus(folder, topics)
    except EcbLayoutError as exc:
        sys.exit(f"error: {exc}")


def parse_topics(spec: str) -> set[int]:
    topics = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        try:
            topics.update(range(int(low), int(high or low) + 1))
        except ValueError:
            sys.exit(f"error: --topics {spec!r}: write numbers and ranges such as 1-25,30")
    return topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA,
                        help="folder in the ECB+ layout (default ../shared/data/ecbplus)")
    parser.add_argument("--topics", help="score only these topics, e.g. 1-25 or 3,5,26-35")
    parser.add_argument("--json", type=Path, help="write {'systems': {NAME: {bcubed_p, bcubed_r, bcubed_f1, ari, "
                        "v_measure, docs_per_s}}} for all documents scored")  # fmt: skip
    parser.add_argument("--no-tune", action="store_true",
                        help="baselines use the fixed thresholds, not the best on this folder")
    parser.add_argument("--write", type=Path, help="Markdown file whose cluster section is replaced")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ", ".join(SYSTEMS))
    parser.add_argument("--stream-batch", type=int, default=100, help="documents per run in stream mode (default 100)")
    parser.add_argument("--tune-ours", action="store_true",
                        help="grid-search GroupConfig on topics 1-25 and print the best")
    parser.add_argument("--grid", action="append", default=[], metavar="FIELD=V1,V2",
                        help="with --tune-ours: GroupConfig values to try, e.g. merge_distance=0.9,0.95 or "
                        "cluster.neighbours=3,5 (repeatable; all combinations)")  # fmt: skip
    parser.add_argument("--modes", default="batch", help="with --tune-ours: batch, stream or batch,stream")
    args = parser.parse_args()
    if args.stream_batch < 1:
        sys.exit("error: --stream-batch must be at least 1")
    wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
    for name in wanted:
        if name not in SYSTEMS:
            sys.exit(f"error: unknown system {name!r}; choose from {', '.join(SYSTEMS)}")
    if (args.tune_ours or any(n in OURS for n in wanted)) and group_components_or_none() is None:
        if args.tune_ours:
            sys.exit("error: newscollate.group.group_components does not exist yet; nothing to tune")
        print("warning: skipping newscollate systems: newscollate.group.group_components does not exist yet",
              file=sys.stderr)  # fmt: skip
        wanted = [n for n in wanted if n not in OURS]
    if args.tune_ours:
        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        if not modes or set(modes) - {"batch", "stream"}:
            sys.exit("error: --modes takes batch, stream or batch,stream")
        tune_ours(args.data, args.grid, modes, args.stream_batch)
        return
    if "minilm-agglomerative" in wanted and not minilm_available():
        wanted.remove("minilm-agglomerative")
    if not wanted:
        sys.exit("error: no system left to run")

    docs = load(args.data, parse_topics(args.topics) if args.topics else None)
    topics = sorted({d.topic for d in docs})
    subsets = [Subset(f"all topics ({topics[0]}-{topics[-1]})" if len(topics) > 1 else f"topic {topics[0]}", docs)]
    if topics[0] in TUNING_TOPICS and topics[-1] in HELD_OUT_TOPICS:
        held_out = [d for d in docs if d.topic in HELD_OUT_TOPICS]
        subsets.append(Subset("topics 26-35 (held out from our tuning)", held_out))
    warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
    for subset in subsets:
        print(f"{subset.title}: {len(subset.docs)} documents; {', '.join(wanted)}", file=sys.stderr)
        evaluate(subset, wanted, not args.no_tune, args.stream_batch)

    command = " ".join([".venv/bin/python bench/cluster.py", *sys.argv[1:]])
    section = report(subsets, command, not args.no_tune, args.stream_batch)
    print(section)
    if args.json:
        whole = subsets[0]
        figures = {name: {**s.as_dict(), "docs_per_s": docs_per_s(whole, name)} for name, s in whole.scores.items()}
        thresholds = {n: o.threshold for n, o in whole.outcomes.items() if o.threshold is not None}
        figures_json = json.dumps({"systems": figures, "thresholds": thresholds}, indent=2)
        args.json.write_text(figures_json + "\n", encoding="utf-8")
    if args.write:
        replace_section(args.write, BEGIN, END, section)


if __name__ == "__main__":
    main()
