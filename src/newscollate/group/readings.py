"""What the group stage reads from a segment: read once, kept with the document.

A :class:`Reading` holds a segment's anchors for lineage (:class:`.anchors.Unit`),
its MinHash signature for finding copies, and its hashed event features for
clustering.  :func:`reading` keeps it in ``doc.cache`` under the segment's
offsets, so that

* an event compared again as it grows (stream mode: batch after batch) does
  not read its documents again;
* :class:`SegmentReader`, run after the clean stage in the worker process of
  :func:`newscollate.pipeline.cleaned_batches`, reads the next batch while this
  process groups the current one: a reading is a few arrays, cheap to send.

A reading depends only on the text and the ``removed`` layer the clean stage
left, which no later stage changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from ..model import Document, Span
from .anchors import Unit, read_unit
from .features import HASHED_FEATURES, feature_bag, hashed_counts, segment_lines
from .minhash import MinHasher

SIGNATURE_SIZE = 64
"""MinHash permutations per segment: enough to tell a copy (J >= 0.8) from a rewrite."""
_HASHER = MinHasher(num_perm=SIGNATURE_SIZE)
_CACHE_KEY = "group.readings"


@dataclass
class Reading:
    unit: Unit
    signature: np.ndarray
    """``SIGNATURE_SIZE`` MinHash values (uint32) of the segment's 5-word shingles, removed text left out."""
    feature_ids: np.ndarray
    feature_counts: np.ndarray
    """The hashed event features of its kept lines (:func:`.features.feature_bag`) and their counts."""


def reading(doc: Document, segment: Span) -> Reading:
    """The segment's reading, made now unless the document holds it."""
    readings = doc.cache.setdefault(_CACHE_KEY, {})
    key = (segment.start, segment.end)
    if key not in readings:
        readings[key] = next(_read([(doc, segment)]))
    return readings[key]


def counts_matrix(readings: list[Reading]) -> csr_matrix:
    """The readings' feature counts, one row each, in the hashed feature space."""
    indptr = np.concatenate([[0], np.cumsum([r.feature_ids.size for r in readings], dtype=np.int64)])
    if not readings:
        return csr_matrix((0, HASHED_FEATURES), dtype=np.float64)
    ids = np.concatenate([r.feature_ids for r in readings])
    counts = np.concatenate([r.feature_counts for r in readings])
    return csr_matrix((counts, ids, indptr), shape=(len(readings), HASHED_FEATURES))


class SegmentReader:
    """Reads every segment of the corpus that its document does not hold a reading of yet."""

    name = "read-segments"

    def __call__(self, corpus) -> None:
        missing = []
        for doc in corpus.documents:
            readings = doc.cache.setdefault(_CACHE_KEY, {})
            missing += [(doc, s) for s in doc.spans("segments") if (s.start, s.end) not in readings]
        for (doc, segment), found in zip(missing, _read(missing)):
            doc.cache[_CACHE_KEY][(segment.start, segment.end)] = found


def _read(segments: list[tuple[Document, Span]]) -> Iterable[Reading]:
    counts = hashed_counts([feature_bag(segment_lines(doc, segment)) for doc, segment in segments])
    for row, (doc, segment) in enumerate(segments):
        unit = read_unit(doc, segment)
        lo, hi = counts.indptr[row], counts.indptr[row + 1]
        signature = _HASHER.signature_of_hashes(unit.shingles() >> np.uint64(32))
        yield Reading(unit, signature, counts.indices[lo:hi].astype(np.int32), counts.data[lo:hi].copy())
