"""Split pages that glue several unrelated stories into story segments.

Scraped pages often end with "more stories" teasers: the first paragraph or
two of other articles, often cut off mid-sentence, sometimes opened by an
all-caps kicker ("TOWERING FIGURE: ...").  They are found by lexical
cohesion: each paragraph becomes a vector of content words (see
:mod:`newscollate.clean.vectors`) and is compared with the centroid of the
segment so far.  Within one article, paragraphs share surprisingly few words
(cosine 0.02-0.25 to the story so far is normal), so low similarity (below
``threshold``) is required but is not enough; the paragraph must also show
signs of being another story:

* strong signs, 2 points each: a kicker; a previous paragraph cut off
  mid-sentence; a close match to another document that the segment never
  matches (another story the corpus also covers);
* weak signs, 1 point each: a dateline; being cut off itself; story length;
  sharing almost no content word with the segment; a new cast (names, none
  of them used in the segment so far).

A boundary needs 2 points with a strong sign and 3 without, one more for a
short paragraph; and weak signs alone never end the main story within its
first ``min_main`` paragraphs.  Two vetoes keep a story together: the
paragraph paraphrases a document that much of the segment also matches (the
corpus tells the same story), or one of the next paragraphs returns to the
segment's topic (a digression, not a new story).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import add, mul

import numpy as np
from scipy import sparse

from ..model import Document, Span
from .lines import words
from .vectors import Bag, Vector, bags, cosine, norm

# An all-caps lead-in of two or more words before ":" "?" "!" or a dash: "RUBBER STAMP? ", "TOWERING FIGURE: ".
_KICKER = re.compile(r"^[\"'“‘]?[A-Z0-9][A-Z0-9'’&.-]*(?: [A-Z0-9'’&.-]+){1,6}\s*[:?!—–]\s*\S")
# "HARWICK: ", "TOKYO (Reuters) - ", "LONDON, May 2 — ".
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,30}(?:,[^.:]{1,30})?(?:\s*\([^)]{1,30}\))?\s*(?:[:—–]|\s-)\s*\S")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*\s")
# Products of paragraph vectors held at once when matching across documents (about 16 bytes each).
_PRODUCT_TERMS = 1_000_000


@dataclass(frozen=True)
class SegmentConfig:
    """Settings of :class:`StorySegmenter`.

    ``threshold``: cosine to the segment's centroid below which a paragraph
    may start a new segment (on the seed articles, glued teasers score
    0.00-0.09 against the story before them, while most of a story's own
    paragraphs score 0.1-0.25).  ``quiet``: below this cosine the paragraph
    shares almost no content word with the segment.  ``story_words``: a
    paragraph this long reads as a story's opening; ``short_words``: shorter
    paragraphs need one point more.  ``evidence``: points a new segment needs
    when it has a strong sign; without one it needs one point more, and only
    once the main story has ``min_main`` body paragraphs.  ``cross_doc``:
    cosine to a paragraph of another document that makes the two the same
    passage (other outlets' versions of a story score 0.2-0.75); a paragraph
    is anchored to the segment when it matches a document that at least
    ``anchor_share`` of the segment's paragraphs match.  ``cross_doc_strong``:
    a match this close to a document the segment never matches places the
    paragraph in another story.  ``duplicate``: matches this close are
    copies, not another outlet's account, and do not anchor (an outlet's
    pages share their teasers).  ``lookahead``: following paragraphs checked
    for a return to the segment.  ``proper_weight``: weight of names in
    paragraph vectors.  ``max_postings``: words in more paragraphs than this
    are skipped when matching across documents (they weigh little and would
    make matching quadratic).

    Measured on 239 real articles (fundus/zyte ground-truth bodies) with 1-4
    teasers glued to each: 74% of glued boundaries found with 22 false ones;
    5% of unglued articles split (mostly roundups, letters pages and Q&As).
    """

    threshold: float = 0.10
    quiet: float = 0.03
    story_words: int = 40
    short_words: int = 25
    evidence: int = 2
    min_main: int = 3
    cross_doc: float = 0.2
    anchor_share: float = 0.25
    cross_doc_strong: float = 0.4
    duplicate: float = 0.9
    lookahead: int = 3
    proper_weight: float = 2.0
    max_postings: int = 300


@dataclass
class _Segment:
    """The segment being built: its centroid, names and cross-document matches."""

    size: int = 0
    centroid: Vector = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    matched: Counter = field(default_factory=Counter)
    """How many of the segment's paragraphs match each other document."""
    squares: float = 0.0
    """The sum of the centroid's squared weights, kept up to date word by word."""

    @property
    def norm(self) -> float:
        return math.sqrt(self.squares)

    def add(self, bag: Bag, matches: dict[str, float]) -> None:
        # Only the bag's words change the sum of squares: one pass over the bag, not the centroid.
        vector = bag.vector
        before = list(map(self.centroid.get, vector, repeat(0.0)))
        after = list(map(add, before, vector.values()))
        self.centroid.update(zip(vector, after))  # new words go last, in the bag's order
        self.squares += sum(map(mul, after, after)) - sum(map(mul, before, before))
        self.names |= bag.names
        if matches:
            self.matched.update(matches.keys())
        self.size += 1


class StorySegmenter:
    """Adds layer ``segments``: consecutive paragraphs telling one story.

    Every paragraph is in exactly one segment, segment 0 also covers the
    title, and each span's ``data["index"]`` is its position (0 = the main
    story).  Needs the ``paragraphs`` layer of :class:`ParagraphSplitter`;
    idf and cross-document matches are computed over the whole corpus.
    """

    name = "segments"

    def __init__(self, config: SegmentConfig = SegmentConfig()) -> None:
        self.config = config

    def __call__(self, corpus) -> None:
        per_doc = [(doc, doc.spans("title") + doc.spans("paragraphs")) for doc in corpus.documents]
        owners = [doc.id for doc, units in per_doc for _ in units]
        found, matrix = bags((doc.slice(span) for doc, units in per_doc for span in units), self.config.proper_weight)
        matches = _matches(owners, matrix, self.config)
        start = 0
        for doc, units in per_doc:
            end = start + len(units)
            self.segment(doc, units, found[start:end], matches[start:end])
            start = end

    def segment(self, doc: Document, units: list[Span], found: list[Bag], matches: list[dict[str, float]]) -> None:
        """Set ``doc``'s segments from its units (title first), their bags and cross-document matches."""
        if not units:
            doc.set_layer("segments", [])
            return
        texts = [doc.slice(span) for span in units]
        first = 1 if units[0].label == "title" else 0
        starts = [0]
        segment = _Segment()
        for i in range(len(units)):
            # The main story comes first: its opening paragraphs end only on a strong sign.
            opening = len(starts) == 1 and segment.size - first < self.config.min_main
            if i > first and self._boundary(i, texts, found, matches[i], segment, opening):
                starts.append(i)
                segment = _Segment()
            segment.add(found[i], matches[i])
        ends = starts[1:] + [len(units)]
        spans = [
            Span(doc.id, units[a].start, units[b - 1].end, "", {"index": k})
            for k, (a, b) in enumerate(zip(starts, ends, strict=True))
        ]
        doc.set_layer("segments", spans)

    def _boundary(
        self, i: int, texts: list[str], found: list[Bag], matches: dict[str, float], segment: _Segment, opening: bool
    ) -> bool:
        """Whether paragraph ``i`` starts a new story after ``segment`` (``opening``: the main story's start)."""
        cfg = self.config
        sim = cosine(found[i].vector, segment.centroid, (norm(found[i].vector), segment.norm))
        if sim >= cfg.threshold:
            return False
        # Near-duplicates do not anchor: an outlet glues the same teasers to all its pages.
        anchoring = max(1.0, cfg.anchor_share * segment.size)
        if any(s < cfg.duplicate and segment.matched[d] >= anchoring for d, s in matches.items()):
            return False
        text, n = texts[i], len(words(texts[i]))
        elsewhere = n >= cfg.short_words and any(
            s >= cfg.cross_doc_strong and not segment.matched[d] for d, s in matches.items()
        )
        strong = 2 * (bool(_KICKER.match(text)) + _cut_off(texts[i - 1]) + elsewhere)
        if not strong and opening:
            return False
        new_cast = len(found[i].names) >= 2 and not found[i].names & segment.names
        points = (
            strong
            + bool(DATELINE.match(text))
            + _cut_off(text)
            + (sim < cfg.quiet)
            + new_cast
            + (n >= cfg.story_words)
        )
        if points < cfg.evidence + (n < cfg.short_words) + (not strong):
            return False
        # A digression returns to the story; a glued story does not.
        for j in range(i + 1, min(i + 1 + cfg.lookahead, len(found))):
            back = cosine(found[j].vector, segment.centroid, (norm(found[j].vector), segment.norm))
            if back >= cfg.threshold and back > cosine(found[j].vector, found[i].vector):
                return False
        return True


def _cut_off(text: str) -> bool:
    """A paragraph that stops mid-sentence ("... his lawyer said he would").

    It must be paragraph-sized (15+ words; headings and list items lack full
    stops by design), its last sentence must have begun (4+ words) and it
    must end on a lowercase word or a comma: signatures ("-- Jane Doe") and
    datelines end otherwise.
    """
    text = text.rstrip()
    if not text or not (text[-1].islower() or text[-1] == ",") or len(words(text)) < 15:
        return False
    return len(_SENTENCE_END.split(text)[-1].split()) >= 4


def _matches(owners: list[str], matrix: sparse.csr_matrix, cfg: SegmentConfig) -> list[dict[str, float]]:
    """For each unit: other documents with a paragraph at cosine >= ``cfg.cross_doc`` to it -> the best cosine.

    ``matrix`` holds the units' normalised vectors as rows, so its product
    with its transpose holds their cosines.  Words found in more than
    ``cfg.max_postings`` units are left out (in a large corpus they are
    generic, weigh little, and would make this quadratic).  The product is
    symmetric: it is taken a block of rows at a time, against those rows and
    the ones after them, each block with at most ``_PRODUCT_TERMS`` products
    (or one row's, if more), so that memory stays bounded.
    """
    n = matrix.shape[0]
    matrix = _without_common_words(matrix, cfg.max_postings)
    codes = dict.fromkeys(owners)
    codes.update(zip(codes, range(len(codes))))
    owner = np.fromiter(map(codes.__getitem__, owners), np.int64, n)
    # The products a row takes part in: for each of its words, one per unit that has the word.
    postings = np.bincount(matrix.indices, minlength=matrix.shape[1])
    row_of = np.repeat(np.arange(n), np.diff(matrix.indptr))
    done = np.cumsum(np.bincount(row_of, weights=postings[matrix.indices], minlength=n))
    close_pairs = []
    start = 0
    while start < n:
        budget = _PRODUCT_TERMS + (done[start - 1] if start else 0.0)
        end = max(start + 1, int(np.searchsorted(done, budget, "right")))
        block = matrix[start:end] @ matrix[start:].T
        close = np.flatnonzero(block.data >= cfg.cross_doc)
        rows = np.searchsorted(block.indptr, close, "right") - 1 + start
        cols, dots = block.indices[close] + start, block.data[close]
        # Each pair once (the later unit's row against the earlier one's is the same product), and
        # only pairs of different documents.
        wanted = (cols > rows) & (owner[rows] != owner[cols])
        rows, cols, dots = rows[wanted], cols[wanted], dots[wanted]
        close_pairs.append((np.concatenate([rows, cols]), np.concatenate([owner[cols], owner[rows]]), np.tile(dots, 2)))
        start = end
    return _best_per_document(close_pairs, n, list(codes))


def _without_common_words(matrix: sparse.csr_matrix, max_postings: int) -> sparse.csr_matrix:
    """``matrix`` less the words (columns) in more than ``max_postings`` units (rows)."""
    # A unit has each word once, so a word's entries are its postings.
    kept = (np.bincount(matrix.indices, minlength=matrix.shape[1]) <= max_postings)[matrix.indices]
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    indptr = np.zeros_like(matrix.indptr)
    np.cumsum(np.bincount(row_of[kept], minlength=matrix.shape[0]), out=indptr[1:])
    return sparse.csr_matrix((matrix.data[kept], matrix.indices[kept], indptr), shape=matrix.shape)


def _best_per_document(
    close_pairs: list[tuple[np.ndarray, ...]], n: int, names: list[str]
) -> list[dict[str, float]]:
    """For each of ``n`` units, the best cosine per other document, from arrays of units, other
    documents (indices into ``names``) and cosines."""
    result: list[dict[str, float]] = [{} for _ in range(n)]
    if not close_pairs:
        return result
    rows, others, dots = (np.concatenate(arrays) for arrays in zip(*close_pairs, strict=True))
    # Group by (unit, document) and keep each group's largest cosine.
    pairs = rows * len(names) + others
    order = np.argsort(pairs, kind="stable")
    pairs, dots = pairs[order], dots[order]
    firsts = np.flatnonzero(np.diff(pairs, prepend=-1))
    if not len(firsts):
        return result
    best = np.maximum.reduceat(dots, firsts).tolist()
    rows, others = np.divmod(pairs[firsts], len(names))
    # One dict per unit, from its run of groups.
    runs = np.flatnonzero(np.diff(rows, prepend=-1))
    groups = zip(map(names.__getitem__, others.tolist()), best)
    for row, size in zip(rows[runs].tolist(), np.diff(runs, append=len(rows)).tolist(), strict=True):
        result[row] = dict(islice(groups, size))
    return result
