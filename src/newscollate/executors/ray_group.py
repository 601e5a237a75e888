"""Batch event grouping on Ray Data, giving the events of ``EventGrouper(mode="batch")``.

:func:`group_events` takes one row per segment (:func:`segment_rows`) and runs
the batch steps of :meth:`newscollate.group.stream.EventStream.add` as
distributed pieces, each with the local numerical code inside:

1. **Copies**: MinHash-LSH banding as a shuffle.  Each segment becomes one row
   per band keyed by the band's values; a group-by on the key makes the
   buckets, and each bucket checks the Jaccard estimate of its candidate pairs.
   Which segment copies which is settled on the driver from the pair list, in
   segment order, as locally: a segment's source is the earliest earlier
   *original* sharing a band with it, of another document, at a Jaccard
   estimate of at least ``NEAR_DUPLICATE``.  The rule is sequential (whether a
   candidate is an original depends on the candidates before it), so it stays
   on the driver.
2. **idf**: the originals' feature document frequencies, counted per batch
   (``map_batches``) and summed on the driver.
3. **Blocks**: TF-IDF rows made per batch with that idf (every step of
   :func:`.group.cluster.tfidf` past the idf is row by row, so the values are
   those of one local matrix) and gathered on the driver; linked in row chunks
   by :func:`.group.cluster.close_pairs` as tasks against all pruned rows
   (broadcast once: every chunk reads them all, as locally); connected blocks
   on the driver from the pair list (:func:`.group.cluster.link_blocks`).
4. **Events per block**: tasks run :func:`.group.cluster.cluster_block`, the
   local per-block step, on runs of blocks of about equal work; ids and the
   order of events and segments are set on the driver as locally.

The driver holds each segment's offsets and date and each original's TF-IDF
row: what the local grouper holds, less the signatures and feature counts.
The embedding blend (``ClusterConfig.embedding_share``, off by default) is not
supported: the rows carry no text to embed.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.sparse import csr_matrix

from ..group import Event, GroupConfig, event_id
from ..group.cluster import (
    LINK_ROWS,
    close_pairs,
    cluster_block,
    common_features,
    inverse_frequency,
    link_blocks,
    tfidf,
    without_common,
)
from ..group.features import HASHED_FEATURES
from ..group.minhash import _EMPTY, lsh_bands
from ..group.readings import SIGNATURE_SIZE, reading
from ..group.stream import NEAR_DUPLICATE
from ..model import Span

BUCKET_PREFIX = 256
"""Earlier bucket members a segment is checked against in one LSH bucket.  A bucket
of m members costs at most m * BUCKET_PREFIX Jaccard checks instead of m^2/2 (a wire
story copied 10,000 times makes one bucket per band of 10,000).  A segment cut short
whose checked candidates hold no original is checked again against its whole buckets
(rare: the earliest member of a copy bucket is nearly always the original)."""
CHUNK_ROWS = 8 * LINK_ROWS
"""Rows of the segment-by-segment product per linking task (a multiple of ``LINK_ROWS``)."""
BATCH_ROWS = 4096
"""Segments per batch of the map steps: a task per input block would cost more to schedule
than to run when blocks are small (``from_items`` makes up to 200 of them)."""
SHUFFLE_ROWS = 20_000
"""Band rows per shuffle partition of the bucket group-by (Ray's default of 200 partitions
costs seconds of scheduling on a small input)."""
_META = ["doc", "start", "end", "published", "order"]
_ORIGINAL, _UNKNOWN = -1, -2
"""A segment's source in :func:`_resolve`: none, or not known yet."""


def group_events(segments, config: GroupConfig | None = None, *, bucket_prefix: int = BUCKET_PREFIX,
                 chunk_rows: int = CHUNK_ROWS) -> list:  # fmt: skip
    """The events ``EventGrouper(config, "batch")`` makes of ``segments`` (a ``ray.data.Dataset``).

    Rows, one per segment: ``doc`` (document id), ``start``, ``end`` (offsets),
    ``published`` (``date.toordinal()``, 0 when unknown), ``order`` (position
    in the local pipeline's order, distinct), ``signature`` (64 uint32),
    ``feature_ids`` (int32), ``feature_counts`` (float64).  Returns
    :class:`~newscollate.group.Event` objects with ids, segments and order as
    the local grouper gives them, ``data`` empty.  ``bucket_prefix`` and
    ``chunk_rows``: see :data:`BUCKET_PREFIX` and :data:`CHUNK_ROWS`.
    """
    import ray

    config = config or GroupConfig()
    if config.cluster.embedding_share:
        raise ValueError("group_events does not blend embeddings: set ClusterConfig.embedding_share to 0")
    data = segments.materialize()
    meta = _metadata(data)
    if not len(meta["order"]):
        return []
    orders = ray.put(meta["order"])
    source = _find_copies(data, orders, bucket_prefix)
    chosen = np.flatnonzero(source == _ORIGINAL)  # the originals, in segment order: the rows clustered
    row_of = np.full(len(source), -1, dtype=np.int64)
    row_of[chosen] = np.arange(len(chosen))
    refs = {"orders": orders, "row_of": ray.put(row_of)}

    vectors, df = _vectors(data, refs, len(chosen))
    pruned = without_common(vectors, common_features(df, len(chosen)))
    days = _days(meta["published"][chosen])
    days_ref, pruned_ref = ray.put(days), ray.put(pruned)
    step = max(1, chunk_rows // LINK_ROWS) * LINK_ROWS  # chunks start where the local ones do
    parts = ray.get([
        _remote(_link_chunk).remote(pruned_ref, days_ref, a, min(a + step, len(chosen)), config.cluster)
        for a in range(0, len(chosen), step)
    ])  # fmt: skip
    links = tuple(np.concatenate([p[k] for p in parts]) for k in range(3))
    blocks = link_blocks(links, len(chosen), config.cluster)

    groups = [[int(b[0])] for b in blocks if len(b) == 1]
    vectors_ref, owners = ray.put(vectors), ray.put(meta["doc"][chosen].tolist())
    tasks = [
        _remote(_cluster_blocks).remote(vectors_ref, days_ref, owners, batch, config.cluster)
        for batch in _task_batches([b for b in blocks if len(b) > 1], ray.cluster_resources().get("CPU", 1))
    ]
    for found in ray.get(tasks):
        groups += found
    return _events(sorted(groups), chosen, source, meta)


def segment_rows(documents) -> list[dict]:
    """:func:`group_events` input rows for the segments of ``documents`` (cleaned), in the
    local grouper's order; their readings are made now unless the documents hold them."""
    rows = []
    for doc in documents:
        for segment in doc.spans("segments"):
            found = reading(doc, segment)
            rows.append({
                "doc": doc.id, "start": segment.start, "end": segment.end,
                "published": doc.meta.published.toordinal() if doc.meta.published else 0,
                "order": len(rows), "signature": found.signature,
                "feature_ids": found.feature_ids, "feature_counts": found.feature_counts,
            })  # fmt: skip
    return rows



def _metadata(data) -> dict:
    """Each segment's offsets, date and order, sorted by order; a segment seen again (the
    same document id and offsets) is dropped, as the local grouper skips it.  ``dated``:
    document id -> the date ordinal its segments are sorted by."""
    small = data.map_batches(_project, batch_format="numpy", batch_size=BATCH_ROWS, fn_kwargs={"names": _META})
    parts = list(small.iter_batches(batch_format="numpy", batch_size=None))
    cols = {c: np.concatenate([p[c] for p in parts]) if parts else np.empty(0, dtype=np.int64) for c in _META}
    order = np.argsort(cols["order"].astype(np.int64), kind="stable")
    cols = {c: v[order] for c, v in cols.items()}
    if len(np.unique(cols["order"])) != len(order):
        raise ValueError("segment rows must have distinct 'order' values")
    # the grouper sorts an event's segments by the date of the document its corpus holds under
    # the id: the last one given (Corpus.by_id), so a repeat's date counts here
    dated = dict(zip(cols["doc"].tolist(), cols["published"].tolist()))
    seen: set = set()
    keys = zip(*(cols[c].tolist() for c in _META[:3]))
    keep = [i for i, key in enumerate(keys) if not (key in seen or seen.add(key))]
    return {**{c: v[keep] for c, v in cols.items()}, "order": cols["order"][keep].astype(np.int64), "dated": dated}


def _find_copies(data, orders, bucket_prefix: int) -> np.ndarray:
    """For each segment (in order) the one it is a copy of, or ``_ORIGINAL``."""
    import ray

    bands, rows = lsh_bands(NEAR_DUPLICATE, SIGNATURE_SIZE)
    n = len(ray.get(orders))
    kwargs = {"orders": orders, "bands": bands, "rows": rows}
    banded = data.map_batches(_band_rows, batch_format="numpy", batch_size=BATCH_ROWS, fn_kwargs=kwargs)
    partitions = int(min(200, max(1, n * bands // SHUFFLE_ROWS)))
    candidates: dict[int, set[int]] = defaultdict(set)
    cut: dict[int, int] = {}
    only = None
    while True:
        found = banded.groupby("bucket", num_partitions=partitions).map_groups(
            _bucket_pairs, batch_format="numpy", fn_kwargs={"prefix": bucket_prefix, "only": only}
        )
        for batch in found.iter_batches(batch_format="numpy", batch_size=None):
            for earlier, later, kind in zip(batch["earlier"].tolist(), batch["later"].tolist(), batch["kind"].tolist()):
                if kind == 0:
                    candidates[later].add(earlier)
                elif only is None:
                    cut[later] = min(cut.get(later, earlier), earlier)
        source = _resolve(n, candidates, cut)
        unknown = np.flatnonzero(source == _UNKNOWN)
        if unknown.size == 0:
            return source
        # their whole buckets now: the candidate lists of these segments become complete
        only = ray.put(unknown)
        for i in unknown.tolist():
            cut.pop(i, None)


def _resolve(n: int, candidates: dict[int, set[int]], cut: dict[int, int]) -> np.ndarray:
    """The local rule (``EventStream._near_duplicate`` querying ``LSHIndex``, oldest key first):
    each segment's source is its earliest candidate that is an original.  ``cut[i]`` is the
    last member checked in a bucket of ``i`` cut short: a candidate after it, or none, leaves
    ``i`` unknown (an unchecked member might be an earlier original)."""
    source = np.full(n, _ORIGINAL, dtype=np.int64)
    for i in range(n):
        limit = cut.get(i)
        verdict = _ORIGINAL if limit is None else _UNKNOWN
        for j in sorted(candidates.get(i, ())):
            if (limit is not None and j > limit) or source[j] == _UNKNOWN:
                verdict = _UNKNOWN
                break
            if source[j] == _ORIGINAL:
                verdict = j
                break
        source[i] = verdict
    return source


def _events(groups: list[list[int]], chosen: np.ndarray, source: np.ndarray, meta: dict) -> list:
    """Events from the clustered ``groups`` (rows of ``chosen``), copies joining their source's
    event, named and ordered as ``EventStream.add`` and ``EventGrouper`` do in batch mode."""
    spans = [Span(str(d), int(s), int(e)) for d, s, e in zip(meta["doc"], meta["start"], meta["end"])]
    event_of = np.empty(len(spans), dtype=object)
    taken: set[str] = set()
    for group in groups:  # sorted: in the order of their first segments
        members = [spans[chosen[i]] for i in group]
        event = event_id(members)
        if event in taken:
            event = event_id(members, whole=True)
        taken.add(event)
        event_of[chosen[group]] = event
    copies = np.flatnonzero(source >= 0)
    for i in copies:  # a source is earlier and an original, so named above
        event_of[i] = event_of[source[i]]
    members: dict[str, list[Span]] = {}
    for i in [*chosen.tolist(), *copies.tolist()]:
        members.setdefault(event_of[i], []).append(spans[i])
    events = [Event(event, segs) for event, segs in members.items()]
    for event in events:
        event.segments.sort(key=lambda s: (meta["dated"][s.doc], s.doc, s.start))
    events.sort(key=lambda e: (-len(e.document_ids), e.segments[0].doc, e.segments[0].start))
    return events


def _vectors(data, refs: dict, n: int) -> tuple[csr_matrix, np.ndarray]:
    """The TF-IDF rows of the ``n`` originals as one matrix (row i the i-th), and the
    number of originals holding each feature."""
    import ray

    df = np.zeros(HASHED_FEATURES, dtype=np.int64)
    counted = data.map_batches(_feature_counts, batch_format="numpy", batch_size=BATCH_ROWS, fn_kwargs=refs)
    for batch in counted.iter_batches(batch_format="numpy", batch_size=None):
        # unbuffered: a block fetched here may hold the output of several map calls, so a
        # feature can repeat in it (``df[f] += c`` would count a repeated feature once)
        np.add.at(df, batch["feature"], batch["df"])
    idf = ray.put(inverse_frequency(df, n))
    ids, values = [None] * n, [None] * n
    kwargs = {**refs, "idf": idf}
    rows = data.map_batches(_vector_rows, batch_format="numpy", batch_size=BATCH_ROWS, fn_kwargs=kwargs)
    for batch in rows.iter_batches(batch_format="numpy", batch_size=None):
        for r, i, d in zip(batch["row"].tolist(), batch["ids"], batch["data"]):
            ids[r], values[r] = i, d
    return _csr(_arrays(ids, np.int32), _arrays(values, np.float64)), df


def _csr(ids: list[np.ndarray], data: list[np.ndarray]) -> csr_matrix:
    """Rows of (feature ids, values) as a matrix over the hashed features (as ``counts_matrix``)."""
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in ids], dtype=np.int64)])
    cat, values = (np.concatenate(ids), np.concatenate(data)) if ids else (np.empty(0, np.int32), np.empty(0))
    return csr_matrix((values, cat, indptr), shape=(len(ids), HASHED_FEATURES))


def _days(published: np.ndarray) -> np.ndarray:
    """Date ordinals as ``cluster_segments`` makes them of dates: NaN where unknown (0)."""
    return np.where(published == 0, np.nan, published.astype(float))


def _task_batches(blocks: list[np.ndarray], cpus: float) -> list[list[np.ndarray]]:
    """``blocks`` in runs of about equal work (a block costs its size squared), four per CPU,
    so that many small blocks do not make many small tasks."""
    budget = sum(len(b) ** 2 for b in blocks) / max(1.0, 4 * cpus)
    batches: list[list[np.ndarray]] = []
    work = budget  # of the run being filled: a new run starts past the budget
    for block in blocks:
        if work >= budget:
            batches.append([])
            work = 0
        batches[-1].append(block)
        work += len(block) ** 2
    return batches


def _arrays(column, dtype) -> list[np.ndarray]:
    return [np.asarray(v, dtype=dtype) for v in column]


def _signatures(column) -> np.ndarray:
    return np.stack(_arrays(column, np.uint32)) if len(column) else np.empty((0, SIGNATURE_SIZE), np.uint32)


_REMOTE: dict = {}
"""Worker steps run as Ray tasks, by function."""


def _remote(fn):
    """``fn`` as a Ray task, made on first use so that importing this module does not import Ray."""
    if fn not in _REMOTE:
        import ray

        _REMOTE[fn] = ray.remote(fn)
    return _REMOTE[fn]


def _project(batch, names: list[str]) -> dict:
    return {c: batch[c] for c in names}


def _ranks(batch, orders) -> tuple[np.ndarray, np.ndarray]:
    """Each row's position in segment order, and which rows are kept (not a repeat)."""
    import ray

    orders, order = ray.get(orders), np.asarray(batch["order"], dtype=np.int64)
    pos = np.minimum(np.searchsorted(orders, order), len(orders) - 1)
    return pos, orders[pos] == order


def _band_rows(batch, orders, bands: int, rows: int) -> dict:
    """One row per LSH band of each segment, keyed ``band:values`` (the exact band values,
    as ``LSHIndex`` keys its buckets).  A signature without words is left out: its Jaccard
    estimate with anything is 0, so it is neither a copy nor a source."""
    rank, kept = _ranks(batch, orders)
    signatures = _signatures(batch["signature"])
    picked = np.flatnonzero(kept & ~(signatures == _EMPTY).all(axis=1))
    keys = [f"{b}:{signatures[i, b * rows : (b + 1) * rows].tobytes().hex()}" for i in picked for b in range(bands)]
    return {
        "bucket": np.array(keys, dtype=object), "rank": np.repeat(rank[picked], bands),
        "doc": np.repeat(np.asarray(batch["doc"], dtype=object)[picked], bands),
        "signature": np.repeat(signatures[picked], bands, axis=0),
    }  # fmt: skip


def _bucket_pairs(batch, prefix: int, only) -> dict:
    """Candidate pairs of one bucket (kind 0: ``earlier`` may be the source of ``later``: other
    document, Jaccard estimate at least ``NEAR_DUPLICATE``), and for each member checked only
    against the first ``prefix`` members, the last one checked (kind 1).  With ``only``
    (segments to settle again), just those members, against the whole bucket."""
    import ray

    order = np.argsort(batch["rank"], kind="stable")
    rank = np.asarray(batch["rank"])[order]
    docs = np.asarray(batch["doc"], dtype=object)[order]
    sigs = _signatures(batch["signature"])[order]
    targets = range(len(rank)) if only is None else np.flatnonzero(np.isin(rank, ray.get(only)))
    earlier, later, kind = [], [], []
    for p in targets:
        stop = p if only is not None else min(p, prefix)
        # the share of equal positions, as minhash.jaccard computes it (no empty signatures here)
        same = np.count_nonzero(sigs[:stop] == sigs[p], axis=1) / SIGNATURE_SIZE
        hits = rank[:stop][(same >= NEAR_DUPLICATE) & (docs[:stop] != docs[p])].tolist()
        short = int(stop < p)
        if short:
            hits.append(int(rank[stop - 1]))
        earlier += hits
        later += [int(rank[p])] * len(hits)
        kind += [0] * (len(hits) - short) + [1] * short
    return {k: np.array(v, dtype=np.int64) for k, v in (("earlier", earlier), ("later", later), ("kind", kind))}


def _feature_counts(batch, orders, row_of) -> dict:
    """How many of this batch's originals hold each feature (summed over batches: the df)."""
    import ray

    rank, kept = _ranks(batch, orders)
    picked = np.flatnonzero(kept & (ray.get(row_of)[rank] >= 0))
    ids = [np.asarray(batch["feature_ids"][i], dtype=np.int64) for i in picked]
    feature, df = np.unique(np.concatenate(ids), return_counts=True) if ids else (np.empty(0, np.int64),) * 2
    return {"feature": feature.astype(np.int64), "df": df.astype(np.int64)}


def _vector_rows(batch, orders, row_of, idf) -> dict:
    """The TF-IDF row of each original of the batch (idf of all originals; the rest of
    ``tfidf`` is row by row), with its row number among the originals."""
    import ray

    rank, kept = _ranks(batch, orders)
    rows = ray.get(row_of)[rank]  # -1: a copy, not clustered
    picked = np.flatnonzero(kept & (rows >= 0))
    counts = _csr(_arrays([batch["feature_ids"][i] for i in picked], np.int32),
                  _arrays([batch["feature_counts"][i] for i in picked], np.float64))  # fmt: skip
    vectors = tfidf(counts, ray.get(idf))
    ids, data = np.empty(len(picked), dtype=object), np.empty(len(picked), dtype=object)
    for k, (a, b) in enumerate(zip(vectors.indptr[:-1], vectors.indptr[1:])):
        ids[k], data[k] = vectors.indices[a:b].copy(), vectors.data[a:b].copy()
    return {"row": rows[picked], "ids": ids, "data": data}


def _link_chunk(pruned: csr_matrix, days: np.ndarray, start: int, stop: int, config):
    """Links of rows ``start:stop`` to every row, as the local ``close_pairs`` finds them."""
    rows, cols, sims = close_pairs(pruned[start:stop], pruned, config.block_similarity, days[start:stop], days, config)
    return rows + start, cols, sims


def _cluster_blocks(vectors: csr_matrix, days: np.ndarray, owners: list[str], blocks: list[np.ndarray], config):
    """The events of each of ``blocks`` by the local per-block step."""
    groups = []
    for members in blocks:
        groups += cluster_block(members, vectors[members], days[members], owners, config)
    return groups
