"""Content-word vectors of paragraphs, for lexical cohesion.

A paragraph's vector maps each content word (lowercased, crudely
singularised, stopwords dropped) to ``(1 + log tf) * idf * case``, where
``case`` is ``proper_weight`` for a word written capitalised away from a
sentence start (names: *Takaichi*, *Harbour Bridge*) and 1 otherwise, and
idf is computed over every paragraph of the corpus.  Vectors are
L2-normalised dictionaries, which the segmenter grows and compares a
paragraph at a time; :func:`bags` also gives them as the rows of a sparse
matrix, which :mod:`newscollate.clean.segment` multiplies to match
paragraphs across documents.

Most of the work is per token, so it is done at C speed: tokens and names
are found by ``findall``, each distinct token's content word is cached
(:func:`content_word`), and counting and vector arithmetic go through
``Counter``, ``map``, ``zip`` and numpy.  Every float is computed by the
same operations, in the same order, as a plain loop over the words would,
so results do not depend on these shortcuts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice, repeat
from operator import mul

import numpy as np
from scipy import sparse

from .lines import WORD

Vector = dict[str, float]

_QUOTES = "\"'“”‘’()[]"

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any anyone
    anything are around as at back be became because become been before being below between both but by
    can could did do does doing done down during each either else enough even ever every few for from
    further get gets got had has have having he her here hers herself him himself his how however i if in
    including into is it its itself just last least less like made make many may me might more most much
    must my myself near need neither never new next no nor not now of off often on once one only or other
    others our ours ourselves out over own per perhaps put quite rather really said same say says see
    seen several shall she should since so some something still such than that the their theirs them
    themselves then there these they this those though three through thus to together too toward towards
    two under until up upon us very via was we well were what whatever when where whether which while who
    whom whose why will with within without would yet you your yours yourself mr mrs ms dr year years
    week weeks day days time told according added monday tuesday wednesday thursday friday
    saturday sunday today yesterday tomorrow s t don didn doesn isn wasn won
    """.split()
)

# A WORD token written as a name.  A capital is grammar, not a name, when the token's 4 characters
# before, right-stripped of whitespace and then of _QUOTES, are empty or end in one of ".!?…:"
# (a sentence start).  The lookbehinds accept the other cases: one for each number of spaces and
# quotes stripped that leaves the deciding character among the 4 (a quote before the spaces, or the
# deciding character, ends the stripping).  The token must start where WORD.finditer starts one:
# not after a letter or digit, nor after a letter or digit and one of WORD's inner joiners, which
# would continue that token.  Its first character is a letter other than a-z; whether it is a
# capital is tested on the few tokens found.  That character is matched first, before the
# lookbehinds (which therefore end in "." for it), because re scans for a pattern's opening
# character class at C speed but tries a pattern that opens with a lookaround at every position;
# the rest of the token is WORD's pattern less that character (keep the two in step).
_NOT_QUOTE = r"[^%s%s]" % (re.escape(_QUOTES), re.escape(".!?…:"))
_NOT_SPACE = r"[^\s%s%s]" % (re.escape(_QUOTES), re.escape(".!?…:"))
_NAME_CONTEXTS = [
    "(?<=%s%s%s.)" % (_NOT_QUOTE if quotes else _NOT_SPACE, "[%s]" % re.escape(_QUOTES) * quotes, r"\s" * spaces)
    for spaces in range(4)
    for quotes in range(4 - spaces)
]
_NAME = re.compile(
    r"[^\W\d_a-z](?<![^\W_].)(?<![^\W_]['’.-].)(?:%s)[^\W_]*+(?:['’.-][^\W_]++)*+" % "|".join(_NAME_CONTEXTS)
)


# Ample for the vocabulary of a batch of documents, and a bound on memory when a process cleans a
# stream of them.
@lru_cache(maxsize=1 << 17)
def content_word(token: str) -> str:
    """The content word a token counts as, or ``""`` for a stopword, a single character or a
    number of one or two digits."""
    word = _stem(token.lower())
    if word in STOPWORDS or len(word) < 2 or word.isdigit() and len(word) < 3:
        return ""
    return word


def content_words(text: str) -> tuple[Counter[str], set[str]]:
    """Each content word's count, in order of first use, and the set of those ever written as a name."""
    counts = Counter(map(content_word, WORD.findall(text)))
    del counts[""]
    names = {content_word(token) for token in _NAME.findall(text) if token[0].isupper()}
    names.discard("")
    return counts, names


def _stem(word: str) -> str:
    """A crude singular: possessives and plural -s go (*trucks* -> *truck*, *Japan's* -> *japan*)."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Bag:
    """A paragraph's normalised content-word ``vector`` and the ``names`` it uses."""

    vector: Vector
    names: frozenset[str]


def bags(texts: Iterable[str], proper_weight: float = 2.0) -> tuple[list[Bag], sparse.csr_matrix]:
    """One :class:`Bag` per text (copies of a text share one), idf computed over ``texts``
    themselves, and the same vectors as the rows of a sparse text x word matrix (its columns in no
    particular order)."""
    # Syndicated copies and boilerplate repeat paragraphs word for word: each distinct text is read
    # and weighed once, and only the matrix has a row for every text.
    index: dict[str, int] = {}  # distinct text -> its number, in order of first occurrence
    distinct_of = np.array([index.setdefault(text, len(index)) for text in texts], np.int64)
    found = [content_words(text) for text in index]
    n = len(distinct_of)
    words = list(chain.from_iterable(counts for counts, _ in found))
    vocabulary = dict.fromkeys(words)
    vocabulary.update(zip(vocabulary, range(len(vocabulary))))
    columns = np.fromiter(map(vocabulary.__getitem__, words), np.int64, len(words))
    tf = np.fromiter(chain.from_iterable(counts.values() for counts, _ in found), np.int64, len(words))
    named = np.fromiter(
        chain.from_iterable(map(names.__contains__, counts) for counts, names in found), bool, len(words)
    )
    sizes = [len(counts) for counts, _ in found]
    # Each weight is (1 + log tf) * idf * case, multiplied in that order, with the logarithms taken
    # by math.log once per distinct tf and document frequency: the floats plain Python would give.
    # A text's copies count in the document frequency of its words (bincount's float sums of
    # integers are exact).
    copies = np.bincount(distinct_of, minlength=len(found))
    df = np.bincount(columns, weights=np.repeat(copies, sizes), minlength=len(vocabulary)).astype(np.int64)
    idf = _table(lambda d: math.log((1 + n) / (1 + d)) + 1, df)[df]
    weights = _table(lambda k: 1 + math.log(k), tf)[tf] * idf[columns] * np.where(named, proper_weight, 1.0)
    # Each text's norm summed in its words' order, as norm() does.
    listed = weights.tolist()
    squares = map(mul, listed, listed)
    norms = [math.sqrt(sum(islice(squares, size))) for size in sizes]
    weights /= np.repeat(norms, sizes)
    pairs = zip(words, weights.tolist())
    distinct = [Bag(dict(islice(pairs, size)), frozenset(names)) for size, (_, names) in zip(sizes, found)]
    # Row k holds the entries of text k's distinct text, which start at offsets[distinct_of[k]].
    offsets = np.zeros(len(found) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    row_sizes = np.diff(offsets)[distinct_of]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(row_sizes, out=indptr[1:])
    entries = np.arange(indptr[-1]) + np.repeat(offsets[distinct_of] - indptr[:-1], row_sizes)
    matrix = sparse.csr_matrix((weights[entries], columns[entries], indptr), shape=(n, len(vocabulary)))
    return list(map(distinct.__getitem__, distinct_of.tolist())), matrix


def _table(function: Callable[[int], float], values: np.ndarray) -> np.ndarray:
    """An array that maps each of ``values`` (non-negative integers) to ``function`` of it."""
    table = np.zeros(int(values.max()) + 1 if len(values) else 0)
    distinct = np.unique(values)
    table[distinct] = [function(k) for k in distinct.tolist()]
    return table


def norm(vec: Vector) -> float:
    values = vec.values()
    return math.sqrt(sum(map(mul, values, values)))


def dot(a: Vector, b: Vector) -> float:
    """Dot product, summed over ``a``'s words in ``a``'s order."""
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


def cosine(a: Vector, b: Vector, norms: tuple[float, float] | None = None) -> float:
    """Cosine of two vectors (normalised or not); ``norms``: theirs, when already known."""
    na, nb = norms or (norm(a), norm(b))
    if len(a) > len(b):
        a, b = b, a
    return dot(a, b) / (na * nb) if na and nb else 0.0
