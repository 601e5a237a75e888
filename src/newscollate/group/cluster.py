"""Batch event clustering of story segments.

Three steps:

1. **Similarity**: cosine of TF-IDF vectors over :mod:`.features` (idf from
   the segments being clustered), blended with the cosine of dense sentence
   embeddings when they are given, and decayed with the gap between
   publication dates.
2. **Blocking**: segments linked by a similarity of at least
   ``block_similarity`` form connected blocks; different blocks never share an
   event, so the quadratic step below runs per block (a day of news is many
   small blocks, not one big matrix).
3. **Shared neighbours**: within a block, two segments are alike when they
   are similar *and* have the same nearest neighbours.  Coverage of one event
   varies in density (a wire story copied twenty times, a local story told
   twice), so a single cosine threshold either splits the sparse events or
   merges the dense ones with their look-alikes (two earthquakes, two rehab
   stories).  Shared-nearest-neighbour similarity (Jarvis and Patrick, 1973)
   adapts to the density; its geometric mean with the cosine keeps two
   strangers who share neighbours apart.  Average-linkage agglomerative
   clustering then cuts at ``merge_distance``.

Two segments of one document never share an event: a page that glues stories
together glues *different* stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform


LINK_ROWS = 512
"""Rows of the segment-by-segment product computed at once when finding blocks."""
COMMON_SHARE = 0.05
COMMON_MIN = 200
"""A feature in more than ``COMMON_SHARE`` of the segments, and more than ``COMMON_MIN``
of them (a well-covered event alone has dozens), is too common to link segments into blocks."""


@dataclass(frozen=True)
class ClusterConfig:
    """Settings of :func:`cluster_segments`; the defaults were tuned on ECB+ topics 1-25
    (``bench/cluster.py --tune-ours``) and are scored on topics 26-35."""

    neighbours: int = 5
    """k of the shared-nearest-neighbour similarity: about the size of the
    smallest event worth telling apart from a look-alike."""
    cosine_share: float = 0.5
    """Exponent of the cosine in the blended similarity ``snn^(1-s) * cos^s``."""
    merge_distance: float = 0.925
    """Average-linkage cut: clusters merge while ``1 - blended similarity``,
    averaged over their pairs, stays below this."""
    block_similarity: float = 0.08
    """Cosine that links two segments into one block; unrelated stories stay
    below 0.07 (99th percentile on ECB+ across topics)."""
    max_block: int = 1000
    """Larger blocks are split at a higher similarity (memory and time grow with the
    square of a block's size)."""
    embedding_share: float = 0.0
    """Weight of the static MiniLM embedding cosine (:mod:`.embed`) against the TF-IDF
    cosine.  Off: on ECB+ topics 1-25 any weight scored no better (the embeddings tell
    topics apart, which TF-IDF already does, not events of one kind) and embedding
    costs more than the rest of grouping."""
    same_days: float = 3.0
    """Publication dates this many days apart or closer cost nothing."""
    half_life_days: float = 7.0
    """Beyond ``same_days``, similarity halves every this many days more;
    segments without a date are not penalised."""


def cluster_segments(
    counts: csr_matrix,
    owners: list[str],
    dates: list[date | None],
    config: ClusterConfig,
    embeddings: np.ndarray | None = None,
    settled: list[str | None] | None = None,
    vectors: csr_matrix | None = None,
    links: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> list[list[int]]:
    """Rows of ``counts`` (segments by hashed features, see :func:`.features.hashed_counts`)
    grouped into events, each group in index order.

    ``owners`` names each segment's document (segments of one document are
    kept apart), ``dates`` their publication dates, ``embeddings`` optional
    L2-normalised rows.  ``settled`` (stream mode) gives the event each
    segment already belongs to, ``None`` for new ones: a block without a new
    segment keeps its events as they are, only blocks that new segments join
    are clustered again.  ``vectors`` are the TF-IDF rows when the caller has
    them (idf from a larger set), else they are computed from ``counts``.
    ``links`` (row, column, decayed cosine) are the pairs that form blocks when the
    caller knows them (stream mode: the new segments' links and the settled events'
    own), else every pair at ``block_similarity`` or more is found here.
    """
    n = counts.shape[0]
    if n == 0:
        return []
    vectors = tfidf(counts) if vectors is None else vectors
    days = np.array([d.toordinal() if d else np.nan for d in dates], dtype=float)
    if links is None:
        pruned = without_common(vectors)
        links = close_pairs(pruned, pruned, config.block_similarity, days, days, config)
    groups: list[list[int]] = []
    for members in link_blocks(links, n, config):
        if len(members) == 1:
            groups.append([int(members[0])])
            continue
        if settled is not None and all(settled[i] is not None for i in members):
            by_event: dict[str, list[int]] = {}
            for i in members:
                by_event.setdefault(settled[i], []).append(int(i))
            groups.extend(by_event.values())
            continue
        dense = embeddings[members] if embeddings is not None and config.embedding_share else None
        groups.extend(cluster_block(members, vectors[members], days[members], owners, config, dense))
    return sorted(groups)


def cluster_block(
    members: np.ndarray,
    rows: csr_matrix,
    days: np.ndarray,
    owners,
    config: ClusterConfig,
    embeddings: np.ndarray | None = None,
) -> list[list[int]]:
    """The events of one block of at least two segments, each a list of indices in ascending order.

    ``members`` are the block's segment indices (ascending, as :func:`link_blocks`
    gives them), ``rows`` their TF-IDF vectors, ``days`` their publication date
    ordinals (NaN when unknown), ``owners`` maps an index to its document (a list
    over all segments, or a dict over the block's), ``embeddings`` the block's
    L2-normalised rows when they are blended in.  Nothing outside the block is
    read, so blocks can be clustered apart (:mod:`newscollate.executors.ray_group`).
    """
    decay = _time_decay(days, config)
    similarity = (rows @ rows.T).toarray() * decay
    if embeddings is not None and config.embedding_share:
        dense = (embeddings @ embeddings.T) * decay
        similarity = (1 - config.embedding_share) * similarity + config.embedding_share * dense
    groups: list[list[int]] = []
    for local in _cluster_block(similarity, config):
        groups.extend(_separate_owners([int(members[i]) for i in local], owners, similarity, members))
    return groups


def link_blocks(
    links: tuple[np.ndarray, np.ndarray, np.ndarray], n: int, config: ClusterConfig
) -> list[np.ndarray]:
    """Segments ``0..n-1`` split into blocks by ``links`` (rows, columns, decayed cosines, as
    :func:`close_pairs` gives them), in the order of each block's first segment."""
    return _blocks(links, config, np.arange(n), config.block_similarity)


def tfidf(counts: csr_matrix, idf: np.ndarray | None = None) -> csr_matrix:
    """L2-normalised sublinear TF-IDF rows of raw ``counts``, idf from these rows (as
    scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` computes it) unless ``idf`` is
    given (:func:`inverse_frequency` of a larger set the rows belong to)."""
    weights = counts.astype(np.float64).tocsr(copy=True)
    weights.data = 1.0 + np.log(weights.data)
    if idf is None:
        idf = inverse_frequency(np.bincount(weights.indices, minlength=weights.shape[1]), weights.shape[0])
    weights.data *= idf[weights.indices]
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    weights.data /= np.repeat(norms, np.diff(weights.indptr))
    return weights


def _blocks(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray], config: ClusterConfig, members: np.ndarray, threshold: float
) -> list[np.ndarray]:
    """``members`` split into the connected blocks of ``pairs`` (rows, columns, decayed cosines)
    at ``threshold``; a block of more than ``max_block`` segments (a month of one running
    story, a day of sports results) is split again at a higher threshold, so that the
    quadratic step stays bounded."""
    row, col, sim = pairs
    local = np.full(int(max(members.max(), row.max(initial=0), col.max(initial=0))) + 1, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    inside = (local[row] >= 0) & (local[col] >= 0) & (sim >= threshold)
    row, col, sim = row[inside], col[inside], sim[inside]
    graph = csr_matrix((np.ones(len(row), dtype=np.int8), (local[row], local[col])), shape=(len(members),) * 2)
    count, block_of = connected_components(graph, directed=False)
    order = np.argsort(block_of, kind="stable")
    bounds = np.searchsorted(block_of[order], np.arange(count + 1))
    blocks = []
    for b in range(count):
        block = members[order[bounds[b] : bounds[b + 1]]]
        if len(block) > config.max_block and threshold < 1.0:
            blocks.extend(_blocks((row, col, sim), config, block, min(1.0, threshold * 1.5)))
        else:
            blocks.append(block)
    return blocks


def inverse_frequency(df: np.ndarray, n: int) -> np.ndarray:
    """Smoothed idf of each feature from ``df`` (rows holding it) among ``n`` rows:
    ``ln((1 + n) / (1 + df)) + 1``, 1.0 for a feature in every row."""
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def common_features(df: np.ndarray, n: int) -> np.ndarray:
    """Ids of the features in more than :data:`COMMON_SHARE` and :data:`COMMON_MIN` of ``n``
    rows, from ``df`` (rows holding each feature)."""
    return np.flatnonzero(df > max(COMMON_SHARE * n, COMMON_MIN))


def without_common(vectors: csr_matrix, common: np.ndarray | None = None) -> csr_matrix:
    """``vectors`` less the features found in more than :data:`COMMON_SHARE` (and
    :data:`COMMON_MIN`) of them, or less ``common`` when the caller counted them over a
    larger set (:func:`common_features`).  Used to find links, not inside blocks: their low
    idf adds little to any cosine, but they would make the products nearly dense."""
    if common is None:
        common = common_features(np.bincount(vectors.indices, minlength=vectors.shape[1]), vectors.shape[0])
    if common.size:
        vectors = vectors.copy()
        vectors.data[np.isin(vectors.indices, common)] = 0.0
        vectors.eliminate_zeros()
    return vectors


def close_pairs(
    left: csr_matrix,
    right: csr_matrix,
    threshold: float,
    left_days: np.ndarray,
    right_days: np.ndarray,
    config: ClusterConfig,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row and column indices (row of ``left``, row of ``right``) and decayed cosines of the
    pairs at a decayed cosine of at least ``threshold``, computed :data:`LINK_ROWS` rows at a
    time so that memory stays linear in the segments."""
    rows, cols, sims = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], [np.empty(0)]
    right_t = right.T.tocsc()
    for start in range(0, left.shape[0], LINK_ROWS):
        product = (left[start : start + LINK_ROWS] @ right_t).tocoo()
        # the decay is at most 1: pairs below the threshold stay below it
        close = product.data >= threshold
        row, col, data = product.row[close] + start, product.col[close], product.data[close]
        data = data * _pair_decay(left_days[row], right_days[col], config)
        keep = data >= threshold
        rows.append(row[keep])
        cols.append(col[keep])
        sims.append(data[keep])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _time_decay(days: np.ndarray, config: ClusterConfig) -> np.ndarray:
    """The decay factor of every pair of ``days`` (ordinals, NaN when unknown)."""
    return _pair_decay(days[:, None], days[None, :], config)


def _pair_decay(first: np.ndarray, second: np.ndarray, config: ClusterConfig) -> np.ndarray:
    gap = np.abs(first - second) - config.same_days
    decay = np.power(0.5, np.clip(gap, 0, None) / config.half_life_days)
    return np.where(np.isnan(decay), 1.0, decay)


def _cluster_block(similarity: np.ndarray, config: ClusterConfig) -> list[list[int]]:
    n = len(similarity)
    np.fill_diagonal(similarity, 1.0)
    blended = shared_neighbours(similarity, config.neighbours) ** (1 - config.cosine_share)
    blended *= np.clip(similarity, 0, 1) ** config.cosine_share
    distance = np.clip(1 - blended, 0, None)
    np.fill_diagonal(distance, 0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), config.merge_distance, "distance")
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(int(labels[i]), []).append(i)
    return list(groups.values())


def shared_neighbours(similarity: np.ndarray, k: int) -> np.ndarray:
    """Share of common members among each pair's k nearest neighbours (each counting itself)."""
    n = len(similarity)
    k = min(k, n - 1)
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    nearest = np.argpartition(-others, k - 1, axis=1)[:, :k] if k > 0 else np.empty((n, 0), dtype=int)
    columns = np.concatenate([np.arange(n)[:, None], nearest], axis=1).ravel()
    membership = csr_matrix((np.ones(n * (k + 1), dtype=np.float32), (np.repeat(np.arange(n), k + 1), columns)), (n, n))
    return (membership @ membership.T).toarray() / (k + 1)


def _separate_owners(group: list[int], owners: list[str], similarity: np.ndarray, members: np.ndarray) -> list[list[int]]:
    """``group`` with each document's extra segments moved out: the segment of a
    document most similar to the rest of the group stays, the others become events
    of their own.  ``similarity`` is the block's, whose rows are ``members``."""
    by_owner: dict[str, list[int]] = {}
    for i in group:
        by_owner.setdefault(owners[i], []).append(i)
    if all(len(v) == 1 for v in by_owner.values()):
        return [group]
    local = {int(m): k for k, m in enumerate(members)}
    kept, apart = [], []
    for segments in by_owner.values():
        if len(segments) == 1:
            kept.extend(segments)
            continue
        rest = [local[i] for i in group if owners[i] != owners[segments[0]]]
        scores = [similarity[local[i], rest].sum() for i in segments]
        best = segments[int(np.argmax(scores))]
        kept.append(best)
        apart.extend([i] for i in segments if i != best)
    return [sorted(kept), *apart]
