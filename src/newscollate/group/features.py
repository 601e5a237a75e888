"""What an event is recognised by: the words, names and numbers of a story segment.

Features are computed from the text alone, without the NLP stage (event
grouping must keep up with ingest, hundreds of documents a second):

* content words, lowercased, stop words left out;
* names: capitalised words that do not open a line or a sentence (``E:felt``),
  and pairs of consecutive ones (``P:mark_felt``); the names are what tells two
  events of one kind apart (two rehab stories, two earthquakes);
* numbers as written (``N:23``): casualty counts, ages, scores.

Lines removed by the clean stage are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Document, Span

# Possessive 's is left out of the token: "Reid's" is the name Reid.
_TOKEN = re.compile(r"[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*")
# Words, and the sentence and line breaks between them ("." "!" "?" ":" before a space, a newline).
_PIECE = re.compile(r"[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*|[.!?:](?=[\"'”’)\]]*\s)|\n")
_BREAKS = frozenset(".!?:\n")
# Capitalised in English for grammar, not because they name something.
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "s"}
_NOT_FEATURES = STOP_WORDS | _BREAKS


def segment_lines(doc: Document, segment: Span) -> Iterable[str]:
    """The lines of ``segment`` that the clean stage kept."""
    removed = [(s.start, s.end) for s in doc.spans("removed") if s.start < segment.end and segment.start < s.end]
    pos = segment.start
    for line in doc.text[segment.start : segment.end].split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip() and not any(a < end and start < b for a, b in removed):
            yield line


def feature_bag(lines: Iterable[str], name_weight: int = 2, pair_weight: int = 2) -> list[str]:
    """The features of a text given as lines, each repeated by its weight.

    A name counts ``name_weight`` times on top of its word, a pair of names
    ``pair_weight`` times: names, full names ("Fred LaRue") most, are the
    strongest sign of one particular event.  (Weights chosen on ECB+ topics
    1-25 with ``bench/cluster.py --tune-ours``.)
    """
    pieces = _PIECE.findall("\n".join(lines))
    lowers = list(map(str.lower, pieces))
    bag = [w if not w[0].isdigit() else "N:" + w for w in lowers if w not in _NOT_FEATURES]
    capitals = {i for i, t in enumerate(pieces) if t[0].isupper() and lowers[i] not in STOP_WORDS}
    previous = -2
    for i in sorted(capitals):
        lower = lowers[i]
        # A sentence's first capital is grammar, unless a name follows ("Mark Felt died").
        if lower in _CALENDAR or ((i == 0 or lowers[i - 1] in _BREAKS) and i + 1 not in capitals):
            continue
        bag += ["E:" + lower] * name_weight
        if previous == i - 1:
            bag += [f"P:{lowers[previous]}_{lower}"] * pair_weight
        previous = i
    return bag


HASHED_FEATURES = 2**20
"""Size of the hashed feature space: collisions among the ~10^5 features of a
window of news are rare, and no vocabulary has to be kept or grown."""
_HASHER = FeatureHasher(n_features=HASHED_FEATURES, input_type="string", alternate_sign=False)


def hashed_counts(bags: list[list[str]]) -> csr_matrix:
    """Raw feature counts of each bag, one row per bag, in the hashed feature space."""
    if not bags:
        return csr_matrix((0, HASHED_FEATURES), dtype=np.float64)
    return _HASHER.transform(bags).tocsr()
