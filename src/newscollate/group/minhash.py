"""MinHash signatures over word shingles, and an LSH index to find near-duplicates.

A text's *shingles* are its runs of ``shingle_words`` consecutive lowercase
word tokens (``\\w+``).  The Jaccard similarity of two shingle sets (shared
shingles over all shingles) is 1.0 for identical texts and falls quickly as
wording diverges: a verbatim copy with a few junk lines added keeps 0.8-0.95,
a reworded rewrite of the same facts 0.0-0.2.

:class:`MinHasher` estimates it with ``num_perm`` minimum hash values per text
(the estimate's standard error is about ``sqrt(J(1-J)/num_perm)``, 0.035 at
J=0.5 with 128).  Shingles are hashed once (CRC-32 of each word, combined with
a polynomial per shingle), then every permutation ``(a*x + b) mod p`` is
applied to all shingles at once with numpy.  Hashes are stable across
processes and machines, so signatures can be stored.
"""

from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np

_WORD = re.compile(r"\w+")
_PRIME = np.uint64(4294967311)  # the smallest prime above 2**32: (a*x + b) stays below 2**64
_MAX_HASH = np.uint64(0xFFFFFFFF)
_EMPTY = np.uint32(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)


class MinHasher:
    """Turns texts into MinHash signatures (``num_perm`` uint32 values each).

    ``shingle_words``: words per shingle; 5 makes chance matches between
    independent texts rare while a copy keeps nearly all its shingles.  A text
    shorter than that is one shingle.  ``seed`` fixes the permutations:
    signatures are comparable only between hashers with the same
    ``num_perm`` and ``seed``.
    """

    def __init__(self, num_perm: int = 128, shingle_words: int = 5, seed: int = 1) -> None:
        if num_perm < 1 or shingle_words < 1:
            raise ValueError("num_perm and shingle_words must be at least 1")
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**32, size=num_perm, dtype=np.uint64)
        self._b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64)
        self._powers = np.array([pow(0x100000001B3, i, 2**64) for i in range(shingle_words)], dtype=np.uint64)

    def shingle_hashes(self, text: str) -> np.ndarray:
        """The sorted distinct 32-bit hashes of the text's shingles (empty for a text without words)."""
        words = _WORD.findall(text.lower())
        if not words:
            return np.empty(0, dtype=np.uint64)
        distinct = {w: zlib.crc32(w.encode()) for w in dict.fromkeys(words)}
        hashes = np.fromiter((distinct[w] for w in words), dtype=np.uint64, count=len(words))
        width = min(self.shingle_words, len(hashes))
        count = len(hashes) - width + 1
        combined = np.zeros(count, dtype=np.uint64)
        for i in range(width):
            combined += hashes[i : i + count] * self._powers[i]
        combined *= _MIX
        return np.unique(combined >> np.uint64(32))

    def signature(self, text: str) -> np.ndarray:
        """``num_perm`` minimum permuted shingle hashes; all ``0xFFFFFFFF`` for a text without words."""
        return self.signature_of_hashes(self.shingle_hashes(text))

    def signature_of_hashes(self, hashes: np.ndarray) -> np.ndarray:
        if hashes.size == 0:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        permuted = (hashes[:, None] * self._a[None, :] + self._b[None, :]) % _PRIME & _MAX_HASH
        return permuted.min(axis=0).astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets: the share of equal positions.

    A signature of a text without words matches nothing (0.0), so empty
    segments are never taken for copies of each other.
    """
    if sig_a.shape != sig_b.shape:
        raise ValueError("signatures of different lengths: made with different num_perm")
    if (sig_a == _EMPTY).all() or (sig_b == _EMPTY).all():
        return 0.0
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.size


def _area(y: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands*rows <= num_perm`` that best separate pairs around ``threshold``.

    Two signatures become candidates when all ``rows`` values of at least one
    band agree, which happens with probability ``1-(1-J**rows)**bands``.  The
    choice minimises the (equally weighted) area of false positives below
    ``threshold`` plus false negatives above it, as datasketch does.
    """
    below = np.linspace(0.0, threshold, 200)
    above = np.linspace(threshold, 1.0, 200)
    best, best_cost = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        false_pos = _area(1 - (1 - below**rows) ** bands, below)
        false_neg = _area((1 - above**rows) ** bands, above)
        if false_pos + false_neg < best_cost:
            best, best_cost = (bands, rows), false_pos + false_neg
    return best


class LSHIndex:
    """Finds stored signatures whose Jaccard similarity is probably above ``threshold``.

    Each signature is cut into bands (see :func:`lsh_bands`); keys sharing a
    whole band with the query are returned as candidates, to be confirmed with
    :func:`jaccard`.  At 0.8 with 128 permutations a pair at J=0.9 is missed
    less than 1 time in 1,000 and a pair at J=0.5 becomes a candidate about 1
    time in 20.

    Memory is bounded: at most ``max_items`` keys are kept; adding one more
    evicts the oldest (first added), so a stream is deduplicated against its
    most recent ``max_items`` documents.  Adding an existing key replaces it.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, max_items: int = 100_000) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self.threshold = threshold
        self.num_perm = num_perm
        self.max_items = max_items
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        self._buckets: list[dict[bytes, set[Hashable]]] = [{} for _ in range(self.bands)]
        self._keys: OrderedDict[Hashable, tuple[int, list[bytes]]] = OrderedDict()
        self._added = 0

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def _band_keys(self, signature: np.ndarray) -> list[bytes]:
        if signature.shape != (self.num_perm,):
            raise ValueError(f"signature has {signature.size} values, the index expects {self.num_perm}")
        r = self.rows
        return [signature[i * r : (i + 1) * r].tobytes() for i in range(self.bands)]

    def add(self, key: Hashable, signature: np.ndarray) -> None:
        if key in self._keys:
            self.remove(key)
        bands = self._band_keys(signature)
        for bucket, band in zip(self._buckets, bands):
            bucket.setdefault(band, set()).add(key)
        self._keys[key] = (self._added, bands)
        self._added += 1
        while len(self._keys) > self.max_items:
            self.remove(next(iter(self._keys)))

    def remove(self, key: Hashable) -> None:
        for bucket, band in zip(self._buckets, self._keys.pop(key)[1]):
            members = bucket[band]
            members.discard(key)
            if not members:
                del bucket[band]

    def query(self, signature: np.ndarray) -> list[Hashable]:
        """Keys sharing at least one band with ``signature``, oldest first."""
        found: set[Hashable] = set()
        for bucket, band in zip(self._buckets, self._band_keys(signature)):
            found.update(bucket.get(band, ()))
        return sorted(found, key=lambda key: self._keys[key][0])
