"""Statements: an event's quotations grouped by what was said, each statement by its wordings.

Quotations are compared word by word (:func:`word_keys`), after folding
what is house style and not wording: case, punctuation, curly against
straight apostrophes, a tokeniser's "Epstein' s", initials ("U.S." and
"US"), "per cent" and "%", "6:00 p.m." and "6 p.m.", British and American
spelling ("neighbourhood", "realised", "fibre"), the form of a proper name
("Japan's" and "Japanese"); an editor's words in brackets or parentheses
stand, as an ellipsis does, for words of the other quotation.  Every other
changed, added or dropped word counts: a changed word in a quotation is
what a fact-checker must see.

Aligned end to end (:func:`align`: each end of the alignment is an end of
one of the two quotations, so an excerpt of a longer quotation is aligned
with the part it repeats), two quotations are

* the **same words** when no word differs: one holds the other (a partial
  quote) or they overlap without a difference (two excerpts of one speech);
* **reworded**, two versions of one statement, when they repeat one passage
  with at most one word changed, added or dropped per two matched (at least
  :data:`MIN_PASSAGE_WORDS` matched for one speaker,
  :data:`MIN_REWORDED_OTHER_SPEAKER` where the speakers are described
  differently or not found; never for two people named differently: two
  statements); or, for one speaker, when a good share of their words are the
  same, in the same order (:data:`PARAPHRASE_SHARE`): a paraphrase printed in
  quotation marks.

Two wordings are two versions only where sources disagree: some document
prints the one and not the other, and some other document the reverse.  A
document that prints both (the same quotation twice, a long and a short
quotation of its speaker) is no evidence that either was misquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from rapidfuzz.distance import LCSseq

if TYPE_CHECKING:
    from .quotes import Quote

MIN_PASSAGE_WORDS = 3
"""Words two quotations must share, in order, to be one passage (a quotation has at least this many)."""
MIN_EXCERPT_OVERLAP = 5
"""Words two quotations must share where neither holds the other (one's end is the other's start)
for them to be two excerpts of one speech."""
MIN_WORDS_OTHER_SPEAKER = 6
"""Words a quotation must share with one of a differently named speaker to be the same words
(then a finding that the speakers differ): "It is finished" may be said by anyone."""
MIN_REWORDED_OTHER_SPEAKER = 5
"""Matched words two reworded quotations must share when their speakers are not the same one
("a source" and "an informant", or one not found): the passage itself then says they are one."""
PARAPHRASE_SHARE = 0.35
"""Share of the longer quotation's words (and :data:`MIN_PARAPHRASE_WORDS` at least) that one
speaker's two quotations must have in common, in order, to be one statement paraphrased: two
different statements of one speaker share about a fifth, function words mostly."""
MIN_PARAPHRASE_WORDS = 5
"""Words a paraphrase shares with the quotation at least: short quotations share a third by chance."""

ELLIPSIS = "…"
"""Words left out: the other quotation's words there are free."""
NAME_PREFIX = 5
"""Letters of a proper name that identify it ("Japan's", "Japanese")."""
_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})
_SPACED_CLITIC = re.compile(r"(\w)' (s|re|ve|ll|d|m|t)\b")
_INITIALS = re.compile(r"\b([A-Za-z])\. ?(?=[A-Za-z]\b)")
_PER_CENT = re.compile(r"\bper cent\b|%", re.IGNORECASE)
_FULL_HOUR = re.compile(r"\b(\d{1,2}):00\b")
_EDITORIAL = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_TOKEN = re.compile(r"\.\.\.|…|[\w']+|[.!?:;]")
_SENTENCE_END = {".", "!", "?", ":", ";"}
_BRITISH = [
    (re.compile(r"(?<=[a-z]{3})our(?=[a-z]*$)"), "or"),  # neighbourhood, honour, labour
    (re.compile(r"(?<=[a-z]{3})is(?=(e|ed|es|ing|ation|ations)$)"), "iz"),  # realised, organisation
    (re.compile(r"(?<=[a-z]{2})ys(?=(e|ed|es|ing)$)"), "yz"),  # analysed
    (re.compile(r"(?<=[a-z]{2}[bt])re(?=s?$)"), "er"),  # fibre, centre, metres
]


def speaker_key(quote: Quote) -> str | None:
    """What identifies a speaker across outlets: a person's surname, else the head noun."""
    name = quote.speaker_name
    if not name:
        return None
    words = re.findall(r"[\w-]+", name.lower())
    return words[-1] if words else None


def word_keys(text: str) -> tuple[str, ...]:
    """The words of a quotation as compared (see the module docstring): lower-case, folded,
    an ellipsis or an editor's insertion kept as :data:`ELLIPSIS`.  A capitalised word inside
    a sentence is a name or a word made from one: its first :data:`NAME_PREFIX` letters and
    "*", matching any word that starts with them."""
    text = _SPACED_CLITIC.sub(r"\1'\2", text.translate(_FOLD))
    text = _PER_CENT.sub(" percent ", _INITIALS.sub(r"\1", _FULL_HOUR.sub(r"\1", text)))
    text = _EDITORIAL.sub(" ... ", text)
    keys: list[str] = []
    sentence_start = True
    for token in _TOKEN.findall(text):
        if token in _SENTENCE_END:
            sentence_start = True
            continue
        if token in ("...", ELLIPSIS):
            if not keys or keys[-1] != ELLIPSIS:
                keys.append(ELLIPSIS)
            continue
        word = token.strip("'").lower()
        if not word:
            continue
        name = token[0].isupper() and not sentence_start
        sentence_start = False
        if name and len(word.removesuffix("'s")) >= NAME_PREFIX:
            keys.append(word[:NAME_PREFIX] + "*")
            continue
        stem, apostrophe, clitic = word.partition("'")  # "neighbourhood's"
        for pattern, american in _BRITISH:
            stem = pattern.sub(american, stem)
        keys.append(stem + apostrophe + clitic)
    return tuple(keys)


def same_word(a: str, b: str) -> bool:
    """Equal keys, or a name's prefix ("japan*") and a word starting with it."""
    return a == b or (a[-1] == "*" and b.startswith(a[:-1])) or (b[-1] == "*" and a.startswith(b[:-1]))


def _stems(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Keys cut to a name's prefix: sequences of these share at least the words the keys do."""
    return tuple(k.rstrip("*")[:NAME_PREFIX] for k in keys)


@dataclass(frozen=True)
class Alignment:
    """How two word sequences line up, end to end."""

    matched: int
    """Words aligned with the same word."""
    changed: int
    """Words aligned with another word, or with none inside the aligned stretch (each counts once)."""
    holds: tuple[bool, bool]
    """Whether the alignment covers all of the first, of the second sequence."""


def align(a: tuple[str, ...], b: tuple[str, ...]) -> Alignment:
    """The best alignment of ``a`` and ``b`` where words before the aligned stretch of one and after
    it are free only when the other sequence has none there (an excerpt's missing start or end).

    Scores +1 a matched word, -1 a changed, added or dropped one; words the other sequence
    leaves out at an ellipsis are free once a word before it matched ("remains ... one of"
    against "stays ... one of" has a changed word).  An alignment of nothing scores 0.
    """
    n, m = len(a), len(b)
    # per cell: (score, matched, changed, a's first aligned word, b's first aligned word)
    previous = [(0, 0, 0, 0, j) for j in range(m + 1)]
    ends = [(0, 0, 0, 0, 0, 0, 0)]  # (score, matched, -changed, a start, b start, a end, b end)
    for i in range(1, n + 1):
        current = [(0, 0, 0, i, 0)]
        for j in range(1, m + 1):
            score, matched, changed, sa, sb = previous[j - 1]
            if same_word(a[i - 1], b[j - 1]):
                best = (score + (a[i - 1] != ELLIPSIS), matched + (a[i - 1] != ELLIPSIS), changed, sa, sb)
            else:
                best = (score - 1, matched, changed + 1, sa, sb)
            score, matched, changed, sa, sb = previous[j]  # a[i-1] against nothing
            if a[i - 1] == ELLIPSIS or (b[j - 1] == ELLIPSIS and matched):
                best = max(best, (score, matched, changed, sa, sb))
            else:
                best = max(best, (score - 1, matched, changed + 1, sa, sb))
            score, matched, changed, sa, sb = current[j - 1]  # b[j-1] against nothing
            if b[j - 1] == ELLIPSIS or (a[i - 1] == ELLIPSIS and matched):
                best = max(best, (score, matched, changed, sa, sb))
            else:
                best = max(best, (score - 1, matched, changed + 1, sa, sb))
            current.append(best)
            if i == n or j == m:
                ends.append((best[0], best[1], -best[2], best[3], best[4], i, j))
        previous = current
    score, matched, changed, sa, sb, ea, eb = max(ends)
    return Alignment(matched, -changed, (sa == 0 and ea == n, sb == 0 and eb == m))


@dataclass
class Statement:
    """What one speaker said, as each outlet quoted it.

    ``versions`` are groups of quotations with the same words (a partial
    quote is with the quotation it is part of); more than one version means
    outlets put different words in the speaker's mouth.
    """

    speaker: str | None
    versions: list[list[Quote]]

    @staticmethod
    def representative(version: list[Quote]) -> Quote:
        """The wording most outlets printed; a quotation that starts a sentence
        (capitalised) over a fragment."""
        counts: dict[tuple[str, ...], int] = {}
        for q in version:
            counts[word_keys(q.text)] = counts.get(word_keys(q.text), 0) + 1
        return max(version, key=lambda q: (counts[word_keys(q.text)], q.text[:1].isupper(), len(q.text)))

    def verbatim(self, version: list[Quote]) -> bool:
        """A version is verbatim unless another version is quoted by at least as
        many documents: then which words were said is not settled by the sources."""
        if len(self.versions) == 1:
            return True
        docs = {id(v): len({q.doc.id for q in v}) for v in self.versions}
        best = max(docs.values())
        return docs[id(version)] == best and sum(1 for n in docs.values() if n == best) == 1


@dataclass
class _Wording:
    """The quotations of an event that have one word sequence."""

    words: tuple[str, ...]
    quotes: list[Quote]

    @cached_property
    def stems(self) -> tuple[str, ...]:
        return _stems(self.words)

    @cached_property
    def docs(self) -> set[str]:
        return {q.doc.id for q in self.quotes}

    @cached_property
    def speakers(self) -> set[str]:
        return {k for k in map(speaker_key, self.quotes) if k}

    @cached_property
    def named(self) -> set[str]:
        """Speakers given by name: a person, or capitalised words the model did not tag ("Teodor Brask")."""
        return {speaker_key(q) for q in self.quotes if q.speaker is not None and _is_name(q)}


def group_quotes(quotes: list[Quote]) -> list[Statement]:
    """An event's quotations as statements, each with its versions (see the module docstring).

    The wordings no other wording holds (not partial quotes) are compared
    pairwise: the same words join one version, reworded ones one statement.
    A partial quote then joins a version that holds it: of its own document
    if there is one, else the one most documents printed.
    """
    by_words: dict[tuple[str, ...], list[Quote]] = {}
    for q in quotes:
        by_words.setdefault(word_keys(q.text), []).append(q)
    wordings = [_Wording(words, members) for words, members in by_words.items()]
    held_by: dict[int, list[int]] = {i: [] for i in range(len(wordings))}
    same_words, reworded = [], []
    for i, a in enumerate(wordings):
        for j in range(i + 1, len(wordings)):
            b = wordings[j]
            if LCSseq.similarity(a.stems, b.stems) < MIN_PASSAGE_WORDS:
                continue  # too little in common to be one passage (and the alignment is costly)
            found = align(a.words, b.words)
            if _same_words(a, b, found):
                if found.holds[0] and (not found.holds[1] or len(a.words) < len(b.words)):
                    held_by[i].append(j)
                elif found.holds[1]:
                    held_by[j].append(i)
                else:
                    same_words.append((i, j))
            elif _disagree(a, b) and (_reworded(a, b, found) or _paraphrase(a, b)):
                reworded.append((i, j))
    whole = {i for i in range(len(wordings)) if not held_by[i]}
    version = _Union(len(wordings))
    statement = _Union(len(wordings))
    for i, j in same_words:
        if i in whole and j in whole:
            version.join(i, j)
            statement.join(i, j)
    for i, j in reworded:
        if i in whole and j in whole:
            statement.join(i, j)
    for i in sorted(set(range(len(wordings))) - whole):
        holders = [_whole_holder(j, held_by) for j in held_by[i]]
        mine = [j for j in holders if wordings[j].docs & wordings[i].docs]
        home = max(mine or holders, key=lambda j: len(wordings[j].docs))
        version.join(i, home)
        statement.join(i, home)
    out = []
    for members in statement.groups():
        versions = [[q for i in group for q in wordings[i].quotes] for group in version.split(members)]
        speaker = next((q.speaker_name for v in versions for q in v if q.speaker), None)
        out.append(Statement(speaker, versions))
    return out


def _same_words(a: _Wording, b: _Wording, found: Alignment) -> bool:
    """No word differs where the two are aligned, over enough words to be one passage."""
    if found.changed or found.matched < MIN_PASSAGE_WORDS:
        return False
    if not any(found.holds) and found.matched < MIN_EXCERPT_OVERLAP:
        return False
    return found.matched >= MIN_WORDS_OTHER_SPEAKER or not _named_apart(a, b)


def _reworded(a: _Wording, b: _Wording, found: Alignment) -> bool:
    """One passage with some words changed: a changed, added or dropped word per two matched at most
    (no change: two excerpts overlapping by too few words to tell, not two wordings)."""
    if not found.changed or 2 * found.changed > found.matched or _named_apart(a, b):
        return False
    return found.matched >= (MIN_PASSAGE_WORDS if a.speakers & b.speakers else MIN_REWORDED_OTHER_SPEAKER)


def _paraphrase(a: _Wording, b: _Wording) -> bool:
    """One speaker's two quotations with most of their words in common, in the same order."""
    shared = LCSseq.similarity(a.stems, b.stems)
    longer = max(len(a.words), len(b.words))
    return bool(a.speakers & b.speakers) and shared >= max(MIN_PARAPHRASE_WORDS, PARAPHRASE_SHARE * longer)


def _is_name(quote: Quote) -> bool:
    words = (quote.speaker_name or "").split()
    return quote.speaker.label == "PERSON" or (len(words) > 1 and all(w[:1].isupper() for w in words))


def _named_apart(a: _Wording, b: _Wording) -> bool:
    """Both attributed to people by name, and to none by the same name."""
    return bool(a.named and b.named) and not a.speakers & b.speakers


def _disagree(a: _Wording, b: _Wording) -> bool:
    """Some document prints ``a`` and not ``b``, and another ``b`` and not ``a``: a document
    printing both wordings says nothing about which was said."""
    return bool(a.docs - b.docs) and bool(b.docs - a.docs)


def _whole_holder(i: int, held_by: dict[int, list[int]]) -> int:
    while held_by[i]:
        i = held_by[i][0]
    return i


class _Union:
    """Disjoint sets of wording indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            found.setdefault(self.find(i), []).append(i)
        return list(found.values())

    def split(self, members: list[int]) -> list[list[int]]:
        """``members`` by their set here."""
        found: dict[int, list[int]] = {}
        for i in members:
            found.setdefault(self.find(i), []).append(i)
        return list(found.values())
