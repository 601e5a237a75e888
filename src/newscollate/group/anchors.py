"""Reading a document once for lineage: its sentences, word tokens and their anchor kinds.

:func:`read_unit` splits a segment into sentences (one regex pass) and each
sentence into word tokens (bytes, punctuation blanked by ``bytes.translate``:
much faster than a token regex), and gives every token a stable 64-bit id (a
hash of its lowercase form, the same in every process) and an anchor kind, so
that the documents of an event are compared with numpy and sparse products
only, and a reading made in a worker process is valid here.

Anchor kinds: a number; a name (a capitalised word that does not start its
sentence); another content word (three letters or more, not a function word);
``0`` for the rest.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..model import Document, Span
from .wire import WIRES, WireCredit, find_credits

SHINGLE_WORDS = 5
"""Words per shingle: chance 5-word overlaps between independent texts are rare."""
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    said says say told according may might must shall one new""".encode().split()
)


@dataclass
class Unit:
    doc_id: str
    published: date | None
    offset: int
    text: str
    """The segment's text, removed spans blanked out, so that offsets stay those of the segment."""
    sentences: list[tuple[int, int]]
    ids: np.ndarray
    """Each word token's id (uint64, see :func:`token_id`), in order."""
    kinds: np.ndarray
    """Each word token's anchor kind (int8)."""
    lengths: list[int]
    """Tokens per sentence."""
    prose: list[bool]
    credits: list[WireCredit]

    def ref(self, start: int, end: int) -> dict:
        return {"doc": self.doc_id, "start": self.offset + start, "end": self.offset + end}

    def shingles(self) -> np.ndarray:
        """Distinct 64-bit hashes of its runs of ``SHINGLE_WORDS`` tokens (a shorter text is one shingle)."""
        return shingles(self.ids)


_PUNCTUATION = bytes.maketrans(b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", b" " * 32)
_WIRE_WORDS = frozenset(max(alias.encode().translate(_PUNCTUATION).split(), key=len) for aliases in WIRES.values() for alias in aliases)
"""A text can credit a wire only if it holds one of these words (the longest of each of the wire's names)."""
_SENTENCE = re.compile(r"[^.!?\s][^.!?\n]*(?:[.!?]+(?![\s\"'\u201d\u2019)\]])[^.!?\n]*)*[.!?]*[\"'\u201d\u2019)\]]*")
_UNICODE_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
"""Blanked before tokens are split (with str.replace: str.translate is slow on non-ASCII text)."""
NUMBER, WORD, NAME = 1, 2, 3
"""Anchor kinds; 0 is a function word or a one- or two-letter word."""


def read_unit(doc: Document, span: Span) -> Unit:
    """The segment ``span`` of ``doc`` read into sentences and tokens, its ``removed`` spans left out."""
    text = doc.text[span.start : span.end]
    skip = []
    for removed in doc.spans("removed"):
        start, end = max(removed.start, span.start) - span.start, min(removed.end, span.end) - span.start
        if start < end:
            text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
            skip.append((start, end))
    plain = text
    if not text.isascii():
        for mark in _UNICODE_PUNCTUATION:
            plain = plain.replace(mark, " ")
    sentences, tokens, lengths, prose = [], [], [], []
    for match in _SENTENCE.finditer(plain):
        sentence = match.group().rstrip()
        words = sentence.encode().translate(_PUNCTUATION).split()
        if words:
            sentences.append((match.start(), match.start() + len(sentence)))
            tokens += words
            lengths.append(len(words))
            prose.append(sentence.endswith((".", "!", "?")) or sentence.rstrip("\"')]").endswith((".", "!", "?")))
    credits = find_credits(text, skip) if not _WIRE_WORDS.isdisjoint(tokens) else []
    ids, kinds = _token_readings(tokens)
    first = np.cumsum([0, *lengths[:-1]], dtype=np.int64) if lengths else np.empty(0, dtype=np.int64)
    kinds[first[kinds[first] == NAME]] = WORD  # a capital that starts a sentence says nothing
    return Unit(doc.id, doc.meta.published, span.start, text, sentences, ids, kinds, lengths, prose, credits)


def _token_readings(tokens: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each token's id and anchor kind."""
    missing = set(tokens).difference(_IDS)
    if len(_IDS) + len(missing) > _MAX_READINGS:
        _IDS.clear()
        _KINDS.clear()
    for token in missing:
        _IDS[token], _KINDS[token] = _reading(token)
    ids = np.fromiter(map(_IDS.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    kinds = np.fromiter(map(_KINDS.__getitem__, tokens), dtype=np.int8, count=len(tokens))
    return ids, kinds


def token_id(low: bytes) -> int:
    """A stable 64-bit id of a lowercase token (the same in every process and run)."""
    return int.from_bytes(hashlib.blake2b(low, digest_size=8).digest(), "little")


def _reading(token: bytes) -> tuple[int, int]:
    """The token's id and anchor kind (a name: capitalised, before sentence starts are known)."""
    low = token.lower()
    if low[:1].isdigit():
        return token_id(low), NUMBER
    if len(low) < 3 or low in _STOPWORDS:
        return token_id(low), 0
    return token_id(low), NAME if token[:1].isupper() else WORD


_IDS: dict[bytes, int] = {}
_KINDS: dict[bytes, int] = {}
"""A cache of :func:`_reading` (a pure function, so calls may share it), emptied past _MAX_READINGS."""
_MAX_READINGS = 500_000


def local_ids(ids: np.ndarray) -> tuple[np.ndarray, int]:
    """The ids renumbered 0..k-1 (same id, same number), and k."""
    distinct_ids, local = np.unique(ids, return_inverse=True)
    return local.astype(np.int64), len(distinct_ids)


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique, but faster on small integer arrays)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if values.size else values


def shingles(ids: np.ndarray) -> np.ndarray:
    """Distinct hashes of the runs of ``SHINGLE_WORDS`` word ids (a shorter text is one shingle)."""
    if not ids.size:
        return ids.astype(np.uint64)
    width = min(SHINGLE_WORDS, len(ids))
    count = len(ids) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for i in range(width):
        combined = combined * np.uint64(0x100000001B3) + ids[i : i + count]
    return distinct(combined)
