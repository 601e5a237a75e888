"""Event grouping on Ray (executors.ray_group) gives the events of the local batch grouper.

Invented stories (tests/test_group.py) and the repo's examples/; a local Ray
with two CPUs, started once for the module.
"""

from __future__ import annotations

import os
from datetime import timedelta

import numpy as np
import pytest

ray = pytest.importorskip("ray")

from newscollate.executors import ray_group  # noqa: E402
from newscollate.executors.ray_group import group_events, segment_rows  # noqa: E402
from newscollate.group import EventGrouper  # noqa: E402
from newscollate.pipeline import Corpus  # noqa: E402

from .conftest import REPO  # noqa: E402
from .nlp_helpers import make_doc  # noqa: E402
from .test_group import COLLAPSE, COLLAPSE_REWRITE, DAY, FESTIVAL, INQUIRY  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(address="local", num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield
    ray.shutdown()


def local_events(docs):
    corpus = Corpus(list(docs))
    EventGrouper(mode="batch")(corpus)
    return corpus.events


def ray_events(docs, **kwargs):
    return group_events(ray.data.from_items(segment_rows(docs)), **kwargs)


def summary(events):
    return [(e.id, [(s.doc, s.start, s.end, s.label) for s in e.segments], e.data) for e in events]


def invented():
    """Copies (one with its masthead removed, one of a copy), a rewrite, a glued page, other events."""
    docs = [
        make_doc(COLLAPSE, "Dunmore Chronicle", DAY),
        make_doc(COLLAPSE_REWRITE, "Lenner Valley Post", DAY),
        make_doc(COLLAPSE + "\nShare this story", "Dunmore Evening Star", DAY + timedelta(days=1)),
        make_doc(FESTIVAL, "Velmora Herald", DAY),
        make_doc(COLLAPSE, "Coast Wire", None),
        # one story three times on a page, first seen there: the third is not a copy (same document),
        # so checked against the first bucket member alone it is settled again against the bucket
        make_doc("\n\n".join([INQUIRY] * 3), "Looping Ledger", DAY + timedelta(days=60), split_segments=True),
        make_doc(INQUIRY, "Dunmore Chronicle", DAY + timedelta(days=60), path="inquiry.txt"),
        make_doc(FESTIVAL + "\n\n" + INQUIRY, "Glued Gazette", DAY + timedelta(days=60), split_segments=True),
        make_doc(FESTIVAL, "Velmora Herald", DAY, path="festival-again.txt"),
        make_doc(FESTIVAL + "\nShare this story", "Velmora Evening Star", DAY),
    ]
    masthead = make_doc("Dunmore Evening Star\n" + COLLAPSE, "Dunmore Star Online", DAY)
    masthead.add("removed", 0, len("Dunmore Evening Star"), "junk")
    return [*docs, masthead]


def test_invented_stories_give_the_local_events():
    docs = invented()
    expected = local_events(docs)
    assert any(len(e.document_ids) >= 4 for e in expected)  # the copies joined their source
    assert summary(ray_events(docs)) == summary(expected)


def test_small_buckets_and_link_chunks_give_the_same_events(monkeypatch):
    # one earlier member checked per bucket: some segments are settled again against whole
    # buckets; one LINK_ROWS chunk per task
    unknown = []

    def resolve(*args):
        source = ray_group._resolve.__wrapped__(*args)
        unknown.append(int((source == ray_group._UNKNOWN).sum()))
        return source

    resolve.__wrapped__ = ray_group._resolve
    monkeypatch.setattr(ray_group, "_resolve", resolve)
    docs = invented()
    assert summary(ray_events(docs, bucket_prefix=1, chunk_rows=1)) == summary(local_events(docs))
    assert unknown[0] > 0 and unknown[-1] == 0


def test_a_copy_follows_the_earliest_original_among_its_candidates():
    # 0 original; 1 a copy of 0; 2 shares bands with 1 and 0; 3 only with 1 (a copy): an original
    candidates = {1: {0}, 2: {0, 1}, 3: {1}}
    assert ray_group._resolve(4, candidates, {}).tolist() == [-1, 0, 0, -1]
    # 3 was checked only against the first member of a bucket (1): an earlier original may hide
    assert ray_group._resolve(4, candidates, {3: 1})[3] == ray_group._UNKNOWN
    # 2's cut bucket ended at 0, an original found before it: settled
    assert ray_group._resolve(4, candidates, {2: 0})[2] == 0


def test_the_examples_give_the_local_events():
    from newscollate.clean import default_cleaners
    from newscollate.group.readings import SegmentReader
    from newscollate.ingest import ingest
    from newscollate.pipeline import run

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        docs = run(ingest(["examples"]).documents, default_cleaners() + [SegmentReader()]).documents
    finally:
        os.chdir(cwd)
    expected = local_events(docs)
    assert len(expected) > 3
    assert summary(ray_events(docs)) == summary(expected)


def test_no_segments_no_events():
    rows = segment_rows([make_doc(COLLAPSE)])
    assert group_events(ray.data.from_items(rows).limit(0)) == []


def test_feature_counts_add_up_when_a_block_holds_several_map_calls(monkeypatch):
    # one segment per map call, one input block: Ray Data puts the outputs of the calls of a task
    # into one block, so a feature shared by two segments comes back twice in one fetched batch;
    # the document frequencies (hence the idf and the events) must count it twice
    monkeypatch.setattr(ray_group, "BATCH_ROWS", 1)
    found = {}

    def vectors(*args):
        matrix, df = vectors.__wrapped__(*args)
        found["df"] = df.copy()
        return matrix, df

    vectors.__wrapped__ = ray_group._vectors
    monkeypatch.setattr(ray_group, "_vectors", vectors)
    docs = [make_doc(COLLAPSE, "Dunmore Chronicle", DAY), make_doc(COLLAPSE_REWRITE, "Lenner Valley Post", DAY),
            make_doc(FESTIVAL, "Velmora Herald", DAY), make_doc(INQUIRY, "Dunmore Chronicle", DAY + timedelta(days=1))]
    rows = segment_rows(docs)
    events = group_events(ray.data.from_items(rows, override_num_blocks=1))
    expected = np.zeros_like(found["df"])
    for row in rows:  # no copies among them: every segment is clustered
        expected[np.unique(row["feature_ids"])] += 1
    assert expected.max() > 1
    assert found["df"].tolist() == expected.tolist()
    assert summary(events) == summary(local_events(docs))
