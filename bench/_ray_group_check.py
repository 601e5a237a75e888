"""Do the Ray grouping (newscollate.executors.ray_group) and the local batch grouper give the same events?

:func:`compare_grouping` runs both on the same cleaned documents and reports
whether the events are identical (ids, segments, order), the B-cubed scores
of the Ray events against the local ones (every segment weighing the same,
its event as label) and the seconds each took.  Run on ECB+ (all topics by
default; needs a running or startable local Ray):

    .venv/bin/python bench/_ray_group_check.py --data ../shared/data/ecbplus
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cluster_metrics import bcubed  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus"


def clean(documents: list) -> list:
    """``documents`` after the clean stage, each segment read for grouping (``doc.cache``)."""
    from newscollate.clean import default_cleaners
    from newscollate.group.readings import SegmentReader
    from newscollate.pipeline import run

    return run(documents, default_cleaners() + [SegmentReader()]).documents


def compare_grouping(documents: list, config=None) -> dict:
    """Both groupings of cleaned ``documents`` compared.

    Keys: ``segments``, ``events_local``, ``events_ray`` (counts), ``identical``
    (ids, segments and event order all equal), ``same_partition`` (the same
    segments grouped together, whatever the ids and order), ``bcubed_p``,
    ``bcubed_r``, ``bcubed_f1`` (Ray events scored against the local ones as
    gold, 1.0 when they agree), ``local_s`` (``EventGrouper`` batch), ``ray_s``
    (``group_events`` on a dataset already made), ``dataset_s`` (making the
    dataset from the readings).
    """
    import ray

    from newscollate.executors.ray_group import group_events, segment_rows
    from newscollate.group import EventGrouper, GroupConfig
    from newscollate.pipeline import Corpus

    config = config or GroupConfig()
    started = time.perf_counter()
    corpus = Corpus(list(documents))
    EventGrouper(config, "batch")(corpus)
    local_s = time.perf_counter() - started

    started = time.perf_counter()
    dataset = ray.data.from_items(segment_rows(documents)).materialize()
    dataset_s = time.perf_counter() - started
    started = time.perf_counter()
    events = group_events(dataset, config)
    ray_s = time.perf_counter() - started

    def key(events):
        return [(e.id, [(s.doc, s.start, s.end, s.label) for s in e.segments]) for e in events]

    def labels(events):
        return {(s.doc, s.start, s.end): e.id for e in events for s in e.segments}

    local, remote = labels(corpus.events), labels(events)
    items = sorted(set(local) | set(remote))
    p, r, f1 = bcubed([local.get(i, f"missing:{i}") for i in items], [remote.get(i, f"missing:{i}") for i in items])
    partition = lambda evs: sorted(sorted((s.doc, s.start, s.end) for s in e.segments) for e in evs)  # noqa: E731
    return {
        "segments": len(items), "events_local": len(corpus.events), "events_ray": len(events),
        "identical": key(corpus.events) == key(events), "same_partition": partition(corpus.events) == partition(events),
        "bcubed_p": p, "bcubed_r": r, "bcubed_f1": f1,
        "local_s": round(local_s, 3), "ray_s": round(ray_s, 3), "dataset_s": round(dataset_s, 3),
    }  # fmt: skip


def ecbplus_documents(folder: Path, topics=None) -> list:
    """ECB+ documents as bench/cluster.py builds them, cleaned."""
    from _ecbplus import load_ecbplus

    from newscollate.model import Document

    return clean([Document.from_text(d.text, path=d.name) for d in load_ecbplus(folder, topics)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--topics", help="only these topics, e.g. 1-25")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray (default 2)")
    parser.add_argument("--runs", type=int, default=1, help="compare this many times (the first starts Ray's workers)")
    args = parser.parse_args(argv)
    import ray

    topics = None
    if args.topics:
        topics = [t for part in args.topics.split(",") for t in _span(part)]
    started = time.perf_counter()
    docs = ecbplus_documents(args.data, topics)
    clean_s = time.perf_counter() - started
    ray.init(address="local", num_cpus=args.cpus, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    for _ in range(args.runs):
        print(json.dumps({"documents": len(docs), "clean_s": round(clean_s, 1), **compare_grouping(docs)}, indent=2))


def _span(part: str) -> range:
    lo, _, hi = part.partition("-")
    return range(int(lo), int(hi or lo) + 1)


if __name__ == "__main__":
    main()
