"""Scores of extracted main text against a ground truth, as two public benchmarks compute them.

* **Zyte article-extraction-benchmark** (``evaluate.py`` of scrapinghub/article-extraction-benchmark):
  per page, the multisets of 4-token shingles (tokens are ``\\w+`` runs, case kept, as there) of the
  truth and the extraction give TP/FP/FN, normalised to sum to 1 so that long pages weigh no more than
  short ones.  Precision is averaged over the pages whose extraction has shingles, recall over the
  pages whose truth has shingles, and F1 is taken of the two means (not a mean of per-page F1s).  A
  text of 1-3 tokens is one short shingle; an empty text has none.
* **Fundus evaluation** (dobbersc/fundus-evaluation, Google's ``rouge_score`` ``rougeLsum``): per page,
  summary-level ROUGE-L between the truth paragraphs and the extracted lines, tokens being lowercase
  ``[a-z0-9]`` runs, no stemming.  Truth paragraphs written ``[like this]`` are optional: every choice
  of dropping them is scored and the best F1 kept (with more than ``max_optional`` of them, only
  "keep all" and "drop all").  Precision, recall and F1 are each averaged over pages.

  One documented difference: rouge_score as fundus calls it (``split_summaries=True``) cuts the texts
  into sentences with NLTK's punkt model; here a sentence is a line (truth paragraphs and extracted
  lines), which needs no model download.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

# --- Zyte: 4-gram shingles ----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of ``n``-token shingles of ``text``; 1 to n-1 tokens make one short shingle."""
    tokens = _WORD.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


@dataclass(frozen=True)
class ShingleMatch:
    """One page's shingle TP/FP/FN, normalised so that they sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); ``None`` when the extraction has no shingles (the page is left out of the mean)."""
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); ``None`` when the truth has no shingles (the page is left out of the mean)."""
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)


def shingle_match(truth: str, extracted: str, n: int = 4) -> ShingleMatch:
    true, pred = shingles(truth, n), shingles(extracted, n)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return ShingleMatch(0.0, 0.0, 0.0)
    return ShingleMatch(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Summary:
    """A system's score over a set of pages."""

    f1: float
    precision: float
    recall: float


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return statistics.fmean(kept) if kept else 0.0


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def zyte_summary(matches: Sequence[ShingleMatch]) -> Summary:
    """Mean precision, mean recall (each over the pages where it is defined) and F1 of the two means."""
    precision = _mean(m.precision for m in matches)
    recall = _mean(m.recall for m in matches)
    return Summary(f1(precision, recall), precision, recall)


# --- Fundus: ROUGE-LSum -------------------------------------------------------------------------------

_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")


def rouge_tokens(text: str) -> list[str]:
    """rouge_score's default tokenizer: lowercase, then runs of ASCII letters and digits."""
    return _ROUGE_TOKEN.findall(text.lower())


def rouge_sentences(text: str) -> list[list[str]]:
    """The token lists of the non-empty lines of ``text``."""
    return [rouge_tokens(line) for line in text.split("\n") if line]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


_ZERO = Score(0.0, 0.0, 0.0)


def _union_lcs(reference: Sequence[int], candidates: Sequence[Sequence[int]]) -> list[int]:
    """Indices into ``reference`` of the union of one LCS with each candidate, sorted.

    The LCS picked for each pair is the one rouge_score's backtracking picks (ties go up, i.e. to
    an earlier reference token), so that the union -- and the score -- are the same as there.
    The tables of all pairs are filled at once: candidates sit side by side, each after a column
    of zeros, and a row's running maximum is kept from leaking across candidates by an offset.
    """
    rows = len(reference)
    lengths = [len(c) for c in candidates]
    if rows == 0 or not any(lengths):
        return []
    starts = np.cumsum([0] + [n + 1 for n in lengths[:-1]])
    width = int(starts[-1]) + lengths[-1] + 1
    tokens = np.full(width, -1, dtype=np.int64)
    segment = np.zeros(width, dtype=np.int64)
    for index, (start, cand) in enumerate(zip(starts, candidates)):
        tokens[start + 1 : start + 1 + len(cand)] = cand
        segment[start : start + 1 + len(cand)] = index
    offset = segment * (rows + 1)
    table = np.zeros((rows + 1, width), dtype=np.int64)
    for i in range(1, rows + 1):
        above = table[i - 1]
        diagonal = np.empty_like(above)
        diagonal[0] = 0
        diagonal[1:] = above[:-1]
        best = np.where(tokens == reference[i - 1], diagonal + 1, above)
        table[i] = np.maximum.accumulate(best + offset) - offset
    found: set[int] = set()
    for start, cand in zip(starts, candidates):
        j_end = start + len(cand)
        if table[rows, j_end] == 0:
            continue
        block = table[:, start : j_end + 1].tolist()
        i, j = rows, len(cand)
        while i > 0 and j > 0:
            if reference[i - 1] == cand[j - 1]:
                found.add(i - 1)
                i -= 1
                j -= 1
            elif block[i][j - 1] > block[i - 1][j]:
                j -= 1
            else:
                i -= 1
    return sorted(found)


class _Vocabulary(dict):
    def ids(self, tokens: list[str]) -> list[int]:
        return [self.setdefault(t, len(self)) for t in tokens]


def rouge_lsum(reference: str, candidate: str) -> Score:
    """Summary-level ROUGE-L of ``candidate`` against ``reference``; sentences are lines."""
    return _RougePage(candidate).score(rouge_sentences(reference))


class _RougePage:
    """One extraction scored against several versions of its truth; union LCSs are computed once."""

    def __init__(self, candidate: str) -> None:
        self.vocabulary = _Vocabulary()
        self.candidates = [self.vocabulary.ids(s) for s in rouge_sentences(candidate)]
        self.candidate_counts = Counter(t for s in self.candidates for t in s)
        self._unions: dict[tuple[int, ...], list[int]] = {}

    def _union(self, sentence: list[int]) -> list[int]:
        key = tuple(sentence)
        if key not in self._unions:
            self._unions[key] = [sentence[i] for i in _union_lcs(sentence, self.candidates)]
        return self._unions[key]

    def score(self, reference_sentences: list[list[str]]) -> Score:
        references = [self.vocabulary.ids(s) for s in reference_sentences]
        m = sum(map(len, references))
        n = sum(map(len, self.candidates))
        if not references or not self.candidates or not m or not n:
            return _ZERO
        reference_left = Counter(t for s in references for t in s)
        candidate_left = Counter(self.candidate_counts)
        hits = 0
        for sentence in references:
            # rouge_score (as ROUGE 1.5.5) never counts a token more often than either text has it.
            for token in self._union(sentence):
                if reference_left[token] > 0 and candidate_left[token] > 0:
                    hits += 1
                    reference_left[token] -= 1
                    candidate_left[token] -= 1
        precision, recall = hits / n, hits / m
        return Score(precision, recall, f1(precision, recall))


def _optional(paragraph: str) -> bool:
    return paragraph[:1] == "[" and paragraph[-1:] == "]"


def reference_bodies(paragraphs: Sequence[str], max_optional: int = 4) -> Iterator[list[str]]:
    """The versions of a fundus truth: optional ``[paragraphs]`` unwrapped, each subset of them dropped.

    With more than ``max_optional`` optional paragraphs only two versions: all kept, all dropped
    (fundus-evaluation's default of 4 keeps the count of versions at most 16).
    """
    optional = [i for i, p in enumerate(paragraphs) if _optional(p)]
    unwrapped = [p[1:-1] if i in optional else p for i, p in enumerate(paragraphs)]
    if len(optional) > max_optional:
        drops: Iterable[Sequence[int]] = [(), optional]
    else:
        drops = (c for k in range(len(optional) + 1) for c in combinations(optional, k))
    for dropped in drops:
        yield [p for i, p in enumerate(unwrapped) if i not in set(dropped)]


def fundus_score(paragraphs: Sequence[str], extracted: str, max_optional: int = 4) -> Score:
    """Best ROUGE-LSum (by F1) of the extracted text over the versions of the truth.

    The extraction is read as fundus reads trafilatura's output: one paragraph per line.
    """
    page = _RougePage(extracted)
    best: Score | None = None
    for body in reference_bodies(paragraphs, max_optional):
        score = page.score(rouge_sentences("\n\n".join(body)))
        if best is None or score.f1 > best.f1:
            best = score
    return best or _ZERO


def fundus_summary(scores: Sequence[Score]) -> Summary:
    """Mean precision, mean recall and mean per-page F1, as fundus-evaluation tabulates them."""
    if not scores:
        return Summary(0.0, 0.0, 0.0)
    return Summary(
        statistics.fmean(s.f1 for s in scores),
        statistics.fmean(s.precision for s in scores),
        statistics.fmean(s.recall for s in scores),
    )
