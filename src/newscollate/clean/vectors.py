"""Content-word vectors of paragraphs, for lexical cohesion.

A paragraph's vector maps each content word (lowercased, crudely
singularised, stopwords dropped) to ``(1 + log tf) * idf * case``, where
``case`` is ``proper_weight`` for a word written capitalised away from a
sentence start (names: *Takaichi*, *Harbour Bridge*) and 1 otherwise, and
idf is computed over every paragraph of the corpus.  Vectors are
L2-normalised dictionaries: paragraphs are few and short, so sparse dicts
beat building matrices.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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


def content_words(text: str) -> dict[str, tuple[int, bool]]:
    """Each content word's count and whether it was ever written as a name."""
    found: dict[str, tuple[int, bool]] = {}
    for match in WORD.finditer(text):
        token = match.group()
        word = _stem(token.lower())
        if word in STOPWORDS or len(word) < 2 or word.isdigit() and len(word) < 3:
            continue
        # A capital after a sentence end is grammar, not a name.
        before = text[max(0, match.start() - 4) : match.start()].rstrip().rstrip(_QUOTES)
        name = token[0].isupper() and bool(before) and before[-1] not in ".!?…:"
        count, was_name = found.get(word, (0, False))
        found[word] = (count + 1, was_name or name)
    return found


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


def bags(texts: Iterable[str], proper_weight: float = 2.0) -> list[Bag]:
    """One :class:`Bag` per text, idf computed over ``texts`` themselves."""
    found = [content_words(text) for text in texts]
    df: Counter[str] = Counter(word for words in found for word in words)
    n = len(found)
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    return [
        Bag(
            normalised(
                {w: (1 + math.log(tf)) * idf[w] * (proper_weight if name else 1.0) for w, (tf, name) in words.items()}
            ),
            frozenset(w for w, (_, name) in words.items() if name),
        )
        for words in found
    ]


def normalised(vec: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two vectors (normalised or not)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def add(total: Vector, vec: Vector) -> None:
    for w, v in vec.items():
        total[w] = total.get(w, 0.0) + v
